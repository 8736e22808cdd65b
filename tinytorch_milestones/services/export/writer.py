"""Writing the generated module: atomically, never over a hand-written file, with package `__init__.py` files.

A file is written to a temporary file in the same folder and moved into place with `os.replace`,
so a reader (or a crash) never sees half a module.
"""

from __future__ import annotations

import os
from pathlib import Path

from ...core.messages import export as messages
from .errors import ExportError
from .target import ExportTarget

INIT_FILE = "__init__.py"
GENERATED_MARKER = messages.GENERATED_MARKER


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step; the file gets the usual permissions (umask applies)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def is_replaceable(path: Path) -> bool:
    """Whether an export may overwrite `path`: it is absent, empty, or an export wrote it (ours or nbdev's)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(4096)
    except FileNotFoundError:
        return True
    return not head.strip() or GENERATED_MARKER in head.partition("\n")[0]


def check_replaceable(target: ExportTarget) -> None:
    """Refuse to overwrite a module someone wrote by hand."""
    if not is_replaceable(target.path):
        raise ExportError(messages.target_hand_written(target.path, GENERATED_MARKER))


def remove_cached_bytecode(module_file: Path) -> None:
    """Delete the module's `__pycache__` entries: a rewrite within the same second and of the same size
    would otherwise pass Python's timestamp check and run the old bytecode."""
    for cached in (module_file.parent / "__pycache__").glob(f"{module_file.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def write_module(target: ExportTarget, text: str) -> list[Path]:
    """Create the package folders and their missing `__init__.py` files, then write the module.

    Returns the `__init__.py` files created. An existing `__init__.py` is never touched unless it
    is the target itself.
    """
    created: list[Path] = []
    try:
        for folder in target.package_folders:
            folder.mkdir(exist_ok=True)
            init = folder / INIT_FILE
            if init != target.path and not init.exists():
                write_atomically(init, "")
                created.append(init)
        write_atomically(target.path, text)
        remove_cached_bytecode(target.path)
    except OSError as error:
        raise ExportError(messages.write_failed(error.filename or target.path, error.strerror or str(error))) from None
    return created
