"""Lines into chunks, and what a whole text says about its own line layout.

A *chunk* is a run of lines between blank lines: the unit the block rules look at. Before any rule
runs, the text as a whole is measured once (``TextProfile``) so that per-chunk decisions, such as
"is this a hard-wrapped paragraph or a poem", are made from the evidence of the whole document, the
way a person skimming it would decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that are invisible on a page: a line of only these is blank to a reader.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def is_blank(line: str) -> bool:
    """True for a line a reader sees as empty (spaces, tabs, no-break spaces, zero-width marks)."""
    return not line.strip().strip(_INVISIBLE).strip()


def is_empty(line: str) -> bool:
    """True only for a line with no characters at all (a plain blank line)."""
    return line == "" or not line.strip(" \t")


@dataclass(frozen=True)
class Chunk:
    """Consecutive non-blank lines, or a *spacer*: a line of only invisible or no-break space
    characters standing alone between plain blank lines, which authors use as a scene break."""

    lines: tuple[str, ...]
    spacer: bool = False


def split_chunks(lines: list[str]) -> list[Chunk]:
    """Group ``lines`` into chunks. Spacers that follow each other (with only blank lines between)
    count as one: "\\n\\u00a0\\n\\n\\u00a0\\n" is one break, not two."""
    chunks: list[Chunk] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if not is_blank(line):
            current.append(line)
            continue
        if current:
            chunks.append(Chunk(tuple(current)))
            current = []
        spacer = not is_empty(line) and _between_empty_lines(lines, index)
        if spacer and not (chunks and chunks[-1].spacer):
            chunks.append(Chunk((line,), spacer=True))
    if current:
        chunks.append(Chunk(tuple(current)))
    return chunks


def _between_empty_lines(lines: list[str], index: int) -> bool:
    before = index == 0 or is_empty(lines[index - 1])
    after = index == len(lines) - 1 or is_empty(lines[index + 1])
    return before and after


@dataclass(frozen=True)
class TextProfile:
    """Facts about a whole text's line layout, measured once.

    ``wrap_width`` is the column at which the text was hard-wrapped (``None`` when lines run to the
    paragraph's end). ``line_per_paragraph`` is true when the text separates paragraphs by line breaks
    alone, with blank lines rare."""

    wrap_width: int | None = None
    line_per_paragraph: bool = False


# A hard-wrapped text has most lines near one width; ~60-80 columns is the classic range and few
# editors wrap wider than this.
_MAX_WRAP_WIDTH = 120
_NEAR_WIDTH = 15


def profile_text(chunks: list[Chunk]) -> TextProfile:
    """Measure the layout of a text from its chunks."""
    lengths = [len(line.rstrip()) for chunk in chunks if not chunk.spacer for line in chunk.lines]
    multi_line = [chunk for chunk in chunks if len(chunk.lines) > 1]
    if not lengths:
        return TextProfile()
    # A paragraph's last line is short by nature: the width shows in the lines before it.
    wrap_width = _wrap_width([len(line.rstrip()) for chunk in multi_line for line in chunk.lines[:-1]])
    # Blank lines are "rare" when the average chunk is long; a text with a blank line after every
    # paragraph has chunks of one line (or of one wrapped paragraph).
    line_count = len(lengths)
    line_per_paragraph = wrap_width is None and line_count >= 8 and line_count / max(len(chunks), 1) >= 4
    return TextProfile(wrap_width=wrap_width, line_per_paragraph=line_per_paragraph)


def _wrap_width(lengths: list[int]) -> int | None:
    if len(lengths) < 4:
        return None
    ordered = sorted(lengths)
    width = ordered[int(0.95 * (len(ordered) - 1))]
    if width > _MAX_WRAP_WIDTH or width < 30:
        return None
    near = sum(1 for length in lengths if width - _NEAR_WIDTH <= length <= width + 2)
    if near / len(lengths) < 0.5:
        return None
    return width


def line_was_full(line: str, next_line: str, width: int) -> bool:
    """True when ``line`` ended only because the next word would not fit within ``width``."""
    next_words = next_line.split()
    next_word = next_words[0] if next_words else ""
    return len(line.rstrip()) + 1 + len(next_word) > width - 2


def join_wrapped(lines: list[str] | tuple[str, ...]) -> str:
    """Join hard-wrapped lines into one paragraph: a space between words, none between CJK
    characters (Chinese and Japanese do not put spaces between words)."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif _CJK.match(line[0]) and _CJK.match(text[-1]):
            text += line
        else:
            text += " " + line
    return text
