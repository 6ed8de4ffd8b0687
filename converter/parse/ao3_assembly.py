"""AO3 layout, second half: the sections of a copied page or download, placed into the ``Work``.

``ao3_page`` cuts the text after the byline into ``Segment``s at AO3's section markers ("Summary:",
"Chapter 3: Title", "Chapter Text", "Chapter End Notes", …). Here each segment is placed by its kind
and by where it stands: before the first chapter its notes are the work's, inside a chapter they are
the chapter's, after a chapter's text they are its end notes. ``PLACES`` holds one small function
per kind of segment, so the rule for one section is read (and changed) in one place.

A copied download has no "Chapter Text" line to say where notes end and the story begins: there a
note is its first paragraph and what follows is story (when unsure, text stays text). The work's
associations ("Inspired by Title by Author.") before chapter 1 join the work's notes wherever they
stand: after a note, at the start of the preamble, or at the end of a summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from converter.document import (
    Block,
    Chapter,
    ListBlock,
    Matter,
    MatterKind,
    Metadata,
    Paragraph,
    Work,
    plain_text,
)
from converter.parse.ao3_fields import INSPIRED_HEADING, SERIES_HEADING, is_association
from converter.parse.blocks import parse_blocks
from converter.parse.lines import TextProfile

Blocks = tuple[Block, ...]


@dataclass
class Segment:
    """Lines between two markers; ``kind`` is what the marker that opened them opens ("summary",
    "notes", "text", "chapter", …; "preamble" for the lines before the first marker)."""

    kind: str
    lines: list[str] = field(default_factory=list)
    label: str = ""  # a chapter's "Chapter 3"
    title: str = ""  # a chapter's title


@dataclass
class _ChapterDraft:
    label: str = ""
    title: str = ""
    summary: Blocks = ()
    notes: Blocks = ()
    body: Blocks = ()
    end_notes: Blocks = ()  # labelled as such ("Chapter End Notes")
    trailing_notes: list[Blocks] = field(default_factory=list)  # "Notes:" after the text
    has_text: bool = False

    def chapter(self, number: int) -> Chapter:
        return Chapter(
            number=number,
            label=self.label,
            title=self.title,
            summary=self.summary,
            notes=self.notes,
            body=self.body,
            end_notes=self.end_notes + tuple(block for blocks in self.trailing_notes for block in blocks),
        )


@dataclass
class _Assembly:
    """The work as it is put together, one segment after another."""

    download: bool  # a copied download, not a page: no "Chapter Text" lines
    has_text_marker: bool  # the text has "Chapter Text" (or "Work Text:") lines
    summary: Blocks = ()
    notes: list[Block] = field(default_factory=list)
    end_notes: list[Block] = field(default_factory=list)  # labelled as the work's ("End Notes")
    drafts: list[_ChapterDraft] = field(default_factory=list)
    front: list[Matter] = field(default_factory=list)
    back: list[Matter] = field(default_factory=list)

    @property
    def current(self) -> _ChapterDraft | None:
        """The chapter being filled, or ``None`` before the first."""
        return self.drafts[-1] if self.drafts else None

    def story(self, blocks: Blocks) -> None:
        """Blocks that are chapter text: the current chapter's, or a new untitled chapter's."""
        if not blocks:
            return
        if not self.drafts or (self.drafts[-1].has_text and not self.download):
            self.drafts.append(_ChapterDraft())
        self.drafts[-1].body += blocks
        self.drafts[-1].has_text = True

    def work(self) -> Work:
        """The finished work. After the last chapter AO3 prints the chapter's end notes, then the
        work's: with one unlabelled "Notes:" there and no labelled end notes, it is the work's."""
        end_notes: Blocks = tuple(self.end_notes)
        last = self.current
        if last is not None and last.trailing_notes and not end_notes:
            end_notes = last.trailing_notes.pop()
        chapters = tuple(draft.chapter(n) for n, draft in enumerate(self.drafts or [_ChapterDraft()], 1))
        return Work(
            meta=Metadata(summary=self.summary),
            chapters=chapters,
            notes=tuple(self.notes),
            end_notes=end_notes,
            front_matter=tuple(self.front),
            back_matter=tuple(self.back),
        )


def assemble(segments: list[Segment], profile: TextProfile, download: bool) -> Work:
    """Place each segment by its kind and position: before the first chapter, inside one, or after.
    The work's summary comes back in ``meta.summary``; the rest of its metadata is the caller's."""
    assembly = _Assembly(download, has_text_marker=any(s.kind == "text" for s in segments))
    for segment in segments:
        blocks, rest = _download_note(assembly, segment, parse_blocks(segment.lines, profile))
        blocks, rest, associations = _associations(assembly, segment.kind, blocks, rest)
        PLACES[segment.kind](assembly, segment, blocks)
        assembly.notes.extend(associations)
        assembly.story(rest)
    return assembly.work()


def _download_note(assembly: _Assembly, segment: Segment, blocks: Blocks) -> tuple[Blocks, Blocks]:
    """A note of a copied download before its chapter's text, and the story after it: the note is
    its first paragraph (nothing in the copy marks where it ends)."""
    opens_text = assembly.current is None or not assembly.current.has_text
    if assembly.download and segment.kind in ("summary", "notes") and opens_text:
        return blocks[:1], blocks[1:]
    return blocks, ()


def _associations(
    assembly: _Assembly, kind: str, blocks: Blocks, rest: Blocks
) -> tuple[Blocks, Blocks, Blocks]:
    """The work's associations ("Inspired by Title by Author.") before chapter 1 where no "Notes:"
    label stands over them: leading the preamble, closing a summary, or after a download's note.
    Returns the segment's blocks and the story after it without them, and the associations."""
    if assembly.current is not None:
        return blocks, rest, ()
    associations: Blocks = ()
    if kind == "preamble":
        associations, blocks = _leading_associations(blocks)
    elif kind == "summary":
        blocks, associations = _trailing_associations(blocks)
    after_note, rest = _leading_associations(rest)
    return blocks, rest, associations + after_note


