"""Generic layout: a manuscript or book in plain text, the layout every text falls back to.

It finds a title block at the top ("Title" / "by Author", or a Markdown ``# Title``), chapter
headings (see ``chapter_heading``), and hands each chapter's lines to the block rules. Headings are
trusted by the evidence of the whole text: a lone "IV" opens a chapter only in a text that has a run
of such numbers, and when in doubt a line stays text.
"""

from __future__ import annotations

import dataclasses
import re

from converter.document import (
    Block,
    Chapter,
    Illustration,
    LineGroup,
    Matter,
    MatterKind,
    Paragraph,
    SceneBreak,
    Work,
    block_text,
    plain_text,
)
from converter.parse.blocks import parse_blocks
from converter.parse.contents_list import find_contents
from converter.parse.headings import HeadingLine, find_headings
from converter.parse.lines import TextProfile, profile_text, split_chunks
from converter.parse.title_page import read_title_page

_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(?P<author>\S.*)$", re.IGNORECASE)


def parse_generic(lines: list[str]) -> Work:
    """Parse a text with no archive layout. Always succeeds: it is the last layout tried."""
    profile = profile_text(split_chunks(lines))
    page = read_title_page(lines)
    furniture: list[str] = list(page.furniture)
    front, chapters = parse_body(lines, page.start, len(lines), profile, furniture=furniture)
    if page.meta.title and front and front[0].kind is MatterKind.TITLE_PAGE:
        front = (_headed_matter(front[0]), *front[1:])
    if page.kept:
        # "(1814)" between the title and the byline: the book's own title page, kept as written.
        if front and front[0].kind is MatterKind.TITLE_PAGE:
            front = (dataclasses.replace(front[0], blocks=page.kept + front[0].blocks), *front[1:])
        else:
            front = (Matter(MatterKind.TITLE_PAGE, "Original Title Page", page.kept), *front)
    return Work(meta=page.meta, chapters=chapters, front_matter=front, furniture=tuple(furniture))


def _headed_matter(matter: Matter) -> Matter:
    """Short lines after a title page already read, under a heading of their own ("PERSONS
    REPRESENTED." over a play's cast): front matter by that name, not a second title page."""
    first = matter.blocks[0] if matter.blocks else None
    if not isinstance(first, Paragraph):
        return matter
    heading = plain_text(first.inlines).strip()
    if heading.upper() != heading or not any(ch.isalpha() for ch in heading) or len(heading.split()) > 8:
        return matter
    return Matter(MatterKind.OTHER, heading, matter.blocks[1:])


def parse_body(
    lines: list[str],
    start: int,
    end: int,
    profile: TextProfile,
    headings: list[HeadingLine] | None = None,
    furniture: list[str] | None = None,
) -> tuple[tuple[Matter, ...], tuple[Chapter, ...]]:
    """The front matter and chapters of ``lines[start:end]``, the part of a text that holds the
    story. Chapters are found by ``find_headings`` unless the layout already knows them; page
    furniture that headings carried ("（1 / 1）") is added to ``furniture``."""
    front: list[Matter] = []
    if headings is None:
        contents = find_contents(lines, start, end)
        headings = find_headings(lines, start, profile, end, contents)
        if contents is not None and (not headings or contents.end <= headings[0].index):
            # The book's own contents list: kept as written, before the book's new one.
            listed = parse_blocks(lines[contents.start + 1 : contents.end], profile)
            front.append(Matter(MatterKind.CONTENTS, lines[contents.start].strip(), listed))
            before_list = parse_blocks(lines[start : contents.start], profile)
            if before_list:
                front.insert(0, Matter(MatterKind.TITLE_PAGE, "Original Title Page", before_list))
            start = contents.end
    chapters: list[Chapter] = []
    bounds = [h.index for h in headings] + [end]
    before = parse_blocks(lines[start : bounds[0]], profile)
    if headings and before and all(_is_note(block) for block in before):
        # "Disclaimer: I own nothing." before chapter one is about the work, not in it.
        front.append(Matter(MatterKind.DISCLAIMER, "Disclaimer", before))
    elif headings and before and _is_title_page(before):
        # "PRIDE AND PREJUDICE / by Jane Austen / with a Preface by…": a book's own title page.
        front.append(Matter(MatterKind.TITLE_PAGE, "Original Title Page", before))
    elif before or not headings:
        chapters.append(_with_notes(Chapter(number=1, body=before)))
    for heading_line, stop in zip(headings, bounds[1:], strict=True):
        heading = heading_line.heading
        if heading.furniture and furniture is not None:
            furniture.append(heading.furniture.strip())
        title = heading.title
        if heading_line.title_index is not None:
            title = lines[heading_line.title_index].strip()
        chapters.append(
            _with_notes(
                Chapter(
                    number=len(chapters) + 1,
                    label=heading.label.rstrip("."),
                    title=title,
                    body=parse_blocks(lines[heading_line.body_start : stop], profile),
                    level=heading_line.level,
                    heading_line=heading_line.index + 1,
                    evidence=heading_line.evidence,
                )
            )
        )
    return tuple(front), tuple(_one_form(chapters, headings))


