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

Between the preface and chapter 1 AO3 prints the work's associations (inside the ``Notes:`` module
of a page, after the notes in a download), one a line::

    Translation into Русский available: Title by someone
    A translation of Title by someone.
    Inspired by Title by Author.
    In response to a prompt by someone in the Name collection.

and authors add their own of the same kind ("A [podfic] of this work exists: …", "Podfic of this
work by …", "Translated into 中文 by …"). They are about the work, so they join the work's notes (as
the HTML reader keeps a download's related-works list): never the byline, never a chapter.

This module reads the top of the copy (furniture, the metadata block, the title and byline) and cuts
the rest into segments at the section markers; ``ao3_assembly`` places the segments into the work,
and the words AO3 prints (labels, "Part 2 of Name", "Chapter 3: Title", stats) are ``ao3_fields``'.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from converter.document import (
    Metadata,
    SeriesRef,
    TagGroup,
    TagKind,
    Work,
)
from converter.languages import language_tag
from converter.parse.ao3_assembly import Segment, assemble
from converter.parse.ao3_fields import (
    FIELD_LABELS,
    INSPIRED_HEADING,
    NOTE_HEADINGS,
    SERIES_HEADING,
    TAG_LABELS,
    FieldKind,
    byline_authors,
    chapter_heading,
    field_kind,
    is_association,
    parse_stats,
    series_refs,
    split_values,
)
from converter.parse.lines import is_blank, profile_text, split_chunks

# One field of the metadata block, "Label: value" (the value may be empty: it then stands below).
_FIELD = re.compile(
    r"^\s*(?P<label>" + "|".join(re.escape(label) for label in FIELD_LABELS) + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)

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
        # The pointer as AO3 words it for a work with end notes and inspired works, or end notes only.
        "(See the end of the work for more notes and other works inspired by this one.)",
        "(See the end of the work for notes and other works inspired by this one.)",
        "(See the end of the work for notes.)",
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
# The lines that open a section, with the section each opens: a page's labels, then the headings
# of AO3's downloads (HTML, EPUB, PDF) as a text copied from one shows them.
_MARKERS = {
    "Summary:": "summary",
    "Notes:": "notes",
    "Chapter Text": "text",
    "Work Text:": "text",
    f"{SERIES_HEADING}:": "series",
    f"{INSPIRED_HEADING}:": "inspired",
    **NOTE_HEADINGS,
    INSPIRED_HEADING: "inspired",
    SERIES_HEADING: "series",
}
# Evidence that a text is an AO3 copy: any of these lines, or two metadata fields.
_SIGNS = frozenset({"Work Header", "Chapter Text", "Work Text:", "Chapter End Notes", "Afterword"})
# A download names its source twice: "Posted originally on the Archive of Our Own at URL."
_POSTED = re.compile(r"^Posted originally on the Archive of Our Own at\s+(?P<url>\S+?)\.?$")


def _posted(line: str) -> re.Match[str] | None:
    """The "Posted originally…" line's match, for a stripped line; the pattern is tried only on a
    line that opens as it must (the scans for it look at every line of a text)."""
    return _POSTED.match(line) if line.startswith("Posted originally") else None


_DOWNLOAD_FURNITURE = frozenset({
    "Preface", "Afterword", "See the end of the work for more notes", "See the end of the work for notes",
    "See the end of the chapter for more notes",
    "See the end of the work for other works inspired by this one",
    "Please drop by the Archive and comment to let the creator know if you enjoyed their work!",
    "Please drop by the Archive and comment to let the creator know if you enjoyed their work",
})  # fmt: skip


def looks_like_ao3(lines: list[str]) -> bool:
    """True when the text carries AO3's page structure."""
    stripped = [line.strip() for line in lines[:4000]]
    if any(line in _SIGNS or _posted(line) for line in stripped):
        return True
    fields = {m["label"].lower() for line in stripped[:200] if (m := _FIELD.match(line))}
    return len(fields & TAG_LABELS.keys()) >= 2 or {"rating", "fandom"} <= fields


