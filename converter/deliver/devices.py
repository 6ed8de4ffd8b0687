"""Finding a plugged-in e-reader: which mounted volume is one, what kind, and where its books go.

An e-reader on USB shows up as a volume mounted where the operating system puts removable drives:
``/media/$USER/NAME`` (Debian, Ubuntu), ``/run/media/$USER/NAME`` (Fedora, Arch), ``/mnt/NAME`` (by
hand, WSL) on Linux, ``/Volumes/NAME`` on macOS, a drive letter on Windows. A volume is taken for a
reader by the folders its firmware keeps there (compared case-blind, as FAT file systems do):

- Kobo: ``.kobo/`` (its library database); books go in ``Books/``, which its scan finds anywhere;
- Kindle: ``documents/`` and ``system/``; books go in ``documents/``;
- any other reader (PocketBook, Tolino, Boox, a phone in USB storage mode): a ``Books`` or ``books``
  folder, where the books go.

``FICEXPORT_MOUNT_ROOTS`` (folders separated by ``os.pathsep``) replaces the usual places to look,
for unusual mount points, and for tests.
"""

from __future__ import annotations

import enum
import os
import string
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from converter.errors import FicexportError

MOUNT_ROOTS_ENV = "FICEXPORT_MOUNT_ROOTS"


class Kind(enum.Enum):
    """A kind of reader, by the folders on its volume."""

    KOBO = "Kobo"
    KINDLE = "Kindle"
    GENERIC = "e-reader"


@dataclass(frozen=True)
class Device:
    """A reader's volume and the folder its books go in."""

    kind: Kind
    root: Path  # the mounted volume (or the folder the user named)
    books: Path  # where ficexport puts books

    def describe(self) -> str:
        """``Kobo at /media/me/KOBOeReader (books go in /media/me/KOBOeReader/Books)``"""
        return f"{self.kind.value} at {self.root} (books go in {self.books})"


class DeviceError(FicexportError):
    """No reader to deliver to, or more than one to choose from."""


def mount_roots(platform: str | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The folders whose entries are mounted volumes on this system (Windows: none; its volumes are
    the drive letters, see ``system_volumes``)."""
    environ = os.environ if environ is None else environ
    if environ.get(MOUNT_ROOTS_ENV):
        return [Path(p) for p in environ[MOUNT_ROOTS_ENV].split(os.pathsep) if p]
    platform = platform or sys.platform
    if platform == "darwin":
        return [Path("/Volumes")]
    if platform.startswith("win"):
        return []
    user = environ.get("USER") or environ.get("LOGNAME") or ""
    roots = [Path("/media") / user, Path("/run/media") / user] if user else []
    return [*roots, Path("/mnt")]


def candidate_volumes(roots: Iterable[Path]) -> list[Path]:
    """The folders directly inside ``roots``: the volumes mounted there."""
    volumes: list[Path] = []
    for root in roots:
        try:
            volumes.extend(sorted(entry for entry in Path(root).iterdir() if entry.is_dir()))
        except OSError:  # a root that is missing or unreadable holds no reader
            continue
    return volumes


def system_volumes(platform: str | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The volumes mounted on this system: those in ``mount_roots``, and on Windows the drive
    letters D: to Z: that exist (A: and B: were floppies, C: is the system)."""
    environ = os.environ if environ is None else environ
    volumes = candidate_volumes(mount_roots(platform, environ))
    if (platform or sys.platform).startswith("win") and not environ.get(MOUNT_ROOTS_ENV):
        letters = (Path(f"{letter}:\\") for letter in string.ascii_uppercase[3:])
        volumes.extend(drive for drive in letters if drive.exists())
    return volumes


def where_looked(platform: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The places ``system_volumes`` looks, for a sentence saying none was found."""
    roots = [str(root) for root in mount_roots(platform, environ)]
    return ", ".join(roots) or "the drive letters D: to Z:"


def _folders(volume: Path) -> dict[str, Path]:
    """The folders directly inside ``volume``, by case-folded name."""
    try:
        return {entry.name.casefold(): entry for entry in volume.iterdir() if entry.is_dir()}
    except OSError:
        return {}


def identify(volume: Path) -> Device | None:
    """The reader whose volume this is, or None when it has none of a reader's folders."""
    volume = Path(volume)
    folders = _folders(volume)
    if ".kobo" in folders:
        return Device(Kind.KOBO, volume, folders.get("books", volume / "Books"))
    if "documents" in folders and "system" in folders:
        return Device(Kind.KINDLE, volume, folders["documents"])
    if "books" in folders:
        return Device(Kind.GENERIC, volume, folders["books"])
    return None


def reader_root(path: Path) -> Device | None:
    """The reader whose volume ``path`` is, for refusing it as an input (``ficexport work.txt
    --to-device /media/KOBO`` names the reader as a folder of texts). A Kobo's or a Kindle's own
    folders say so anywhere; a ``Books`` folder alone is common in a library, so it counts only on a
    mounted volume."""
    path = Path(path)
    if not path.is_dir():
        return None
    device = identify(path)
    if device is None or device.kind is not Kind.GENERIC:
        return device
    mounted = os.path.ismount(path) or path.resolve() in {v.resolve() for v in system_volumes()}
    return device if mounted else None


def find_devices(volumes: Iterable[Path]) -> list[Device]:
    """The readers among ``volumes``, in order."""
    return [device for device in map(identify, volumes) if device is not None]


def named_device(path: Path) -> Device:
    """The reader at a folder the user named: its kind when it is a reader's volume, else a
    folder to put books in as they are (a reader's books folder, a phone's, a synced folder)."""
    path = Path(path).expanduser()
    if not path.is_dir():
        raise DeviceError(path, "no such folder", "plug the reader in, or name the folder it is mounted at")
    return identify(path) or Device(Kind.GENERIC, path, path)


def choose_device(named: Path | None, volumes: Iterable[Path] | None = None) -> Device:
    """The one reader to deliver to: the folder named, else the only one among ``volumes`` (by
    default ``system_volumes()``). Raise ``DeviceError`` when there is none, or several."""
    if named is not None:
        return named_device(named)
    found = find_devices(system_volumes() if volumes is None else volumes)
    if not found:
        raise DeviceError(
            None,
            f"no e-reader is plugged in (looked in {where_looked()})",
            "plug it in and let it mount, or name its folder with --device PATH",
        )
    if len(found) > 1:
        listed = ", ".join(f"{d.kind.value} at {d.root}" for d in found)
        raise DeviceError(None, f"found more than one e-reader ({listed})", "name one with --device PATH")
    return found[0]
