"""Which paths ficexport may read: regular files only.

A named pipe or a device (a ``work.txt`` that is a link to ``/dev/zero``) would block a read or
never end it, so every path ficexport reads, a text in a batch or a ``--style`` or ``--cover``
file, is asked here first what it is.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

#: What each kind of file that is no regular file is called in a sentence.
_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def special_kind(path: Path) -> str | None:
    """What ``path`` is, as the rest of "this is …", when it is neither a regular file (or a link
    to one), nor a folder, nor missing or unreadable (those are said where the path is read)."""
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a link that leads back to itself"
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    what = _KINDS.get(stat.S_IFMT(mode), "a special file")
    if Path(path).is_symlink():
        what = f"a link to {Path(path).resolve()}, {what}"
    return what
