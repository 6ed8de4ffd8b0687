"""AO3 layout: the text of an Archive of Our Own work page, copied from a browser.

Such a copy opens with page furniture ("Actions", "Work Header"), then the metadata block in one of
two shapes browsers produce::

    Rating: Teen And Up Audiences            Rating:
    Fandom: Marvel, The Avengers                 Teen And Up Audiences
                                             Fandom:
                                                 Marvel
                                                 The Avengers

then the title, the byline, ``Summary:`` and ``Notes:``, and the chapters: ``Chapter N: Title`` (or
``Chapter N``), optional ``Summary:``/``Notes:``, ``Chapter Text`` (``Work Text:`` in a one-shot), the
text, and ``Notes:`` after it. Which notes a ``Notes:`` opens is told by its position. The page's
chrome after the work ("Actions", "Kudos", "Comments", "↑ Top") ends the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converter.document import (
    Block,
    Chapter,
    Matter,
    MatterKind,
    Metadata,
    SeriesRef,
    Stats,
    TagGroup,
    TagKind,
    Work,
)
from converter.languages import language_tag
from converter.parse.blocks import parse_blocks
from converter.parse.lines import TextProfile, is_blank, profile_text, split_chunks

_TAG_LABELS = {
    "rating": TagKind.RATING,
    "ratings": TagKind.RATING,
    "archive warning": TagKind.WARNING,
    "archive warnings": TagKind.WARNING,
    "category": TagKind.CATEGORY,
    "categories": TagKind.CATEGORY,
    "fandom": TagKind.FANDOM,
    "fandoms": TagKind.FANDOM,
    "relationship": TagKind.RELATIONSHIP,
    "relationships": TagKind.RELATIONSHIP,
    "character": TagKind.CHARACTER,
    "characters": TagKind.CHARACTER,
    "additional tags": TagKind.FREEFORM,
    "additional tag": TagKind.FREEFORM,
}
_STAT_LABELS = (
    "published",
    "updated",
    "completed",
    "words",
    "chapters",
    "comments",
    "kudos",
    "bookmarks",
    "hits",
)
_OTHER_LABELS = ("language", "series", "collections", "collection", "stats")
_FIELD = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(label) for label in (*_TAG_LABELS, *_STAT_LABELS, *_OTHER_LABELS))
    + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_STAT = re.compile(r"(?P<label>" + "|".join(_STAT_LABELS) + r")\s*:\s*(?P<value>[^\s]+)", re.I)
_SERIES = re.compile(r"Part\s+(?P<position>\d+)\s+of\s+(?P<name>.+?)\s*(?:Next Work\s*→)?$", re.I)

#: Lines that are page furniture wherever they stand: dropped, never typeset.
FURNITURE = frozenset(
    {
        "Actions",
        "Work Header",
        "Chapter Text",
        "Work Text:",
        "Work Text",
        "(See the end of the work for more notes.)",
        "(See the end of the chapter for more notes.)",
        "(See the end of the work for other works inspired by this one.)",
        "Share",
        "Download",
        "Entire Work",
        "Chapter by Chapter",
        "Kudos ♥",
        "Bookmark",
        "Subscribe",
        "Mark for Later",
        "Comments",
        "↑ Top",
        "Top",
        "Kudos",
        "Hide Comments",
        "Post Comment",
    }
)
# Chrome that follows the work: from here on nothing is the author's.
_END_OF_WORK = frozenset({"Actions", "↑ Top", "Kudos ♥", "Kudos", "Comments", "Post Comment"})
_CHAPTER = re.compile(r"^Chapter\s+(?P<number>\d+)(?:\s*:\s*(?P<title>.*\S))?\s*$")
_MARKERS = {
    "Summary:": "summary",
    "Notes:": "notes",
    "Chapter Text": "text",
    "Work Text:": "text",
    "Series this work belongs to:": "series",
    "Works inspired by this one:": "inspired",
}
# Evidence that a text is an AO3 copy: any of these lines, or two metadata fields.
_SIGNS = frozenset({"Work Header", "Chapter Text", "Work Text:"})


def looks_like_ao3(lines: list[str]) -> bool:
    """True when the text carries AO3's page structure."""
    stripped = [line.strip() for line in lines[:4000]]
    if any(line in _SIGNS for line in stripped):
        return True
    fields = {m["label"].lower() for line in stripped[:200] if (m := _FIELD.match(line))}
    return len(fields & set(_TAG_LABELS)) >= 2 or {"rating", "fandom"} <= fields


