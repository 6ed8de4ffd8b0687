"""Read stage: bytes on disk -> one Python string, every character kept.

Text files come from every editor and every decade: UTF-8 with or without a BOM, UTF-16, Windows-1252,
the CJK encodings. A BOM decides; strict UTF-8 is tried next (it almost never decodes text that is not
UTF-8); otherwise charset-normalizer looks at the file (at samples, then at the whole of it). A text
that is UTF-8 or a CJK encoding but for a few bytes (two files joined, a stray byte from an old
editor) is read with those bytes as U+FFFD and one warning saying where, rather than refused whole.
Line ends become ``\\n``. Input that is not text at all is refused with a sentence the user can act
on, never decoded into garbage.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from converter.errors import InputError

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch, CharsetMatches

#: Default ceiling on input size; a larger file is refused rather than exhausting memory.
DEFAULT_MAX_BYTES = 50_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File signatures of formats people rename to .txt by accident; naming the format helps them.
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (an EPUB or DOCX, perhaps)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)


# Anything a reader would see: not white space, not a zero-width mark, not a BOM.
_VISIBLE = re.compile(r"[^\s\u200b-\u200d\u2060\ufeff]")

# The CJK encodings: two-byte tables with gaps, so a text in one of them can hold a byte pair its table
# does not map (a vendor's or a user's own character, a byte lost when two files were joined).
_MULTI_BYTE = (
    "gb18030",
    "gbk",
    "gb2312",
    "big5hkscs",
    "cp950",
    "big5",
    "shift_jis",
    "cp932",
    "euc_jp",
    "cp949",
    "euc_kr",
)

# Tie-breaks between encodings that decode a text equally well, most likely first.
_PREFERENCE = {
    name: rank
    for rank, name in enumerate(["utf_8", "cp1252", "latin_1", *_MULTI_BYTE, "cp1251", "koi8_r", "cp1250"])
}


@dataclass(frozen=True)
class SourceText:
    """A decoded input: its text (``\\n`` line ends), the encoding it was read with, and what the user
    should know about the reading (byte sequences the encoding does not decode, kept as U+FFFD)."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def read_source(path: Path, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read ``path`` as text, or raise ``InputError`` saying why it cannot be."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file", "check the path")
    if path.is_dir():
        raise InputError(path, "this is a folder, not a file", "name a text file inside it")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                path,
                f"the file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit",
                "raise the limit with --max-size if it really is one text",
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputError(path, "permission denied", "make the file readable") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None
    return decode(data, path, encoding)


def _megabytes(size: int) -> str:
    """``2.2 MB``, ``51 MB``: a tenth where it tells a file just over the limit from the limit."""
    return f"{size / 1e6:.1f} MB" if size < 10e6 and size % 1_000_000 else f"{size / 1e6:.0f} MB"


def decode(data: bytes, path: Path | None = None, encoding: str | None = None) -> SourceText:
    """Decode ``data`` to text with ``\\n`` line ends, in ``encoding`` or the one detected."""
    if not data.strip():
        raise InputError(path, "the file is empty", "there is nothing to convert")
    source = _read_as(data, _check_encoding_name(encoding, path), path) if encoding else _detect(data, path)
    text = normalise_newlines(source.text)
    if not _VISIBLE.search(text):
        raise InputError(path, "the file holds only white space", "there is nothing to convert")
    return replace(source, text=text)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a DOS end-of-file mark (Ctrl-Z) at the end is dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\x1a")


def _check_encoding_name(encoding: str, path: Path | None) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            path, f"'{encoding}' is not an encoding Python knows", "try utf-8, cp1252 or gb18030"
        ) from None


def _read_as(data: bytes, encoding: str, path: Path | None) -> SourceText:
    """The reading ``--encoding`` forces: the user knows the text better than a detector, so it is
    read in their encoding even where bytes do not decode (each kept as U+FFFD, with one warning
    saying where); only a file that is no text in any encoding is still refused."""
    _refuse_binary(data, path, nul_is_text=encoding.startswith(("utf-16", "utf-32")))
    reading = _read(data, encoding)
    if not reading.bad:
        return SourceText(reading.text, encoding)
    advice = f"; if the text is not {_display(encoding)}, try another --encoding"
    return SourceText(reading.text, encoding, (reading.warning(data) + advice,))


def _refuse_binary(data: bytes, path: Path | None, nul_is_text: bool = False) -> None:
    """Refuse a file that is another format renamed (named, so the user knows what it is) or
    holds NUL bytes, which no text but UTF-16 and UTF-32 does."""
    head = data[:4096]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(path, f"this is {kind}, not a text file", "convert a .txt file instead")
    if not nul_is_text:
        _refuse_nul(data, path)


def _refuse_nul(data: bytes, path: Path | None) -> None:
    if b"\x00" in data:
        raise InputError(path, "this is a binary file, not text", "convert a text file instead")


