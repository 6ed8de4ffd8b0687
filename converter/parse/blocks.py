"""Block rules: chunks of lines -> paragraphs, scene breaks, lists, quotes, headings, line groups,
illustration captions.

The rules are tried in the order of ``RULES``; the first that matches a chunk wins, and the text rule
comes last and always matches. That order is how "when unsure, it stays text" works: a chunk becomes
something other than prose only when a rule before the text rule is sure of it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from functools import cache

from converter.document import (
    Block,
    BlockQuote,
    Heading,
    Illustration,
    Inline,
    LineBreak,
    LineGroup,
    ListBlock,
    Paragraph,
    SceneBreak,
    Text,
)
from converter.parse.inline import parse_inlines
from converter.parse.lines import (
    Chunk,
    TextProfile,
    join_wrapped,
    line_was_full,
    profile_text,
    split_chunks,
)
from converter.parse.lists import split_items
from converter.parse.scene_break import scene_break_marker

#: A rule looks at ``chunks[index]`` (and may look ahead); it returns the blocks it made and how
#: many chunks it consumed, or ``None`` when the chunk is not its kind.
BlockRule = Callable[[list[Chunk], int, TextProfile], "tuple[list[Block], int] | None"]

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^\s*>\s?")
_CJK_SENTENCE_END = set("。！？!?」』”…）)")
# Quotes nested deeper than this are a run of ">" marks, not structure: such a quote holds the text
# inside, the levels between dropped, so parsing never recurses deeper (a line of 5,000 "> " once
# exhausted Python's stack).
_MAX_QUOTE_DEPTH = 10
# Lines this long are paragraphs in their own right, never lines of a poem.
_PROSE_LINE = 100


def paragraph(text: str) -> Paragraph:
    """A paragraph from one line (or joined lines) of source text."""
    return Paragraph(parse_inlines(text.strip()))


def scene_break_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    chunk = chunks[index]
    if chunk.spacer:
        return [SceneBreak()], 1
    if len(chunk.lines) == 1:
        marker = scene_break_marker(chunk.lines[0])
        if marker is not None:
            return [SceneBreak(marker)], 1
    return None


def block_quote_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    lines = chunks[index].lines
    # The first character decides for almost every chunk, before a pattern is tried on each line.
    if not lines[0].lstrip().startswith(">") or not all(_QUOTE.match(line) for line in lines):
        return None
    inner = [_QUOTE.sub("", line, count=1) for line in lines]
    innermost, below = inner, 0
    while all(_QUOTE.match(line) for line in innermost):
        innermost, below = [_QUOTE.sub("", line, count=1) for line in innermost], below + 1
    if below >= _MAX_QUOTE_DEPTH:
        inner = innermost
    return [BlockQuote(parse_blocks(inner, profile))], 1


def heading_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    lines = chunks[index].lines
    match = _MARKDOWN_HEADING.match(lines[0]) if len(lines) == 1 and lines[0].startswith("#") else None
    if not match:
        return None
    return [Heading(len(match.group(1)), parse_inlines(match.group(2)))], 1


def list_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    items = split_items(chunks[index].lines)
    if items is None:
        return None
    ordered = items[0][0].ordered
    consumed = 1
    # Items separated by blank lines ("1. a\n\n2. b") are still one list.
    while index + consumed < len(chunks) and not chunks[index + consumed].spacer:
        more = split_items(chunks[index + consumed].lines)
        if more is None or more[0][0].ordered != ordered:
            break
        items.extend(more)
        consumed += 1
    if not ordered and len(items) < 2:
        return None
    block = ListBlock(
        ordered=ordered,
        items=tuple((paragraph(join_wrapped(lines)),) for _, lines in items),
        start=items[0][0].number if ordered else 1,
        markers=tuple(item.marker for item, _ in items) if ordered else (),
    )
    return [block], consumed


# "[Illustration]", "[Illustration: caption]", "[ILLUSTRATION. caption]": Project Gutenberg's mark for
# a picture the plain text cannot hold.
_ILLUSTRATION = re.compile(r"^\[\s*(?P<label>illustration)\b\s*[:.]?\s*", re.IGNORECASE)
# A caption is a few short paragraphs at most: a bracket still open this many chunks on is a typo,
# and the chunk with the marker is taken as the whole caption rather than swallow the story.
_MAX_CAPTION_CHUNKS = 12


def illustration_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    """A ``[Illustration: …]`` caption, across blank lines and nested brackets ("[Illustration:
    “Mr. Bennet” [_Copyright 1894_]]"), up to the bracket that closes the marker's own. Text after
    that bracket in its chunk is parsed as blocks of its own."""
    lines = chunks[index].lines
    first = lines[0].lstrip()
    if not first.startswith("[") or not (match := _ILLUSTRATION.match(first)):
        return None
    parts: list[list[str]] = []
    rest: list[str] = []
    depth = 0
    for offset in range(min(_MAX_CAPTION_CHUNKS, len(chunks) - index)):
        chunk = chunks[index + offset]
        if chunk.spacer:
            continue
        part: list[str] = []
        for number, line in enumerate(chunk.lines):
            if offset == 0 and number == 0:
                line = first
            close = _closing_bracket(line, depth)
            if close is None:
                depth += line.count("[") - line.count("]")
                part.append(line)
                continue
            part.append(line[:close])
            rest = [line[close + 1 :], *chunk.lines[number + 1 :]]
            parts.append(part)
            return [_illustration(match, parts, profile), *_rest_blocks(rest, profile)], offset + 1
        parts.append(part)
    # Never closed: the marker's own chunk is the caption.
    return [_illustration(match, parts[:1], profile)], 1


def _closing_bracket(line: str, depth: int) -> int | None:
    """Where in ``line`` the bracket open ``depth`` levels deep before it closes, if it does."""
    for position, char in enumerate(line):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
    return None


def _illustration(match: re.Match[str], parts: list[list[str]], profile: TextProfile) -> Illustration:
    """The caption of ``parts``, the chunks inside the brackets (the marker still opening the first
    line). Each chunk goes on a line of its own; inside one, lines set out one by one (indented, as
    on a centred title page) stay lines, and flush lines are a wrapped sentence, joined."""
    texts: list[str] = []
    for number, part in enumerate(parts):
        following = part[1:] if number == 0 else part  # the marker's line is flush by the rule
        if number == 0:
            part = [part[0][match.end() :], *part[1:]]
        lines = [" ".join(line.split()) for line in part if line.strip()]
        if not lines:
            continue
        indented = bool(following) and all(line[:1].isspace() for line in following)
        set_out = profile.line_per_paragraph or indented
        texts.append("\n".join(lines) if set_out else join_wrapped(lines))
    return Illustration(_with_line_breaks(parse_inlines("\n".join(texts))), match.group("label"))


def _with_line_breaks(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` with each newline inside a text turned into a ``LineBreak`` (marks are parsed
    over the whole caption first, so an ``_emphasis_`` may run across its lines)."""
    result: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            for number, piece in enumerate(node.text.split("\n")):
                if number:
                    result.append(LineBreak())
                if piece:
                    result.append(Text(piece))
        elif isinstance(node, LineBreak):
            result.append(node)
        else:
            result.append(dataclasses.replace(node, children=_with_line_breaks(node.children)))
    return tuple(result)