def parse_ao3_page(lines: list[str]) -> Work | None:
    """Parse an AO3 page copy, or return ``None`` when the text is not one."""
    if not looks_like_ao3(lines):
        return None
    profile = profile_text(split_chunks(lines))
    cursor = _skip_furniture(lines, 0)
    fields, cursor = _read_fields(lines, cursor)
    cursor = _skip_furniture(lines, cursor)
    title, authors, cursor = _title_and_byline(lines, cursor)
    segments = _segments(lines, cursor)
    work = _assemble(segments, profile)
    meta = _metadata(fields, title, authors, work.meta.summary)
    return Work(
        meta=meta,
        chapters=work.chapters,
        notes=work.notes,
        end_notes=work.end_notes,
        front_matter=work.front_matter,
        back_matter=work.back_matter,
    )


def _skip_furniture(lines: list[str], cursor: int) -> int:
    while cursor < len(lines) and (is_blank(lines[cursor]) or lines[cursor].strip() in FURNITURE):
        cursor += 1
    return cursor


# --- The metadata block ---------------------------------------------------------------------------


@dataclass
class _Field:
    label: str  # lower case, for matching
    written: str = ""  # as the source wrote it
    values: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.values)


def _read_fields(lines: list[str], cursor: int) -> tuple[list[_Field], int]:
    """Read ``Label: value`` fields, values on the label's line or on the (indented) lines after.
    A blank line ends the block unless a label or an indented value follows it."""
    fields: list[_Field] = []
    while cursor < len(lines):
        line = lines[cursor]
        if is_blank(line):
            ahead = cursor
            while ahead < len(lines) and is_blank(lines[ahead]):
                ahead += 1
            if not fields or ahead == len(lines):
                break
            nxt = lines[ahead]
            if _FIELD.match(nxt) or (not fields[-1].values and nxt[:1].isspace()):
                cursor = ahead
                continue
            break
        match = _FIELD.match(line)
        if match:
            fields.append(_Field(match["label"].lower(), match["label"].strip()))
            if match["value"].strip():
                fields[-1].values.append(match["value"].strip())
        elif fields:
            fields[-1].values.append(line.strip())
        else:
            break
        cursor += 1
    return fields, cursor


def _metadata(fields: list[_Field], title: str, authors: tuple[str, ...], summary) -> Metadata:
    tags: dict[TagKind, list[str]] = {}
    written: dict[TagKind, str] = {}
    language = None
    series: list[SeriesRef] = []
    collections: list[str] = []
    stats_text: list[str] = []
    for item in fields:
        if item.label in _TAG_LABELS:
            values = [t.strip() for v in item.values for t in v.split(",") if t.strip()]
            kind = _TAG_LABELS[item.label]
            tags.setdefault(kind, []).extend(values)
            written.setdefault(kind, item.written)
        elif item.label == "language" and item.values:
            language = language_tag(item.values[0])
        elif item.label == "series":
            series.extend(_series(item.text))
        elif item.label in ("collections", "collection"):
            collections.extend(t.strip() for v in item.values for t in v.split(",") if t.strip())
        else:  # "stats" and its sub-fields
            label = "" if item.label == "stats" else item.label + ": "
            stats_text.append(label + " ".join(item.values))
    groups = tuple(TagGroup(kind, tuple(tags[kind]), written[kind]) for kind in TagKind if kind in tags)
    return Metadata(
        title=title,
        authors=authors,
        language=language,
        summary=summary,
        tags=groups,
        series=tuple(series),
        collections=tuple(collections),
        stats=parse_stats(" ".join(stats_text)),
    )


def _series(text: str) -> list[SeriesRef]:
    refs = []
    for line in text.replace("←", "\n").split("\n"):
        line = line.replace("Previous Work", "").strip()
        match = _SERIES.search(line)
        if match:
            refs.append(SeriesRef(match["name"].strip(), int(match["position"])))
    return refs


def parse_stats(text: str) -> Stats:
    """AO3's stats line ("Published: 2023-05-25 Words: 11,326 Chapters: 2/2 …") as ``Stats``."""
    values: dict[str, str] = {m["label"].lower(): m["value"] for m in _STAT.finditer(text)}

    def number(key: str) -> int | None:
        digits = values.get(key, "").replace(",", "").replace(".", "")
        return int(digits) if digits.isdigit() else None

    return Stats(
        published=values.get("published"),
        updated=values.get("updated"),
        completed=values.get("completed"),
        words=number("words"),
        chapters=values.get("chapters"),
        comments=number("comments"),
        kudos=number("kudos"),
        bookmarks=number("bookmarks"),
        hits=number("hits"),
    )


def _title_and_byline(lines: list[str], cursor: int) -> tuple[str, tuple[str, ...], int]:
    """The title is the first line after the metadata; up to two short lines before the first
    section marker are the byline."""
    if cursor >= len(lines) or _marker(lines, cursor):
        return "", (), cursor
    title = lines[cursor].strip()
    cursor += 1
    byline: list[str] = []
    probe = cursor
    while probe < len(lines) and not _marker(lines, probe):
        if not is_blank(lines[probe]):
            byline.append(lines[probe].strip())
        probe += 1
    if byline and len(byline) <= 2 and all(len(line) <= 150 for line in byline):
        authors = tuple(a.strip() for line in byline for a in line.split(",") if a.strip())
        return title, authors, probe
    return title, (), cursor


