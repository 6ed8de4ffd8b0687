"""The record of what a batch has already made, so that a second run converts only what changed.

Each output folder keeps one small JSON file, ``.ficexport-state.json``. For every book written there
it holds a fingerprint of what made it: the SHA-256 of the input's bytes, the input's file name (the
title falls back to it), a digest of the options that shape the output, and the ficexport version.
A book is up to date when its fingerprint is unchanged and the file is still there; time stamps play
no part, so copying a library (which changes every time stamp) converts nothing, and an edit that
keeps the time stamp is still seen. (A text that states no date records its file's time as the
book's date; a book kept as up to date keeps the date it was made with.) Failures are never
recorded, so a bad file is tried again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from converter import __version__
from converter.convert import ConvertOptions
from converter.output import write_atomic

STATE_FILE = ".ficexport-state.json"

#: Bumped when the layout of the record changes; a record of another layout is ignored.
_LAYOUT = 1

#: Options that decide which files are written or where, or whether an input is accepted, but not
#: what a book looks like. Every other field of ``ConvertOptions`` counts as shaping the output, so
#: an option added later reconverts when it changes unless it is named here.
_NOT_IN_OUTPUT = frozenset({"formats", "output_dir", "max_bytes"})


@dataclass(frozen=True)
class Fingerprint:
    """What one book was made from; equal fingerprints give byte-identical books, except for the
    recorded date of a text that states none, which is its file's time (``reproducible``)."""

    input_sha256: str
    source_name: str
    options_sha256: str
    version: str


def input_digest(path: Path, max_bytes: int) -> str | None:
    """The SHA-256 of an input's bytes, or None when it cannot be read or is over the size limit
    (then it is converted every time, and the conversion says what is wrong)."""
    try:
        if Path(path).stat().st_size > max_bytes:
            return None
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def options_digest(options: ConvertOptions) -> str:
    """A digest of everything in ``options`` that shapes a book: the parser's overrides, the
    typography switches, the backends' options, the content (not the path) of a ``--style`` sheet,
    and ``SOURCE_DATE_EPOCH``, which sets the date recorded inside the books."""
    shaping = {
        field.name: getattr(options, field.name)
        for field in dataclasses.fields(options)
        if field.name not in _NOT_IN_OUTPUT
    }
    if options.style is not None:
        shaping["style"] = input_digest(options.style, max_bytes=2**63) or "unreadable"
    shaping["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    text = json.dumps(_plain(shaping), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    """Dataclasses as dicts, tuples as lists, anything else as ``json`` writes it (or ``str``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class OutputRecord:
    """The fingerprints of the books in one output folder, read from and saved to its state file.

    Books are keyed by their path relative to the folder, so the folder can be moved or copied
    with its record."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE_FILE
        self._books: dict[str, dict[str, str]] = self._load()
        self._changed = False

    def _load(self) -> dict[str, dict[str, str]]:
        # A missing, unreadable or foreign record just means nothing is known to be done yet.
        try:
            data = json.loads(self.path.read_text(encoding="utf-8", errors="surrogateescape"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("layout") != _LAYOUT:
            return {}
        books = data.get("books")
        return books if isinstance(books, dict) else {}

    def _key(self, book: Path) -> str:
        return Path(book).relative_to(self.folder).as_posix()

    def is_current(self, book: Path, fingerprint: Fingerprint) -> bool:
        """Whether ``book`` exists and was made from exactly ``fingerprint``."""
        recorded = self._books.get(self._key(book))
        return recorded == dataclasses.asdict(fingerprint) and Path(book).is_file()

    def record(self, book: Path, fingerprint: Fingerprint) -> None:
        """Note that ``book`` has just been written from ``fingerprint``."""
        self._books[self._key(book)] = dataclasses.asdict(fingerprint)
        self._changed = True

    def save(self) -> None:
        """Write the record (atomically) if anything was recorded since it was read or saved."""
        if not self._changed:
            return
        data = {"layout": _LAYOUT, "generator": f"ficexport {__version__}", "books": self._books}
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        # A file name the file system's encoding cannot decode is kept as its own bytes (Python
        # holds them as lone surrogates), so the record names exactly the files on disk.
        write_atomic(self.path, text.encode("utf-8", errors="surrogateescape"))
        self._changed = False


class OutputRecords:
    """The records of every output folder a batch writes to, each read when first needed."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, OutputRecord] = {}

    def __getitem__(self, folder: Path) -> OutputRecord:
        key = Path(folder).absolute()
        if key not in self._by_folder:
            self._by_folder[key] = OutputRecord(folder)
        return self._by_folder[key]

    def save(self) -> None:
        """Save every record that changed."""
        for record in self._by_folder.values():
            record.save()
