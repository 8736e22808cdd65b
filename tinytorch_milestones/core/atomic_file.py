"""Replace a file in one step: a reader, or a crash, never sees half of it."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines


def temp_prefix(path: Path) -> str:
    """The name prefix of `path`'s temporary files (hidden, beside it), so leftovers can be found."""
    return f".{path.name}."


def write_temporary(path: Path, data: bytes | str, *, like: os.stat_result | None = None,
                    exclusive: bool = False) -> Path:
    """Write `data` in full to a new temporary file beside `path`, fsync it, and return its path.

    The caller moves it over `path` with `os.replace` (then `fsync_folder`), or removes it; several
    files can so be written first and renamed together. Text is written as UTF-8. The file gets the
    usual permissions (the umask applies), or, given `like` (the `os.stat` of the file it will
    replace), that file's permission bits and, where allowed, its owner. On failure no temporary
    file is left. Its name is unique (`.<name>.<pid>.<random>.tmp`); for a caller that holds a lock
    no other writer of `path` gets past (`exclusive`), it is `.<name>.tmp`, and a dead writer's
    leftover of that name is replaced, so none pile up (one that cannot be removed, a folder, is
    left alone and a unique name used).
    """
    payload = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY
    temporary = path.with_name(f".{path.name}{TEMP_SUFFIX}") if exclusive else _unique_temporary(path)
    try:
        fd = os.open(temporary, flags, 0o666)
    except FileExistsError:
        if not exclusive:
            raise
        try:
            os.unlink(temporary)  # a leftover of a writer that died holding the lock
        except OSError:  # something else is there (a folder): write beside it under a unique name
            temporary = _unique_temporary(path)
        fd = os.open(temporary, flags, 0o666)
    try:
        try:
            if like is not None:
                _take_over(fd, like)
            while payload:
                payload = payload[os.write(fd, payload):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _unique_temporary(path: Path) -> Path:
    return path.with_name(f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def _take_over(fd: int, like: os.stat_result) -> None:
    """Give the open file `fd` the permission bits and (where the OS lets us) the owner of `like`."""
    if sys.platform == "win32":
        return
    current = os.fstat(fd)
    if current.st_mode & 0o7777 != like.st_mode & 0o7777:
        os.fchmod(fd, like.st_mode & 0o7777)
    if (current.st_uid, current.st_gid) != (like.st_uid, like.st_gid):
        try:
            os.fchown(fd, like.st_uid, like.st_gid)
        except PermissionError:
            pass


def write_atomically(path: Path, data: bytes | str, *, follow_symlinks: bool = False, exclusive: bool = False) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, rename it over `path`, fsync the folder.

    Text is written as UTF-8. A new file gets the usual permissions (the umask applies); a replaced
    one keeps its permission bits (and owner, where allowed). With `follow_symlinks`, a `path` that
    is a symbolic link stays one: the bytes replace the file it leads to. Anything but a regular file
    at `path` (a device, a pipe, a folder) raises `OSError` and is never replaced. On any failure the
    temporary file is removed and the file is untouched. `exclusive`: as for `write_temporary`.
    """
    target = Path(os.path.realpath(path)) if follow_symlinks else path
    try:
        like = os.lstat(target)
    except FileNotFoundError:
        like = None
    if like is not None and not stat.S_ISREG(like.st_mode):
        raise OSError(errno.EINVAL, "not a regular file, so it is not replaced", str(target))
    temporary = write_temporary(target, data, like=like, exclusive=exclusive)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (a no-op where folders cannot be opened)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
