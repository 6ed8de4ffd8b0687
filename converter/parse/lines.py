"""Lines into chunks, and what a whole text says about its own line layout.

A *chunk* is a run of lines between blank lines: the unit the block rules look at. Before any rule
runs, the text as a whole is measured once (``TextProfile``) so that per-chunk decisions, such as
"is this a hard-wrapped paragraph or a poem", are made from the evidence of the whole document, the
way a person skimming it would decide.
"""

from __future__ import annotations

from dataclasses import dataclass

# Characters that are invisible on a page: a line of only these (and white space) is blank to a
# reader. With every character ``str.isspace`` knows (a test keeps the list whole), one ``strip``
# decides.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BLANK = WHITE_SPACE + _INVISIBLE
# Scripts written without spaces between words (Hangul jamo, CJK, kana, Hangul syllables, CJK
# compatibility, full-width forms), as code point ranges: a regular expression of these ranges takes
# milliseconds to compile, which every run would pay.
_CJK_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def joins_without_space(before: str, after: str) -> bool:
    """Whether two characters on either side of a line break join with no space: both are of a
    script written without spaces between words (Chinese, Japanese)."""
    return _is_cjk(before) and _is_cjk(after)


def mostly_cjk(text: str) -> bool:
    """Whether most of ``text`` (spaces aside) is in a script written without spaces between words:
    such a line has no capitals to read a title or a name by."""
    return sum(1 for char in text if _is_cjk(char)) > 0.5 * len(text.replace(" ", ""))


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def is_blank(line: str) -> bool:
    """True for a line a reader sees as empty (spaces, tabs, no-break spaces, zero-width marks)."""
    return not line.strip(_BLANK)


def is_empty(line: str) -> bool:
    """True only for a line with no characters at all (a plain blank line)."""
    return line == "" or not line.strip(" \t")


@dataclass(slots=True)
class Chunk:
    """Consecutive non-blank lines, or a *spacer*: a line of only invisible or no-break space
    characters standing alone between plain blank lines, which authors use as a scene break.

    Not frozen, unlike the document tree: a text makes one per paragraph, and a frozen dataclass
    takes three times as long to make (nothing changes a chunk after ``split_chunks``)."""

    lines: tuple[str, ...]
    spacer: bool = False


def split_chunks(lines: list[str]) -> list[Chunk]:
    """Group ``lines`` into chunks. Spacers that follow each other (with only blank lines between)
    count as one: "\\n\\u00a0\\n\\n\\u00a0\\n" is one break, not two."""
    chunks: list[Chunk] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if line.strip(_BLANK):  # not ``is_blank``, written out: this loop sees every line of a text
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
    """True when ``line`` ended only because the next word would not fit within ``width``, or ended
    near the width with the next line going on in lower case.

    Not every text was wrapped by a program filling each line: Project Gutenberg's lines end
    anywhere from a few columns short of the width ("Lady Lucas are determined to" / "go, merely on
    that account"), and a paragraph cut there ends mid-sentence (an ``_italic_`` passage cut so
    shows its marks). A paragraph almost never opens in lower case, so a line near the width followed
    by one is read as wrapped; far short of it, a line stays the end of a line of verse."""
    next_words = next_line.split()
    next_word = next_words[0] if next_words else ""
    length = len(line.rstrip())
    if length + 1 + len(next_word) > width - 2:
        return True
    return length >= width - _NEAR_WIDTH and next_word[:1].islower()


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
        elif joins_without_space(text[-1], line[0]):
            text += line
        else:
            text += " " + line
    return text
