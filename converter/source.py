"""Read stage: bytes on disk -> one Python string, every character kept.

Text files come from every editor and every decade: UTF-8 with or without a BOM, UTF-16, Windows-1252,
the CJK encodings. A BOM decides; strict UTF-8 is tried next (it almost never decodes text that is not
UTF-8); otherwise charset-normalizer looks at the file. Line ends become ``\\n``. Input that is not text
at all is refused with a sentence the user can act on, never decoded into garbage.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from converter.errors import InputError

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

# Tie-breaks between encodings that decode a text equally well, most likely first.
_PREFERENCE = {
    name: rank
    for rank, name in enumerate(
        [
            "utf_8",
            "cp1252",
            "latin_1",
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
            "cp1251",
            "koi8_r",
            "cp1250",
        ]
    )
}


@dataclass(frozen=True)
class SourceText:
    """A decoded input: its text (``\\n`` line ends) and the encoding it was read with."""

    text: str
    encoding: str


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
    return SourceText(*decode(data, path, encoding))


def _megabytes(size: int) -> str:
    """``2.2 MB``, ``51 MB``: a tenth where it tells a file just over the limit from the limit."""
    return f"{size / 1e6:.1f} MB" if size < 10e6 and size % 1_000_000 else f"{size / 1e6:.0f} MB"


def decode(data: bytes, path: Path | None = None, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text with ``\\n`` line ends; returns the text and the encoding used."""
    if not data.strip():
        raise InputError(path, "the file is empty", "there is nothing to convert")
    if encoding:
        chosen = _check_encoding_name(encoding, path)
        try:
            text = data.decode(chosen)
        except UnicodeDecodeError as error:
            raise InputError(
                path,
                f"the bytes at offset {error.start} are not valid {encoding}",
                "try another --encoding, or leave it out to detect the encoding",
            ) from None
    else:
        text, chosen = _detect(data, path)
    text = normalise_newlines(text)
    if not _VISIBLE.search(text):
        raise InputError(path, "the file holds only white space", "there is nothing to convert")
    return text, chosen


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


def _detect(data: bytes, path: Path | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let the detector judge
    head = data[:4096]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(path, f"this is {kind}, not a text file", "convert a .txt file instead")
    utf16 = _utf16_without_bom(head)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(path, "this is a binary file, not text", "convert a text file instead")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        _refuse_damaged_utf8(data, error.start, path)
    from charset_normalizer import from_bytes  # imported late: only non-UTF-8 input pays for it

    results = from_bytes(data)
    best = results.best()
    if best is not None:
        # Several encodings often decode a text equally well (cp1250 and cp1252 agree on every
        # letter English uses but not on "ê"): among the equally good, prefer the one most
        # texts are really in, and a superset over its subset (GB18030 over GB2312).
        tied = [r for r in results if r.chaos <= best.chaos + 0.001 and r.coherence >= best.coherence - 0.01]
        best = min(tied, key=lambda r: _PREFERENCE.get(r.encoding, len(_PREFERENCE)))
    if best is None:
        raise InputError(
            path,
            "the text's encoding could not be recognised (it is not UTF-8, UTF-16 or a known "
            "legacy encoding)",
            "name it with --encoding, e.g. --encoding cp1252",
        )
    return str(best), codecs.lookup(best.encoding).name


def _refuse_damaged_utf8(data: bytes, first_bad: int, path: Path | None) -> None:
    """Refuse a text that is UTF-8 but for a few bytes (two files joined, a stray byte from an
    old editor), saying where: no legacy encoding reads it right, and a detector's best guess
    would turn every accented letter and curly quote of it into two wrong ones."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for character in text if character > "\x7f" and character != "\ufffd")
    if good < 3 * bad:
        return  # mostly not UTF-8: a legacy encoding, for the detector
    line = data.count(b"\n", 0, first_bad) + 1
    where = f"line {line}, at offset {first_bad}"
    problem = (
        f"the text is UTF-8 but for one byte that is not (on {where})"
        if bad == 1
        else f"the text is UTF-8 but for {bad} bytes that are not (the first on {where})"
    )
    advice = "mend {} in an editor, or name the encoding with --encoding if it is not UTF-8"
    raise InputError(path, problem, advice.format("it" if bad == 1 else "them"))


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