def _rest_blocks(lines: list[str], profile: TextProfile) -> tuple[Block, ...]:
    """The text that follows a caption's closing bracket in its chunk ("[Illustration] It was…")."""
    if not any(line.strip() for line in lines):
        return ()
    return parse_blocks([line for line in lines if line.strip()], profile)


def text_rule(chunks: list[Chunk], index: int, profile: TextProfile):
    lines = chunks[index].lines
    if len(lines) == 1:
        return [paragraph(lines[0])], 1
    if profile.wrap_width:
        return _wrapped_blocks(lines, profile.wrap_width), 1
    longest = sorted(len(line) for line in lines)[len(lines) // 2]
    if profile.line_per_paragraph or longest >= _PROSE_LINE:
        return [paragraph(line) for line in lines], 1
    if _is_cjk(lines):
        return _cjk_blocks(lines), 1
    return [line_group(lines)], 1


def _is_cjk(lines: tuple[str, ...]) -> bool:
    text = "".join(lines)
    return len(_cjk_characters().findall(text)) > 0.5 * len(text.replace(" ", ""))


@cache
def _cjk_characters() -> re.Pattern[str]:
    """Kana, CJK ideographs, Hangul and full-width forms: compiled on first use, since a pattern of
    such ranges takes milliseconds to compile and most texts never ask."""
    return re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _cjk_blocks(lines: tuple[str, ...]) -> list[Block]:
    """Chinese or Japanese lines: a line that stops mid-sentence (no 。！？」 at its end) was
    wrapped, and joins the next without a space; one that ends a sentence ends a paragraph."""
    blocks: list[Block] = []
    start = 0
    for i, line in enumerate(lines):
        if line.rstrip()[-1:] in _CJK_SENTENCE_END or i == len(lines) - 1:
            blocks.append(paragraph(join_wrapped(lines[start : i + 1])))
            start = i + 1
    return blocks


def line_group(lines: tuple[str, ...] | list[str]) -> LineGroup:
    return LineGroup(tuple(parse_inlines(line.strip()) for line in lines))


def _wrapped_blocks(lines: tuple[str, ...], width: int) -> list[Block]:
    """A chunk of a hard-wrapped text: one paragraph, several (a line that ends early, or an
    indented line in a text that indents its paragraphs, opens the next), or a poem (most lines end
    well before the wrap width, and no indents mark paragraphs)."""
    full = [line_was_full(line, nxt, width) for line, nxt in itertools.pairwise(lines)]
    indented = _indented_paragraphs(lines, full)
    if sum(full) * 2 < len(full) and not indented:
        return [line_group(lines)]
    blocks: list[Block] = []
    start = 0
    for i, was_full in enumerate(full, start=1):
        if not was_full or (indented and lines[i][:1].isspace()):
            blocks.append(paragraph(join_wrapped(lines[start:i])))
            start = i
    blocks.append(paragraph(join_wrapped(lines[start:])))
    return blocks


def _indented_paragraphs(lines: tuple[str, ...], full: list[bool]) -> bool:
    """Paragraphs marked by an indented first line: every line after a short one is indented, and
    the lines inside paragraphs are not (a stanza indented as a whole is verse, not paragraphs)."""
    after_short = [lines[i + 1] for i, was_full in enumerate(full) if not was_full]
    flush = [line for line in lines if not line[:1].isspace()]
    return bool(after_short) and bool(flush) and all(line[:1].isspace() for line in after_short)


#: The block rules in the order they are tried. The text rule is last and always matches.
RULES: tuple[tuple[str, BlockRule], ...] = (
    # first: a caption may hold what later rules would take for their own (a "* * *", a "> " line,
    # a "1." item), and it is taken only when a chunk opens with the "[Illustration" marker
    ("illustration", illustration_rule),
    # before lists: "* * *" and "- - -" also look like bullet items
    ("scene_break", scene_break_rule),
    ("block_quote", block_quote_rule),
    ("heading", heading_rule),
    ("list", list_rule),
    ("text", text_rule),
)


def parse_blocks(lines: list[str], profile: TextProfile | None = None) -> tuple[Block, ...]:
    """Parse a region of lines (a chapter body, a summary, notes) into blocks.

    ``profile`` describes the whole text the region comes from; without one the region is measured
    by itself."""
    chunks = split_chunks(lines)
    if profile is None:
        profile = profile_text(chunks)
    blocks: list[Block] = []
    index = 0
    while index < len(chunks):
        for _name, rule in RULES:
            result = rule(chunks, index, profile)
            if result is not None:
                made, consumed = result
                blocks.extend(made)
                index += consumed
                break
    return tuple(_trim_breaks(blocks))


def _trim_breaks(blocks: list[Block]) -> list[Block]:
    """A wordless break at the very start or end of a region separates nothing: drop it."""
    while blocks and isinstance(blocks[0], SceneBreak) and not blocks[0].marker:
        blocks.pop(0)
    while blocks and isinstance(blocks[-1], SceneBreak) and not blocks[-1].marker:
        blocks.pop()
    return blocks
