"""Project Gutenberg layout: a book between PG's header and its licence.

PG texts open with a header ("The Project Gutenberg eBook of …", ``Title:``, ``Author:``,
``Language:``, ``Release date:``, ``Most recently updated:``, read into the metadata) that ends at
``*** START OF THE PROJECT GUTENBERG EBOOK … ***``, and close with
``*** END OF THE PROJECT GUTENBERG EBOOK … ***`` and the licence. Both are kept as labelled front and
back matter, never mixed into the story; the book between is parsed as generic text.

The header and licence are PG's own prose, wrapped by PG's tools to a ragged right edge that says
nothing about where a paragraph ends, and measured against the book's own wrap width they would break
mid-sentence: there, every run of lines between blank lines is one paragraph, unless it is a list,
a block of header fields ("Title: …" on lines of their own), or lines that are lines (a banner, a
heading in capitals, an indented address). A book's own "List of Illustrations" near its start is
front matter of its own, not the end of its preface; a chapter heading set inside an illustration's
caption takes the caption with it into its chapter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from converter.document import (
    Block,
    Chapter,
    Heading,
    Illustration,
    Inline,
    LineGroup,
    ListBlock,
    Matter,
    MatterKind,
    Metadata,
    Paragraph,
    Text,
    Work,
    block_text,
)
from converter.languages import language_tag
from converter.parse.blocks import parse_blocks
from converter.parse.generic import parse_body
from converter.parse.lines import TextProfile, join_wrapped, profile_text, split_chunks
from converter.parse.lists import match_item

_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)", re.IGNORECASE)
_END = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E(?:BOOK|TEXT)", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<label>Title|Author|Language)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
# "Release date: June 1, 1998 [eBook #1342]", "Posting Date: August 26, 2008 [EBook #1342]",
# "Most recently updated: April 14, 2023", "[Last updated: March 8, 2018]": the dates PG states.
_DATE_FIELD = re.compile(
    r"^\[?\s*(?P<label>Release date|Posting date|Most recently updated|Last updated)\s*:"
    r"\s*(?P<value>[^\[\]]+)",
    re.IGNORECASE,
)
#: The labels of a revision's date, the most telling first ("Posting date" is when a re-made file
#: was posted, under the "Release date" of the book's first edition).
_REVISED = ("most recently updated", "last updated", "posting date")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
# "June 1, 1998", "1 June 1998", "June, 1998", "June 1998", "1998-06-01": as PG has written them.
_DATE_FORMS = (
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
)
# The header is short; a START marker deep inside a text is someone quoting one.
_HEADER_LINES = 400


def parse_gutenberg(lines: list[str]) -> Work | None:
    """Parse a Project Gutenberg text, or return ``None`` when the text has no PG markers."""
    start = next((i for i, line in enumerate(lines[:_HEADER_LINES]) if _START.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(len(lines) - 1, start, -1) if _END.match(lines[i])), len(lines))
    profile = profile_text(split_chunks(lines[start + 1 : end]))
    fields: dict[str, str] = {}
    for line in lines[:start]:
        match = _FIELD.match(line.strip()) or _DATE_FIELD.match(line.strip())
        if match:
            fields.setdefault(match["label"].lower(), match["value"].strip())
    front, chapters = parse_body(lines, start + 1, end, profile)
    chapters = _caption_with_its_heading(lines, chapters)
    front, chapters = _list_of_illustrations(front, chapters)
    header = Matter(MatterKind.SOURCE_HEADER, "About this Project Gutenberg eBook",
                    matter_blocks(lines[: start + 1]))  # fmt: skip
    back = ()
    if end < len(lines):
        back = (Matter(MatterKind.SOURCE_LICENSE, "The Project Gutenberg License",
                       matter_blocks(lines[end:])),)  # fmt: skip
    authors = tuple(a.strip() for a in re.split(r"\s+and\s+|;", fields.get("author", "")) if a.strip())
    meta = Metadata(
        title=fields.get("title", ""),
        authors=authors,
        language=language_tag(fields["language"]) if "language" in fields else None,
        publisher="Project Gutenberg",
        released=iso_date(fields.get("release date", "")),
        revised=iso_date(next((fields[label] for label in _REVISED if label in fields), "")),
    )
    return Work(meta=meta, chapters=chapters, front_matter=(header, *front), back_matter=back)


def iso_date(text: str) -> str | None:
    """A date as PG writes it ("June 1, 1998", "June, 1998") in ISO form, only as precise as
    written ("1998-06-01", "1998-06"); ``None`` when ``text`` holds no date."""
    for form in _DATE_FORMS:
        match = form.search(text)
        if match is None:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else _MONTHS.index(month.lower()) + 1
        day = match.groupdict().get("day")
        try:
            date = dt.date(int(match["year"]), number, int(day or 1))
        except ValueError:  # "February 30, 2001": no such day
            return None
        return date.isoformat() if day else date.isoformat()[:7]
    return None


# "Title: …", "Release date: …", "Most recently updated: …": a label of a few words, then a colon.
_FIELD_LINE = re.compile(r"^[A-Z][A-Za-z'’]*(?: [A-Za-z'’#-]+){0,3}\s*:(?:\s|$)")
# "***** This file should be named 2701.txt *****", "*** START: FULL LICENSE ***": a banner line.
_BANNER_LINE = re.compile(r"^\s*\*{3,}.*\*{3,}\s*$")
# An indented block of short lines ("Dr. Gregory B. Newby / Chief Executive and Director") is an
# address, and capitals this short are headings ("THE FULL PROJECT GUTENBERG LICENSE / PLEASE READ
# THIS BEFORE…"): kept line by line. A line this long is prose.
_SHORT_LINE = 60


def matter_blocks(lines: list[str]) -> tuple[Block, ...]:
    """PG's header or licence as blocks: each run of lines between blank lines is one paragraph,
    whatever the width of its lines (see the module's docstring), except lists, header fields (one
    paragraph per field, a line under one that is not a field continuing it), banner lines,
    headings in capitals and indented addresses, which keep their lines."""
    regrouped: list[str] = []  # the lines again, each paragraph joined onto one
    for chunk in split_chunks(lines):
        if chunk.spacer:
            continue
        chunk_lines = list(chunk.lines)
        if match_item(chunk_lines[0]) is not None or _is_address(chunk_lines):
            regrouped.extend(chunk_lines)  # the block rules know lists and lines kept as lines
        elif _FIELD_LINE.match(chunk_lines[0].strip()):
            for field in _fields(chunk_lines):
                if field[0].rstrip().endswith(":") and _is_address(field[1:]):
                    regrouped.extend((field[0], "", *field[1:]))  # "For contact information:"
                else:
                    regrouped.append(join_wrapped(field))
                regrouped.append("")
        elif all(line.upper() == line and len(line.strip()) < _SHORT_LINE for line in chunk_lines):
            for line in chunk_lines:
                regrouped.extend((line, ""))
        else:
            for paragraph in _split_at_banners(chunk_lines):
                regrouped.extend((join_wrapped(paragraph), ""))
        regrouped.append("")
    # Every chunk is one line now, or a list or an address: no width is measured.
    return parse_blocks(regrouped, TextProfile())


def _is_address(lines: list[str]) -> bool:
    return bool(lines) and all(line[:1].isspace() and len(line.strip()) < _SHORT_LINE for line in lines)


def _fields(lines: list[str]) -> list[list[str]]:
    """The fields of a chunk that opens with one: a line that is not a field continues the last."""
    fields: list[list[str]] = []
    for line in lines:
        if _FIELD_LINE.match(line.strip()) or not fields:
            fields.append([line])
        else:
            fields[-1].append(line)
    return fields


def _split_at_banners(lines: list[str]) -> list[list[str]]:
    """A chunk's lines as paragraphs: a banner line stands alone, the lines between join."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if _BANNER_LINE.match(line):
            paragraphs.extend(([line], []))
        else:
            paragraphs[-1].append(line)
    return [paragraph for paragraph in paragraphs if paragraph]


