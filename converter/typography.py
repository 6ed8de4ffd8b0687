"""Typeset stage: ``Work`` -> ``Work`` with a printer's punctuation.

Straight quotes become curly ones, ``--`` and ``---`` an em dash, a spaced hyphen an en dash, three
dots an ellipsis, and a wrong-way apostrophe inside a word (``Don‘t``, a common slip of phone keyboards
and autocorrect) the right one (``Don’t``). Links are never touched, so a URL stays as written.
Switched off with ``--no-smart``.

The stage walks the tree the way pandoc's ``walk`` does (``document.map_runs``): every run of inlines,
and inside it every ``Text`` in reading order, carrying the character before it, so a quote right after
an italic word still faces the right way.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

from converter.document import (
    Chapter,
    Inline,
    LineBreak,
    Link,
    Matter,
    Run,
    Text,
    Work,
    map_inlines,
    map_runs,
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
    work = map_runs(work, _run)
    # Titles are strings, not runs, so the walk leaves them; a chapter's label stays as written.
    return dataclasses.replace(
        work,
        meta=dataclasses.replace(work.meta, title=_text(work.meta.title)),
        chapters=tuple(_titled(chapter) for chapter in work.chapters),
        front_matter=tuple(_titled(m) for m in work.front_matter),
        back_matter=tuple(_titled(m) for m in work.back_matter),
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


_Titled = TypeVar("_Titled", Chapter, Matter)


def _titled(node: _Titled) -> _Titled:
    """``node`` with a smart title; its label ("Chapter 3") is the source's numbering, kept as written."""
    title = _text(node.title)
    return node if title == node.title else dataclasses.replace(node, title=title)


def _run(inlines: Run) -> Run:
    """Smarten every ``Text`` in reading order, carrying the preceding character across marks."""
    if len(inlines) == 1 and type(inlines[0]) is Text:
        # Most paragraphs are one plain run: no walk, and the same nodes back when nothing changed.
        text = inlines[0].text
        smart = smarten(text)
        return inlines if smart == text else (Text(smart),)
    before = ""

    def visit(node: Inline) -> Inline | None:
        nonlocal before
        if type(node) is Text:
            text = smarten(node.text, before)
            before = text[-1:] or before
            return node if text == node.text else Text(text)
        if type(node) is Link:  # a URL is written exactly as the author gave it
            before = "x"
            return node
        if type(node) is LineBreak:  # the next quote opens, as after a space
            before = " "
        return None  # a mark: its words are visited in turn

    return map_inlines(inlines, visit)
