"""Replace a file in one step: a reader, or a crash, never sees half of it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """The name prefix of `path`'s temporary files (hidden, beside it), so leftovers can be found."""
    return f".{path.name}."


def write_temporary(path: Path, data: bytes | str) -> Path:
    """Write `data` in full to a new temporary file beside `path`, fsync it, and return its path.

    The caller moves it over `path` with `os.replace` (then `fsync_folder`), or removes it; several
    files can so be written first and renamed together. Text is written as UTF-8; the file gets the
    usual permissions (the umask applies). On failure no temporary file is left.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, rename it over `path`, fsync the folder.

    Text is written as UTF-8. The file gets the usual permissions (the umask applies). On any
    failure the temporary file is removed and `path` is untouched.
    """
    temporary = write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (a no-op where folders cannot be opened)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