def _one_form(chapters: list[Chapter], headings: list[HeadingLine]) -> list[Chapter]:
    """Give the contents one form for each series: "Chapter I" among "CHAPTER II", "CHAPTER III"
    is listed as "CHAPTER I", and "VII. THE BLUE CARBUNCLE" after "ADVENTURE VI. …" as "ADVENTURE
    VII" (the heading itself stays as typed)."""
    units = {heading.index + 1: heading.unit or heading.heading.unit for heading in headings}
    bare = {heading.index + 1 for heading in headings if heading.heading.kind == "number-title"}
    styles: dict[str, list[str]] = {}
    keywords: dict[str, list[str]] = {}
    for chapter in chapters:
        if chapter.heading_line in units and chapter.label:
            unit = units[chapter.heading_line]
            styles.setdefault(unit, []).append(_case(chapter.label.split()[0]))
            if chapter.heading_line not in bare and " " in chapter.label:
                keywords.setdefault(unit, []).append(chapter.label.split()[0])
    result = []
    for chapter in chapters:
        unit = units.get(chapter.heading_line or -1)
        if chapter.heading_line in bare and keywords.get(unit or ""):
            written = keywords[unit or ""]
            keyword = max(set(written), key=written.count)
            chapter = dataclasses.replace(chapter, contents_label=f"{keyword} {chapter.label}")
        votes = styles.get(unit or "", [])
        if chapter.label and votes and not chapter.contents_label:
            usual = max(set(votes), key=votes.count)
            word, _, rest = chapter.label.partition(" ")
            numeral = all(re.fullmatch(r"[IVXLCDM]+\.?|\d+\.?", part) for part in rest.split())
            if rest and numeral and _case(word) not in (usual, "other") and usual != "other":
                styled = word.upper() if usual == "upper" else word.capitalize()
                chapter = dataclasses.replace(chapter, contents_label=f"{styled} {rest}".strip())
        result.append(chapter)
    return result


def _case(word: str) -> str:
    if not any(ch.isalpha() and ch.lower() != ch.upper() for ch in word):
        return "other"  # no case to speak of: a numeral, Chinese
    if word.isupper():
        return "upper"
    return "title" if word[:1].isupper() else "other"


# A title page is a handful of short lines: no paragraph of running prose.
_TITLE_PAGE_MAX_LINE_WORDS = 14
_TITLE_PAGE_MAX_WORDS = 400


def _is_title_page(blocks: tuple[Block, ...]) -> bool:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, SceneBreak):
            continue
        if not isinstance(block, (Paragraph, LineGroup, Illustration)):  # a frontispiece's caption too
            return False
        lines.extend(block_text(block).split("\n"))
    total = sum(len(line.split()) for line in lines)
    return total <= _TITLE_PAGE_MAX_WORDS and all(
        len(line.split()) <= _TITLE_PAGE_MAX_LINE_WORDS for line in lines
    )


# Author's notes and disclaimers as fanfiction.net-style texts write them.
_NOTE = re.compile(r"^(?:A/N|AN|A\.N\.|Author'?s'? ?notes?|Author[’']s notes?)\s*[:\-–—]", re.IGNORECASE)
_DISCLAIMER = re.compile(r"^(?:Disclaimer|DISCLAIMER)\s*[:\-–—]")


def _is_note(block: Block) -> bool:
    if not isinstance(block, Paragraph):
        return False
    text = plain_text(block.inlines).lstrip("*_ (")
    return bool(_NOTE.match(text) or _DISCLAIMER.match(text))


def _with_notes(chapter: Chapter) -> Chapter:
    """Move the author's notes and disclaimers that open or close a chapter out of its text:
    "A/N: thanks for reading!" after the last paragraph is an end note, not story."""
    body = list(chapter.body)
    notes: list[Block] = []
    while body and _is_note(body[0]):
        notes.append(body.pop(0))
    end_notes: list[Block] = []
    while body and _is_note(body[-1]):
        end_notes.insert(0, body.pop())
    if not body:  # a chapter that is nothing but a note keeps it as its text
        return chapter
    return dataclasses.replace(
        chapter,
        notes=chapter.notes + tuple(notes),
        body=tuple(body),
        end_notes=tuple(end_notes) + chapter.end_notes,
    )
