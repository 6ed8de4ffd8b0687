"""Copying finished books onto a reader: the format it reads best, a name it can store, atomically,
and never over a different book.

- Kobo: the KEPUB (``.kepub.epub``), which its own reading engine opens (page numbers per chapter,
  reading statistics); PDFs too when they were made.
- Kindle: a Kindle does not open an EPUB copied over USB (only e-mailed ones, which Amazon converts:
  ``--send-to-kindle``); it does open PDFs, so it gets the PDF, and asking for none is refused
  before anything is converted.
- Any other reader: the EPUB, and PDFs when they were made.

A book already on the reader with the same bytes is left alone and reported as already there; one
with the same name and other bytes (another book, or an older version) is kept unless ``--replace``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from converter.deliver.devices import Device, DeviceError, Kind
from converter.errors import OutputError
from converter.formats import FORMAT_NAMES, FORMAT_SUFFIXES
from converter.naming import name_key, safe_name
from converter.output import write_atomic

#: Each kind's own book format, made whatever else is asked for.
_OWN_FORMAT = {Kind.KOBO: "kepub", Kind.GENERIC: "epub"}
#: The suffixes of the books each kind receives (longest first, so a KEPUB is not taken for an EPUB).
_TAKES = {
    Kind.KOBO: (".kepub.epub", ".pdf"),
    Kind.KINDLE: (".pdf",),
    Kind.GENERIC: (".epub", ".pdf"),
}
#: Every book suffix ficexport writes, longest first (so ``.kepub.epub`` is found before ``.epub``).
_SUFFIXES = tuple(sorted(FORMAT_SUFFIXES.values(), key=len, reverse=True))


def formats_for(device: Device, asked: tuple[str, ...]) -> tuple[str, ...]:
    """The formats to make for ``device``: those asked for plus the reader's own (only its own when
    none were asked for). Raise ``DeviceError`` for a Kindle when no PDF is asked for."""
    if device.kind is Kind.KINDLE:
        if "pdf" not in asked:
            raise DeviceError(
                device.root,
                "this Kindle does not open EPUBs copied over USB",
                "add --pdf (--page-size 6in or 7in suits its screen) to copy a PDF, "
                "or e-mail the EPUB with --send-to-kindle ADDRESS",
            )
        return asked
    wanted = {*asked, _OWN_FORMAT[device.kind]}
    return tuple(name for name in FORMAT_NAMES if name in wanted)


def books_for(device: Device, books: Iterable[Path]) -> list[Path]:
    """The books among ``books`` that go onto ``device`` (a Kobo gets the KEPUB, not the EPUB)."""
    return [book for book in books if _suffix(book) in _TAKES[device.kind]]


def _suffix(book: Path) -> str:
    name = Path(book).name.lower()
    return next((suffix for suffix in _SUFFIXES if name.endswith(suffix)), Path(book).suffix.lower())


class Status(enum.Enum):
    COPIED = "copied"
    REPLACED = "replaced"
    ALREADY_THERE = "already there"
    KEPT = "kept"  # a different book of that name is there; not copied
    FAILED = "failed"


@dataclass(frozen=True)
class Delivery:
    """What became of one book: where it went (or would have gone) and what happened."""

    book: Path
    target: Path
    status: Status
    problem: str = ""  # the sentence, when FAILED

    @property
    def failed(self) -> bool:
        return self.status in (Status.KEPT, Status.FAILED)

    def sentence(self) -> str:
        if self.status is Status.COPIED:
            return f"copied {self.book} to {self.target}"
        if self.status is Status.REPLACED:
            return f"replaced {self.target} with {self.book}"
        if self.status is Status.ALREADY_THERE:
            return f"{self.target} is already there (the same book); not copied again"
        if self.status is Status.KEPT:
            return (
                f"{self.target}: a different book of that name is already on the reader; "
                f"{self.book} was not copied (--replace replaces it)"
            )
        return self.problem


def device_name(book: Path) -> str:
    """The book's file name made storable on the reader's FAT or exFAT file system."""
    name = Path(book).name
    suffix = _suffix(book)
    stem = name[: len(name) - len(suffix)] if name.lower().endswith(suffix) else Path(book).stem
    return (safe_name(stem) or "book") + suffix


def copy_books(books: Iterable[Path], device: Device, replace: bool = False) -> list[Delivery]:
    """Copy ``books`` into the reader's books folder, each written atomically; a book that cannot
    be written is reported and the rest are still tried. Two books of this run that would get the
    same name (``a?.epub`` and ``a.epub``) are both kept: the second becomes ``a (2).epub``."""
    deliveries: list[Delivery] = []
    taken: set[str] = set()
    for book in books:
        target = _unique(device.books / device_name(book), taken)
        taken.add(name_key(target.name))
        deliveries.append(_copy(Path(book), target, replace))
    return deliveries


def _unique(target: Path, taken: set[str]) -> Path:
    suffix = _suffix(target)
    stem = target.name[: len(target.name) - len(suffix)]
    chosen, number = target, 2
    while name_key(chosen.name) in taken:
        chosen = target.with_name(f"{stem} ({number}){suffix}")
        number += 1
    return chosen


def _copy(book: Path, target: Path, replace: bool) -> Delivery:
    try:
        data = book.read_bytes()
    except OSError as error:
        return Delivery(book, target, Status.FAILED, f"{book}: cannot be read ({error.strerror})")
    existed = target.exists()
    if existed:
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return Delivery(book, target, Status.ALREADY_THERE)
        except OSError:
            pass  # unreadable: it is different, as far as anyone can tell
        if not replace:
            return Delivery(book, target, Status.KEPT)
    try:
        write_atomic(target, data)
    except OutputError as error:
        sentence = OutputError(
            error.path, error.problem, "check that the reader is still plugged in and has room"
        )
        return Delivery(book, target, Status.FAILED, sentence.sentence())
    return Delivery(book, target, Status.REPLACED if existed else Status.COPIED)