def parse_ao3_page(lines: list[str]) -> Work | None:
    """Parse an AO3 page copy, or return ``None`` when the text is not one."""
    if not looks_like_ao3(lines):
        return None
    profile = profile_text(split_chunks(lines))
    dropped: list[str] = []
    source_url = _source_url(lines, dropped)
    download = source_url is not None or any(line.strip() == "Chapter End Notes" for line in lines)
    cursor = _skip_furniture(lines, _after_download_heading(lines, dropped), dropped)
    fields, cursor = _read_fields(lines, cursor)
    cursor = _skip_furniture(lines, cursor, dropped)
    title, authors, cursor = _title_and_byline(lines, cursor, download)
    segments = _segments(lines, cursor, dropped, download)
    work = assemble(segments, profile, download)
    meta = dataclasses.replace(
        _metadata(fields, title, authors, work.meta.summary, dropped, download), source_url=source_url
    )
    return dataclasses.replace(work, meta=meta, furniture=tuple(dropped))


def _source_url(lines: list[str], dropped: list[str]) -> str | None:
    """The work's address from a download's "Posted originally on the Archive of Our Own at URL"."""
    for line in lines:
        match = _posted(line.strip())
        if match:
            return match["url"]
    return None


def _after_download_heading(lines: list[str], dropped: list[str]) -> int:
    """A download opens with the title, then "Posted originally…": that first title is a repeat of
    the one on the title page (dropped as furniture, recorded)."""
    head = [i for i, line in enumerate(lines[:12]) if not is_blank(line)]
    for position, index in enumerate(head):
        if _posted(lines[index].strip()):
            dropped.extend(lines[i].strip() for i in head[:position])
            return index
    return 0


def _is_furniture(line: str) -> bool:
    if line in FURNITURE or line in _DOWNLOAD_FURNITURE:
        return True
    return _posted(line) is not None


def _skip_furniture(lines: list[str], cursor: int, dropped: list[str]) -> int:
    while cursor < len(lines) and (is_blank(lines[cursor]) or _is_furniture(lines[cursor].strip())):
        if not is_blank(lines[cursor]):
            dropped.append(lines[cursor].strip())
        cursor += 1
    return cursor


# --- The metadata block ---------------------------------------------------------------------------


@dataclass
class _Field:
    label: str  # lower case, for matching
    written: str = ""  # as the source wrote it
    values: list[str] = field(default_factory=list)
    inline: bool = False  # the value stood on the label's own line

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
                fields[-1].inline = True
        elif fields and not fields[-1].inline:
            fields[-1].values.append(line.strip())
        else:
            break
        cursor += 1
    return fields, cursor


def _metadata(
    fields: list[_Field],
    title: str,
    authors: tuple[str, ...],
    summary,
    dropped: list[str],
    download: bool = False,
) -> Metadata:
    """The metadata block's fields as ``Metadata``. A work page labels a tag field by its count
    ("Characters:"), and that label is kept as written; a download names every field in the
    singular ("Character:" over two names), so there the count chooses, as on the page."""
    tags: dict[TagKind, list[str]] = {}
    written: dict[TagKind, str] = {}
    language = None
    series: list[SeriesRef] = []
    collections: list[str] = []
    stats_text: list[str] = []
    other: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in fields:
        kind = field_kind(item.label)
        if item.label in seen and kind is not FieldKind.TAG and item.label not in ("series", "collections"):
            dropped.append(item.written)  # a label given twice: the title page names it once
        seen.add(item.label)
        if kind is FieldKind.TAG:
            values = [value for text in item.values for value in split_values(text)]
            tag = TAG_LABELS[item.label]
            if tag in tags:  # a field given twice is shown once, under one label
                dropped.append(item.written)
            tags.setdefault(tag, []).extend(values)
            written.setdefault(tag, "" if download else item.written)
        elif kind is FieldKind.LANGUAGE and item.values:
            if language is not None or len(item.values) > 1:  # shown once: the rest repeats it
                dropped.extend(item.values if language else item.values[1:])
            if language is None and language_tag(item.values[0]) is None:
                other.append((item.written, item.values[0]))  # a language we cannot name: kept
            language = language or language_tag(item.values[0])
        elif kind is FieldKind.SERIES:
            series.extend(_series(item.text, dropped))
        elif kind is FieldKind.COLLECTIONS:
            collections.extend(value for text in item.values for value in split_values(text))
        else:  # "stats" and its sub-fields (and a "Language:" with no value, as before)
            label = "" if kind is FieldKind.STATS else item.label + ": "
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
        stats=parse_stats(" ".join(stats_text), dropped),
        other=tuple(other),
    )


