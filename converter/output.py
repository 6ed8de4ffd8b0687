"""Writing outputs safely: a temporary file beside the target, then an atomic rename.

A reader never finds a half-written book: if anything fails (the disk fills up, the process is
interrupted) the temporary file is removed and the previous file, if any, is untouched.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from converter.errors import OutputError

_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once, or not at all."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            path.parent, f"cannot write here ({_reason(error)})", "choose another folder with -o"
        ) from None
    # The temporary file's name is chosen before it is created, so that an interruption at any
    # moment (Ctrl-C, or a batch stopping its workers, can land inside the very call that creates
    # it) finds a name to remove. The random part keeps it from ever naming another's file.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        if not isinstance(error, FileExistsError):
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(
                path,
                f"could not be written ({_reason(error)})",
                "free some space or choose another folder with -o",
            ) from None
        raise


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    return error.strerror or str(error)
