"""A book's own table of contents near its start, as evidence for its headings.

Accepted forms: a line ``Contents`` / ``Table of Contents`` / ``Table des matières`` / ``Sommaire`` /
``Inhalt`` / ``Índice`` / ``Содержание`` / ``目录`` / ``目次`` / ``차례`` (and a few more), then the
entries, one a line, until a long blank stretch; an entry's numbering ("CHAPTER I.", "IV.") and page
number ("…… 23") are not part of it. The list counts only when most of its top-level entries are
found later, in order, as lines standing alone (or as the title under a heading): then those lines
open chapters, and the list is kept as front matter, as written.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field

from converter.parse.chapter_heading import match_heading
from converter.parse.lines import is_blank


@dataclass(frozen=True)
class ContentsList:
    """A book's own table of contents near its start: the lines it spans (kept as front matter)
    and its top-level entries, normalised for matching against heading lines."""

    start: int
    end: int  # one past its last line
    entries: tuple[str, ...]
    #: The lines after the list that read as its entries (line index -> entry), found once.
    listed: dict[int, str] = field(default_factory=dict)


_CONTENTS_HEADING = re.compile(
    r"^(?:(?:table\s+of\s+)?contents|table\s+des\s+mati[eè]res|sommaire|inhalt(?:sverzeichnis)?|[íi]ndice"
    r"|содержание|оглавление|目录|目錄|目次|차례|목차)\s*[.:]?$",
    re.IGNORECASE,
)
_ENTRY_NUMBER = re.compile(r"^(?:(?:chapter|part|book|adventure|chapitre)\s+)?(?:[0-9]+|[IVXLCDM]+)[.):]?\s+",
                           re.IGNORECASE)  # fmt: skip
_PAGE_NUMBER = re.compile(r"[\s.·…_]*(?:\d+|[ivxlc]+)$")
_CONTENTS_HEADING_CHARS = 40
# A contents list is near the start, and a blank stretch this long ends it.
_CONTENTS_WITHIN = 0.2
_CONTENTS_GAP = 3
# The list is evidence when this share of its entries stands later as a line of its own, in order.
_CONTENTS_MATCHED = 0.6


def find_contents(lines: list[str], start: int, end: int) -> ContentsList | None:
    """The table of contents at the start of ``lines[start:end]``, when its entries are found
    later as lines of their own (a list of titles that matches nothing is left as text)."""
    limit = start + max(200, int(_CONTENTS_WITHIN * (end - start)))
    heading = next(
        (
            i
            for i in range(start, min(limit, end))
            if len(lines[i]) <= _CONTENTS_HEADING_CHARS and _CONTENTS_HEADING.match(lines[i].strip())
        ),
        None,
    )
    if heading is None:
        return None
    entries: list[tuple[int, int, str]] = []  # (line, indent, normalised text)
    index, blanks = heading + 1, 0
    while index < end and blanks < _CONTENTS_GAP:
        line = lines[index]
        if is_blank(line):
            blanks += 1 if entries else 0
        else:
            blanks = 0
            if len(line.strip()) > 100:
                break
            entries.append((index, len(line) - len(line.lstrip()), _entry_key(line)))
        index += 1
    if len(entries) < 2:
        return None
    top = min(indent for _, indent, _ in entries)
    keys = tuple(key for _, indent, key in entries if indent == top and key)
    contents = ContentsList(heading, entries[-1][0] + 1, keys)
    matched = _match_entries(lines, contents, end)
    if len(matched) < max(2, _CONTENTS_MATCHED * len(keys)):
        return None
    return dataclasses.replace(contents, listed=matched)


def _entry_key(text: str) -> str:
    """An entry or heading as compared: numbering and page numbers off, letters and digits only."""
    text = _PAGE_NUMBER.sub("", _ENTRY_NUMBER.sub("", text.strip().strip("_*"))).strip()
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _match_entries(lines: list[str], contents: ContentsList, end: int) -> dict[int, str]:
    """The lines after the list that stand alone and read as its entries, in the list's order."""
    matched: dict[int, str] = {}
    position = 0
    for index in range(contents.end, end):
        if position >= len(contents.entries):
            break
        if is_blank(lines[index]):
            continue
        # An entry stands alone, or as the title under its heading ("CHAPTER I." / "Down the Well").
        if not (index == 0 or is_blank(lines[index - 1]) or match_heading(lines[index - 1]) is not None):
            continue
        key = _entry_key(lines[index])
        if not key or len(lines[index].strip()) > 100:
            continue
        for ahead in range(position, min(position + 3, len(contents.entries))):
            entry = contents.entries[ahead]
            if key == entry or key.endswith(" " + entry) or entry.endswith(" " + key):
                matched[index] = entry
                position = ahead + 1
                break
    return matched
