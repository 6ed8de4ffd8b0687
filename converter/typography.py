"""Typeset stage: ``Work`` -> ``Work`` with a printer's punctuation.

Straight quotes become curly ones, ``--`` and ``---`` an em dash, a spaced hyphen an en dash, three
dots an ellipsis, and a wrong-way apostrophe inside a word (``Don‘t``, a common slip of phone keyboards
and autocorrect) the right one (``Don’t``). Links are never touched, so a URL stays as written.
Switched off with ``--no-smart``.

The stage walks the tree the way pandoc's ``walk`` does: every ``Text`` in reading order, carrying the
character before it, so a quote right after an italic word still faces the right way.
"""

from __future__ import annotations

import dataclasses
import re

from converter.document import (
    MARKS,
    Block,
    BlockQuote,
    Chapter,
    Heading,
    Illustration,
    Inline,
    LineGroup,
    Link,
    ListBlock,
    Matter,
    Paragraph,
    Table,
    Text,
    Work,
)

# Words that open with an apostrophe, not a quotation mark: ’tis, ’em, rock ’n’ roll, the ’90s.
_ELISIONS = re.compile(
    r"(?:(?:tis|twas|twere|em|cause|cos|til|till|round|bout|n|nother|s|d|ll)\b|\d\ds?\b)", re.IGNORECASE
)
_OPENING_CONTEXT = set(" \t\n\u00a0([{<“‘—–-/") | {""}
# Each pattern is tried only when the text holds the string it needs (most paragraphs hold none):
# a substring test costs far less than a regex search with look-arounds.
_DASHES = (
    ("---", re.compile(r"(?<!-)---(?!-)"), "—"),
    ("--", re.compile(r"(?<!-)--(?!-)"), "—"),
    ("-", re.compile(r"(?<=\s)-(?=\s)"), "–"),
    ("...", re.compile(r"(?<!\.)\.\.\.(?!\.)"), "…"),
    (". . .", re.compile(r"(?<!\.)\. \. \.(?!\.)"), "…"),
)
# A left single quote between letters is an apostrophe typed the wrong way round: Don‘t, I‘m.
_WRONG_WAY = re.compile(r"(?<=\w)‘(?=\w)")
_STRAIGHT_QUOTE = re.compile("[\"']")


def typeset(work: Work) -> Work:
    """The work with smart punctuation everywhere a reader sees running text."""
    meta = dataclasses.replace(
        work.meta,
        title=_text(work.meta.title),
        summary=_blocks(work.meta.summary),
    )
    return dataclasses.replace(
        work,
        meta=meta,
        notes=_blocks(work.notes),
        end_notes=_blocks(work.end_notes),
        chapters=tuple(_chapter(chapter) for chapter in work.chapters),
        front_matter=tuple(_matter(m) for m in work.front_matter),
        back_matter=tuple(_matter(m) for m in work.back_matter),
    )


def smarten(text: str, before: str = "") -> str:
    """Smart punctuation for one run of text; ``before`` is the character that precedes it."""
    for needle, pattern, replacement in _DASHES:
        if needle in text:
            text = pattern.sub(replacement, text)
    if "‘" in text:
        text = _WRONG_WAY.sub("’", text)
    if '"' not in text and "'" not in text:
        return text
    # Only the quotes need deciding, each by the character before it as the reader sees it (after
    # the quote before it, if any, was itself turned): visiting the quotes alone keeps this linear
    # in the quotes, not the characters, of a paragraph.
    out: list[str] = []
    start = 0
    for match in _STRAIGHT_QUOTE.finditer(text):
        index = match.start()
        if index > start:
            out.append(text[start:index])
            previous = text[index - 1]
        else:
            previous = out[-1] if out else before
        opening = previous in _OPENING_CONTEXT or previous.isspace()
        if match.group() == '"':
            out.append("“" if opening else "”")
        else:
            out.append("‘" if opening and not _ELISIONS.match(text, index + 1) else "’")
        start = index + 1
    out.append(text[start:])
    return "".join(out)


def _text(text: str) -> str:
    return smarten(text) if text else text


def _chapter(chapter: Chapter) -> Chapter:
    return dataclasses.replace(
        chapter,
        title=_text(chapter.title),
        summary=_blocks(chapter.summary),
        notes=_blocks(chapter.notes),
        body=_blocks(chapter.body),
        end_notes=_blocks(chapter.end_notes),
    )


def _matter(matter: Matter) -> Matter:
    return dataclasses.replace(matter, title=_text(matter.title), blocks=_blocks(matter.blocks))


def _blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    return tuple(_block(block) for block in blocks)


def _block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        inlines = _inlines(block.inlines)
        # Made directly, not with ``dataclasses.replace``: a work has tens of thousands of
        # paragraphs, and ``replace`` takes twice as long.
        return block if inlines is block.inlines else Paragraph(inlines, block.centered)
    if isinstance(block, Heading):
        return dataclasses.replace(block, inlines=_inlines(block.inlines))
    if isinstance(block, LineGroup):
        return dataclasses.replace(block, lines=tuple(_inlines(line) for line in block.lines))
    if isinstance(block, BlockQuote):
        return dataclasses.replace(block, blocks=_blocks(block.blocks))
    if isinstance(block, ListBlock):
        return dataclasses.replace(block, items=tuple(_blocks(item) for item in block.items))
    if isinstance(block, Table):
        return dataclasses.replace(
            block, rows=tuple(tuple(_inlines(cell) for cell in row) for row in block.rows)
        )
    if isinstance(block, Illustration):
        return dataclasses.replace(block, caption=_inlines(block.caption))
    return block


def _inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Smarten every ``Text`` in reading order, carrying the preceding character across marks."""
    if len(inlines) == 1 and type(inlines[0]) is Text:
        # Most paragraphs are one plain run: no walk, and the same nodes back when nothing changed.
        text = inlines[0].text
        smart = smarten(text)
        return inlines if smart == text else (Text(smart),)
    state = {"before": ""}

    def walk(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        result: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                text = smarten(node.text, state["before"])
                state["before"] = text[-1:] or state["before"]
                result.append(Text(text))
            elif isinstance(node, Link):  # a URL is written exactly as the author gave it
                result.append(node)
                state["before"] = "x"
            elif isinstance(node, MARKS):
                result.append(dataclasses.replace(node, children=walk(node.children)))
            else:
                state["before"] = " "
                result.append(node)
        return tuple(result)

    return walk(inlines)