def _is_association_block(block: Block) -> bool:
    """An association paragraph, or a copied list whose every item is one."""
    if isinstance(block, Paragraph):
        return is_association(plain_text(block.inlines))
    if isinstance(block, ListBlock) and block.items:
        return all(len(item) == 1 and _is_association_block(item[0]) for item in block.items)
    return False


def _leading_associations(blocks: Blocks) -> tuple[Blocks, Blocks]:
    """The associations that open ``blocks`` (the area after the notes, where the story of a
    one-shot download follows straight on), and the blocks after them. Only a leading run: a story
    paragraph further on that opens "Inspired by his father, told by the fire…" stays story."""
    start = 0
    while start < len(blocks) and _is_association_block(blocks[start]):
        start += 1
    return blocks[:start], blocks[start:]


def _trailing_associations(blocks: Blocks) -> tuple[Blocks, Blocks]:
    """The associations that close a summary with no "Notes:" after it, and the summary before
    them. A summary that is one such line ("Inspired by the song Title by Someone.") stays one."""
    end = len(blocks)
    while end > 1 and _is_association_block(blocks[end - 1]):
        end -= 1
    return blocks[:end], blocks[end:]


# --- One place for each kind of segment -----------------------------------------------------------


def _place_preamble(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """Text between the byline and the first marker. Where "Chapter Text" marks every chapter's
    story, it is not story (a page's own lines): kept as front matter. Elsewhere it is story."""
    if blocks and assembly.has_text_marker:
        assembly.front.append(Matter(MatterKind.OTHER, "", blocks))
    else:
        assembly.story(blocks)


def _place_chapter(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """A chapter heading opens a chapter. In a download the story follows the heading directly;
    on a page it waits for "Chapter Text", and nothing stands between."""
    assembly.drafts.append(_ChapterDraft(label=segment.label, title=segment.title))
    if assembly.download:
        assembly.story(blocks)


def _place_text(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """ "Chapter Text" (or a one-shot's "Work Text:"): the story of the current chapter, or of a new
    untitled one when the current already has its text."""
    current = assembly.current
    if current is None or current.has_text:
        current = _ChapterDraft()
        assembly.drafts.append(current)
    current.body, current.has_text = blocks, True


def _place_summary(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """A summary before chapter 1 is the work's; after a heading, the chapter's."""
    current = assembly.current
    if current is None:
        assembly.summary += blocks
    else:
        current.summary += blocks


def _place_notes(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """ "Notes:" says nothing of whose notes it opens; its position does: before chapter 1 the
    work's, before a chapter's text the chapter's, after the text its end notes (the last of which
    may be the work's end notes: ``_Assembly.work`` decides)."""
    current = assembly.current
    if current is None:
        assembly.notes.extend(blocks)
    elif current.has_text:
        current.trailing_notes.append(blocks)
    else:
        current.notes += blocks


def _place_chapter_end_notes(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """ "Chapter End Notes" of a download: the current chapter's (the work's, before any chapter)."""
    if assembly.current is None:
        assembly.end_notes.extend(blocks)
    else:
        assembly.current.end_notes += blocks


def _place_work_end_notes(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """A download's "End Notes": the work's, wherever they stand."""
    assembly.end_notes.extend(blocks)


def _place_series(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """The series list after the work: back matter under AO3's heading."""
    assembly.back.append(Matter(MatterKind.SERIES, SERIES_HEADING, blocks))


def _place_inspired(assembly: _Assembly, segment: Segment, blocks: Blocks) -> None:
    """The list of works inspired by this one: back matter under AO3's heading."""
    assembly.back.append(Matter(MatterKind.INSPIRED, INSPIRED_HEADING, blocks))


Place = Callable[[_Assembly, Segment, Blocks], None]

#: Where each kind of segment goes, by the kind ``ao3_page`` gives it.
PLACES: Mapping[str, Place] = MappingProxyType(
    {
        "preamble": _place_preamble,
        "chapter": _place_chapter,
        "text": _place_text,
        "summary": _place_summary,
        "notes": _place_notes,
        "chapter-end-notes": _place_chapter_end_notes,
        "work-end-notes": _place_work_end_notes,
        "series": _place_series,
        "inspired": _place_inspired,
    }
)
