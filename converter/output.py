"""Writing outputs safely: a temporary file beside the target, then an atomic rename.

A reader never finds a half-written book: if anything fails (the disk fills up, the process is
interrupted) the temporary file is removed and the previous file, if any, is untouched.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from converter.errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once, or not at all."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise OutputError(
            path.parent, f"cannot write here ({_reason(error)})", "choose another folder with -o"
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