def _detect(data: bytes, path: Path | None) -> SourceText:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return SourceText(data.decode(name), name)
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let the detector judge
    _refuse_binary(data, path, nul_is_text=True)
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        try:
            return SourceText(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    _refuse_nul(data, path)  # not UTF-16 after all: a NUL now means binary
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""  # one the loop above did not read
    utf8 = _read(data[len(bom) :], "utf-8")
    if not utf8.bad:
        return SourceText(utf8.text, "utf-8")
    # UTF-8 but for a few bytes (the text reads three characters beyond ASCII for each, see
    # ``mostly_read``): reading it so loses one character for each such byte, where the legacy
    # encoding a detector might guess would turn every accented letter and curly quote into two or
    # three wrong ones (charset-normalizer finds no encoding for such a text at all). A text with
    # no letter beyond ASCII but one stray byte (an ASCII file with one cp1252 "é") fails the test
    # and goes to the detector, which reads every character of it.
    if utf8.mostly_read:
        return SourceText(utf8.text, "utf-8-sig" if bom else "utf-8", (utf8.warning(data[len(bom) :]),))
    best = _choose(_judge(data)) or _choose(_judge(data, whole=True))
    if best is not None:
        return SourceText(str(best), codecs.lookup(best.encoding).name)
    damaged = _detect_damaged(data)
    if damaged is not None:
        return SourceText(damaged.text, codecs.lookup(damaged.encoding).name, (damaged.warning(data),))
    raise InputError(
        path,
        "the text's encoding could not be recognised (it is not UTF-8, UTF-16 or a known legacy encoding)",
        "name it with --encoding, e.g. --encoding cp1252",
    )


def _judge(data: bytes, whole: bool = False) -> CharsetMatches:
    """charset-normalizer's matches for ``data``: from its samples first (judging a novel from
    samples takes a fraction of the time the whole text does), and on the whole of it (``steps=1``)
    when the samples find nothing: its sampling adds a last sample of the few bytes left over
    (``len % steps``), so a text ending in ``~\\n`` scored as chaos in every encoding and none was
    found (Vim's KOI8-R and Latin-1 tutors)."""
    from charset_normalizer import from_bytes  # imported late: only non-UTF-8 input pays for it

    return from_bytes(data, steps=1, chunk_size=len(data)) if whole else from_bytes(data)


def _choose(
    matches: CharsetMatches, prefer: Callable[[CharsetMatch], int] = lambda match: 0
) -> CharsetMatch | None:
    """The detector's best match. Several encodings often decode a text equally well (cp1250 and
    cp1252 agree on every letter English uses but not on "ê"): among the equally good, ``prefer``
    decides first, then the encoding most texts are really in, and a superset over its subset
    (GB18030 over GB2312)."""
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos <= best.chaos + 0.001 and m.coherence >= best.coherence - 0.01]
    return min(tied, key=lambda m: (prefer(m), _PREFERENCE.get(m.encoding, len(_PREFERENCE))))


def _detect_damaged(data: bytes) -> _Reading | None:
    """Read a CJK text that no encoding decodes whole, because of a few byte pairs its table does
    not map; ``None`` if it is not one.

    Each CJK encoding that reads the text but for a few sequences (the rule UTF-8 is held to) is a
    candidate; the detector judges each candidate's reading with those sequences left out. Among
    readings it finds equally good, the one that leaves the most sequences undecoded is used: a wider
    table (HKSCS over Big5) that maps a few more of them reads damage as rare characters."""
    from charset_normalizer import CharsetMatches

    readings: dict[str, _Reading] = {}
    matches = CharsetMatches()
    for encoding in _MULTI_BYTE:
        reading = _read(data, encoding)
        if not reading.bad or not reading.mostly_read:
            continue
        readable = reading.text.encode(encoding, errors="ignore")  # the undecodable sequences left out
        match = _choose(_judge(readable))
        if match is None or match.encoding in readings:
            continue
        verdict = reading if match.encoding == encoding else _read(data, match.encoding)
        if verdict.bad and verdict.mostly_read:
            readings[match.encoding] = verdict
            matches.append(match)
    best = _choose(matches, prefer=lambda match: -readings[match.encoding].bad)
    return None if best is None else readings[best.encoding]


@dataclass(frozen=True)
class _Reading:
    """``data`` read in ``encoding``, each byte sequence it does not decode as U+FFFD."""

    text: str
    encoding: str
    bad: int  # how many sequences do not decode (a U+FFFD written in the file is not one)
    first_bad: int  # the offset of the first, or -1

    @property
    def mostly_read(self) -> bool:
        """Three characters beyond ASCII read for each sequence that is not: the text is in this
        encoding but for those bytes, not in another one this encoding happens to half-decode."""
        good = sum(1 for character in self.text if character > "\x7f" and character != "\ufffd")
        return good >= 3 * self.bad

    def warning(self, data: bytes) -> str:
        """``the text is UTF-8 but for 3 bytes that are not (the first on line 2, column 7); each is
        kept as the replacement character \ufffd``: the line and column an editor shows (``data``
        is what was read, less a BOM), and how many characters of the text are not the writer's."""
        before = normalise_newlines(data[: self.first_bad].decode(self.encoding, errors="replace"))
        column = len(before) - before.rfind("\n")  # from 1: rfind gives -1 on line 1
        where = f"line {before.count(chr(10)) + 1}, column {column}"
        name = _display(self.encoding)
        unit = "byte" if name == "UTF-8" else "byte sequence"
        kept = "the replacement character \ufffd"
        if self.bad == 1:
            return f"the text is {name} but for one {unit} that is not (on {where}); it is kept as {kept}"
        return (
            f"the text is {name} but for {self.bad} {unit}s that are not (the first on {where}); "
            f"each is kept as {kept}"
        )


def _display(encoding: str) -> str:
    """An encoding as a message names it: ``UTF-8`` as people write it, the rest by Python's name."""
    name = codecs.lookup(encoding).name
    return "UTF-8" if name.startswith("utf-8") else name


def _read(data: bytes, encoding: str) -> _Reading:
    try:
        return _Reading(data.decode(encoding), encoding, 0, -1)
    except UnicodeDecodeError as error:
        first_bad = error.start
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    return _Reading(text, encoding, bad, first_bad)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without a BOM shows NUL in every other byte of mostly-ASCII text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None
