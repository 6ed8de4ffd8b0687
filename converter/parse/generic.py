"""Generic layout: a manuscript or book in plain text, the layout every text falls back to.

It finds a title block at the top ("Title" / "by Author", or a Markdown ``# Title``), chapter
headings (see ``chapter_heading``), and hands each chapter's lines to the block rules. Headings are
trusted by the evidence of the whole text: a lone "IV" opens a chapter only in a text that has a run
of such numbers, and when in doubt a line stays text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from converter.document import Chapter, Metadata, Work
from converter.parse.blocks import parse_blocks
from converter.parse.chapter_heading import HeadingMatch, match_heading
from converter.parse.lines import TextProfile, is_blank, profile_text, split_chunks

_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(?P<author>\S.*)$", re.IGNORECASE)
# Bare numbers ("IV", "12.") are chapters only when a text has at least this many, in order.
_MIN_BARE_RUN = 3


@dataclass(frozen=True)
class HeadingLine:
    """A line accepted as a chapter heading."""

    index: int
    heading: HeadingMatch


def parse_generic(lines: list[str]) -> Work:
    """Parse a text with no archive layout. Always succeeds: it is the last layout tried."""
    profile = profile_text(split_chunks(lines))
    meta, start = _title_block(lines)
    headings = find_headings(lines, start, profile)
    chapters = split_chapters(lines, start, len(lines), headings, profile)
    return Work(meta=meta, chapters=chapters)


def split_chapters(
    lines: list[str],
    start: int,
    end: int,
    headings: list[HeadingLine],
    profile: TextProfile,
) -> tuple[Chapter, ...]:
    """Cut ``lines[start:end]`` at ``headings`` into chapters. Text before the first heading is a
    chapter of its own (untitled), so nothing is lost; a text without headings is one chapter."""
    chapters: list[Chapter] = []
    bounds = [h.index for h in headings] + [end]
    before = parse_blocks(lines[start : bounds[0]], profile)
    if before or not headings:
        chapters.append(Chapter(number=1, body=before))
    for heading_line, stop in zip(headings, bounds[1:], strict=True):
        heading = heading_line.heading
        chapters.append(
            Chapter(
                number=len(chapters) + 1,
                label=heading.label.rstrip("."),
                title=heading.title,
                body=parse_blocks(lines[heading_line.index + 1 : stop], profile),
            )
        )
    return tuple(chapters)


def find_headings(lines: list[str], start: int, profile: TextProfile) -> list[HeadingLine]:
    """The lines of ``lines[start:]`` that open chapters, judged against the whole text."""
    candidates: list[HeadingLine] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if is_blank(line) or not _stands_alone(lines, index, profile):
            continue
        heading = match_heading(line)
        if heading is not None:
            candidates.append(HeadingLine(index, heading))
    markdown = [c for c in candidates if c.heading.kind == "markdown"]
    if markdown:
        top = min(c.heading.level for c in markdown)
        return [c for c in markdown if c.heading.level == top]
    worded = [c for c in candidates if c.heading.kind in ("numbered", "named")]
    bare = [c for c in candidates if c.heading.kind == "bare"]
    if len(bare) >= _MIN_BARE_RUN and _mostly_increasing([c.heading.number for c in bare]):
        return sorted(worded + bare, key=lambda c: c.index)
    return worded


def _stands_alone(lines: list[str], index: int, profile: TextProfile) -> bool:
    """A heading has a blank line before it (or starts the text), unless paragraphs in this text
    are separated by line breaks alone."""
    if profile.line_per_paragraph:
        return True
    return index == 0 or is_blank(lines[index - 1])


def _mostly_increasing(numbers: list[int | None]) -> bool:
    values = [n for n in numbers if n is not None]
    steps = sum(1 for a, b in itertools.pairwise(values) if b == a + 1)
    return bool(values) and steps >= 0.8 * (len(values) - 1)


def _title_block(lines: list[str]) -> tuple[Metadata, int]:
    """A title (and byline) at the very top: "Title\\nby Author" or "# Title" followed by deeper
    headings. Returns the metadata found and the index where the text proper starts."""
    first = next((i for i, line in enumerate(lines) if not is_blank(line)), None)
    if first is None:
        return Metadata(), 0
    title_line = lines[first].strip()
    following = first + 1
    if following < len(lines) and not is_blank(lines[following]):
        byline = _BYLINE.match(lines[following].strip())
        after = following + 1
        if byline and len(title_line) <= 150 and (after >= len(lines) or is_blank(lines[after])):
            authors = tuple(a.strip() for a in re.split(r",\s*|\s+and\s+|\s*&\s*", byline["author"]))
            return Metadata(title=title_line.lstrip("# ").strip(), authors=authors), after
    heading = match_heading(title_line)
    if heading is not None and heading.kind == "markdown" and heading.level == 1 and not heading.label:
        deeper = [line for line in lines[following:] if line.startswith("## ")]
        others = [line for line in lines[following:] if re.match(r"^#\s", line)]
        if deeper and not others:
            return Metadata(title=heading.title), following
    return Metadata(), 0