# --- Sections and chapters ------------------------------------------------------------------------


@dataclass
class _Segment:
    """Lines between two markers; ``kind`` is the marker that opened them."""

    kind: str
    lines: list[str] = field(default_factory=list)
    label: str = ""
    title: str = ""


def _marker(lines: list[str], index: int) -> str | None:
    """The section marker at ``lines[index]``: a label, a confirmed chapter heading, or the end."""
    line = lines[index].strip()
    if line in _MARKERS:
        return _MARKERS[line]
    match = _CHAPTER.match(line)
    if match:
        following = next(
            (lines[i].strip() for i in range(index + 1, len(lines)) if not is_blank(lines[i])), ""
        )
        # AO3 always follows a chapter heading with one of these; a story line never is.
        if following in ("Chapter Text", "Summary:", "Notes:"):
            return "chapter"
    return None


def _segments(lines: list[str], cursor: int) -> list[_Segment]:
    segments = [_Segment("preamble")]
    for index in range(cursor, len(lines)):
        line = lines[index].strip()
        kind = _marker(lines, index)
        if kind == "chapter":
            match = _CHAPTER.match(line)
            assert match is not None
            segments.append(
                _Segment("chapter", label=f"Chapter {match['number']}", title=(match["title"] or "").strip())
            )
        elif kind is not None:
            segments.append(_Segment(kind))
        elif line in _END_OF_WORK and segments[-1].kind in ("text", "notes", "series", "inspired"):
            segments.append(_Segment("end"))
        elif line in FURNITURE:
            continue
        else:
            segments[-1].lines.append(lines[index])
    return segments


@dataclass
class _ChapterDraft:
    label: str = ""
    title: str = ""
    summary: tuple[Block, ...] = ()
    notes: tuple[Block, ...] = ()
    body: tuple[Block, ...] = ()
    trailing_notes: list[tuple[Block, ...]] = field(default_factory=list)
    has_text: bool = False


def _assemble(segments: list[_Segment], profile: TextProfile) -> Work:
    """Place each segment by its position: before the first chapter, inside one, or after."""
    summary: tuple[Block, ...] = ()
    notes: list[Block] = []
    drafts: list[_ChapterDraft] = []
    front: list[Matter] = []
    back: list[Matter] = []
    has_text_marker = any(s.kind == "text" for s in segments)
    ended = False
    for segment in segments:
        if ended:
            break
        blocks = parse_blocks(segment.lines, profile)
        current = drafts[-1] if drafts else None
        if segment.kind == "preamble":
            if blocks and has_text_marker:
                front.append(Matter(MatterKind.OTHER, "", blocks))
            elif blocks:
                drafts.append(_ChapterDraft(body=blocks, has_text=True))
        elif segment.kind == "chapter":
            drafts.append(_ChapterDraft(label=segment.label, title=segment.title))
        elif segment.kind == "text":
            if current is None or current.has_text:
                current = _ChapterDraft()
                drafts.append(current)
            current.body, current.has_text = blocks, True
        elif segment.kind == "summary":
            if current is None:
                summary = summary + blocks
            else:
                current.summary += blocks
        elif segment.kind == "notes":
            if current is None:
                notes.extend(blocks)
            elif current.has_text:
                current.trailing_notes.append(blocks)
            else:
                current.notes += blocks
        elif segment.kind == "series":
            back.append(Matter(MatterKind.SERIES, "Series this work belongs to", blocks))
        elif segment.kind == "inspired":
            back.append(Matter(MatterKind.INSPIRED, "Works inspired by this one", blocks))
        elif segment.kind == "end":
            ended = True
    end_notes: tuple[Block, ...] = ()
    if drafts and drafts[-1].trailing_notes:
        # After the last chapter AO3 prints the chapter's end notes, then the work's: with one
        # "Notes:" there, it is the work's.
        last = drafts[-1]
        *chapter_end, work_end = last.trailing_notes
        last.trailing_notes = chapter_end
        end_notes = work_end
    chapters = tuple(
        Chapter(
            number=i,
            label=d.label,
            title=d.title,
            summary=d.summary,
            notes=d.notes,
            body=d.body,
            end_notes=tuple(b for blocks in d.trailing_notes for b in blocks),
        )
        for i, d in enumerate(drafts or [_ChapterDraft()], start=1)
    )
    return Work(
        meta=Metadata(summary=summary),
        chapters=chapters,
        notes=tuple(notes),
        end_notes=end_notes,
        front_matter=tuple(front),
        back_matter=tuple(back),
    )