def _series(text: str, dropped: list[str]) -> list[SeriesRef]:
    """ "← Previous Work Part 2 of Name Next Work →": the links around the part are navigation."""
    refs = []
    for line in text.replace("←", "\n").split("\n"):
        for link in ("Previous Work", "Next Work"):
            if link in line:
                dropped.append(link)
                line = line.replace(link, "")
        refs.extend(series_refs(line.strip(" →")))
    return refs


def _title_and_byline(
    lines: list[str], cursor: int, download: bool = False
) -> tuple[str, tuple[str, ...], int]:
    """The title is the first line after the metadata; up to two short lines before the first
    section marker are the byline. An association ends the byline: in a work with no summary or
    notes, "by someauthor" is followed straight by "Inspired by Title by Author."."""
    if cursor >= len(lines) or _marker(lines, cursor, download):
        return "", (), cursor
    title = lines[cursor].strip()
    cursor += 1
    byline: list[str] = []
    probe = cursor
    while probe < len(lines) and not _marker(lines, probe, download) and not is_association(lines[probe]):
        if not is_blank(lines[probe]):
            byline.append(lines[probe].strip())
        probe += 1
    if byline and len(byline) <= 2 and all(len(line) <= 150 for line in byline):
        return title, tuple(name for line in byline for name in byline_authors(line)), probe
    return title, (), cursor


# --- Sections and chapters ------------------------------------------------------------------------


def _marker(lines: list[str], index: int, download: bool = False) -> str | None:
    """The section marker at ``lines[index]``: a label, or a confirmed chapter heading."""
    line = lines[index].strip()
    if line in _MARKERS:
        return _MARKERS[line]
    heading = chapter_heading(line)
    if heading and download:
        # A download has no "Chapter Text": a heading is a "Chapter N" line standing alone.
        return "chapter" if (index == 0 or is_blank(lines[index - 1])) else None
    if heading:
        following = next(
            (lines[i].strip() for i in range(index + 1, len(lines)) if not is_blank(lines[i])), ""
        )
        # AO3 always follows a chapter heading with one of these; a story line never is.
        if following in ("Chapter Text", "Summary:", "Notes:"):
            return "chapter"
    return None


def _segments(lines: list[str], cursor: int, dropped: list[str], download: bool) -> list[Segment]:
    segments = [Segment("preamble")]
    for index in range(cursor, len(lines)):
        line = lines[index].strip()
        if not line:  # half of all lines: no marker, no furniture, kept for the chunks
            segments[-1].lines.append(lines[index])
            continue
        kind = _marker(lines, index, download)
        if kind == "chapter":
            heading = chapter_heading(line)
            assert heading is not None
            segments.append(Segment("chapter", label=heading.label, title=heading.title))
        elif kind is not None:
            # The label itself is furniture: the book labels each section in its own words.
            segments.append(Segment(kind))
            dropped.append(line)
        elif line in _END_OF_WORK and segments[-1].kind in ("text", "notes", "series", "inspired"):
            # The page's chrome after the work (kudos, comments): the text ends here.
            dropped.extend(other.strip() for other in lines[index:] if not is_blank(other))
            break
        elif _is_furniture(line):
            dropped.append(line)
            continue
        else:
            segments[-1].lines.append(lines[index])
    return segments