def _caption_with_its_heading(lines: list[str], chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
    """An illustrated edition sets a chapter's heading inside the picture that opens it
    ("[Illustration: ·PRIDE AND PREJUDICE· … Chapter I.]"): the heading line closes the bracket, so
    the caption's start ends the chapter before. It moves to the head of its own chapter."""
    moved = list(chapters)
    for number in range(1, len(moved)):
        chapter, before = moved[number], moved[number - 1]
        line = lines[chapter.heading_line - 1].strip() if chapter.heading_line else ""
        if not line.endswith("]") or "[" in line or not before.body:
            continue
        caption = before.body[-1]
        if isinstance(caption, Illustration):
            moved[number - 1] = dataclasses.replace(before, body=before.body[:-1])
            moved[number] = dataclasses.replace(chapter, body=(caption, *chapter.body))
    return tuple(moved)


# "List of Illustrations", "ILLUSTRATIONS", "Illustrations." as a list's own title.
_LIST_TITLE = re.compile(r"^(?:list\s+of\s+)?(?:the\s+)?illustrations\.?$", re.IGNORECASE)
# The list is looked for this near the start: in the matter before the first chapter and the first
# few chapters (a preface it follows).
_LIST_WITHIN_CHAPTERS = 3
# An entry is a caption's words and perhaps a page number: a line, not a sentence of prose.
_ENTRY_MAX_WORDS = 16
# The spaces that set an entry's page number in a column.
_SPACES = re.compile(r" {2,}")


def _list_of_illustrations(
    front: tuple[Matter, ...], chapters: tuple[Chapter, ...]
) -> tuple[tuple[Matter, ...], tuple[Chapter, ...]]:
    """Take a book's own list of illustrations out of the matter or chapter it ended up in and make
    it front matter of its own (``MatterKind.CONTENTS``). A chapter left empty is dropped."""
    for position, matter in enumerate(front):
        found = _find_list(matter.blocks)
        if found is not None:
            start, stop = found
            rest = matter.blocks[:start] + matter.blocks[stop:]
            listed = _contents(matter.blocks[start:stop])
            kept = (dataclasses.replace(matter, blocks=rest),) if rest else ()
            return (*front[:position], *kept, listed, *front[position + 1 :]), chapters
    for position, chapter in enumerate(chapters[:_LIST_WITHIN_CHAPTERS]):
        found = _find_list(chapter.body)
        if found is None:
            continue
        start, stop = found
        listed = _contents(chapter.body[start:stop])
        body = chapter.body[:start] + chapter.body[stop:]
        if body or chapter.label or chapter.title:
            changed = (
                *chapters[:position],
                dataclasses.replace(chapter, body=body),
                *chapters[position + 1 :],
            )
        else:
            changed = tuple(
                dataclasses.replace(c, number=number)
                for number, c in enumerate(chapters[:position] + chapters[position + 1 :], start=1)
            )
        return (*front, listed), changed
    return front, chapters


def _contents(blocks: tuple[Block, ...]) -> Matter:
    """The list as matter. A title written as text ("ILLUSTRATIONS") becomes the matter's title
    as written; a picture that heads the list ("[Illustration: List of Illustrations.]") stays, and
    the matter is titled plainly. The entries, a paragraph each in the text, are the lines of one
    group: a list's lines are lines, not paragraphs to indent."""
    title, entries = "List of Illustrations", list(blocks)
    if not isinstance(entries[0], Illustration):
        title = _title_text(entries.pop(0)).rstrip(".")
    grouped: list[Block] = []
    for block in entries:
        if isinstance(block, Paragraph):
            line = _spaced_once(block.inlines)
            if grouped and isinstance(grouped[-1], LineGroup):
                grouped[-1] = LineGroup((*grouped[-1].lines, line))
            else:
                grouped.append(LineGroup((line,)))
        else:
            grouped.append(block)
    return Matter(MatterKind.CONTENTS, title, tuple(grouped))


def _spaced_once(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """An entry's runs of spaces, which set its page number in a column, as single spaces."""
    return tuple(Text(_SPACES.sub(" ", node.text)) if isinstance(node, Text) else node for node in inlines)


def _find_list(blocks: tuple[Block, ...]) -> tuple[int, int] | None:
    """Where a list of illustrations stands in ``blocks``: its title, then at least two entries,
    up to the first block that is not one. ``None`` when there is none."""
    for start, block in enumerate(blocks):
        if not _LIST_TITLE.match(_title_text(block)):
            continue
        stop = start + 1
        while stop < len(blocks) and _is_entry(blocks[stop]):
            stop += 1
        if stop - start > 2:
            return start, stop
    return None


def _title_text(block: Block) -> str:
    if isinstance(block, Illustration):  # "[Illustration: List of Illustrations.]", its heading
        text = block_text(dataclasses.replace(block, label=""))
    elif isinstance(block, (Paragraph, Heading)):
        text = block_text(block)
    else:
        return ""
    return " ".join(text.strip(" _*[]").split())


def _is_entry(block: Block) -> bool:
    """One or more lines of a list of illustrations: "“He came down to see the place”   2"."""
    if isinstance(block, ListBlock):
        return all(len(item) == 1 and _is_entry(item[0]) for item in block.items)
    if not isinstance(block, (Paragraph, LineGroup)):
        return False
    return all(0 < len(line.split()) <= _ENTRY_MAX_WORDS for line in block_text(block).split("\n"))
