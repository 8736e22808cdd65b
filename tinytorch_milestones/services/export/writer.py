"""Writing an export's modules: all or nothing, never over a hand-written file, with package `__init__.py` files.

Every file one export writes (each module, each missing `__init__.py`) is first written in full to a
temporary file beside it (`core.atomic_file`); only when all of them are written are they renamed
into place. A failure before that removes the temporary files and the folders the export made; a
failure among the renames puts back the files already renamed. So a reader, or a crash, never sees
half a module, and a failed export of several modules leaves none of them changed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.atomic_file import fsync_folder, write_atomically, write_temporary
from . import messages
from .errors import ExportError
from .generated_file import is_generated
from .target import ExportTarget

INIT_FILE = "__init__.py"
GENERATED_MARKER = messages.GENERATED_MARKER


def existing_module(path: Path) -> str | None:
    """The text of the module file at `path`, or None when there is none.

    Raises `ExportError` when it cannot be read or is not UTF-8 (its cells could not be kept intact).
    """
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise ExportError(messages.module_not_utf8(path, error.start)) from None
    except OSError as error:
        raise ExportError(messages.module_unreadable(path, error.strerror or str(error))) from None


def check_replaceable(target: ExportTarget, text: str | None) -> None:
    """Refuse to overwrite a module someone wrote by hand (`text` is its content, None if absent)."""
    if text is not None and not is_generated(text):
        raise ExportError(messages.target_hand_written(target.path, GENERATED_MARKER))


def remove_cached_bytecode(module_file: Path) -> None:
    """Delete the module's `__pycache__` entries: a rewrite within the same second and of the same size
    would otherwise pass Python's timestamp check and run the old bytecode."""
    for cached in (module_file.parent / "__pycache__").glob(f"{module_file.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Staged:
    """One file written to its temporary name, waiting to be renamed; `previous` is the file's content
    before the export (None: it did not exist), to put back if a later rename fails."""

    path: Path
    temporary: Path
    previous: bytes | None


def _content(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _put_back(staged: Sequence[_Staged]) -> None:
    """Best effort: return renamed files to what they were before the export."""
    for item in reversed(staged):
        with contextlib.suppress(OSError):
            if item.previous is None:
                item.path.unlink(missing_ok=True)
            else:
                write_atomically(item.path, item.previous)


def write_modules(modules: Sequence[tuple[ExportTarget, str]]) -> list[Path]:
    """Write each module's text to its target, all or nothing; returns the `__init__.py` files created.

    The package folders are created, with an empty `__init__.py` where one is missing; an existing
    `__init__.py` is never touched unless it is a target itself. If anything cannot be written,
    `ExportError` names the file and every file and folder is as it was before.
    """
    targets = {target.path for target, _ in modules}
    folders = list(dict.fromkeys(folder for target, _ in modules for folder in target.package_folders))
    created = [folder / INIT_FILE for folder in folders if folder / INIT_FILE not in targets and not (folder / INIT_FILE).exists()]
    files = [(init, "") for init in created] + [(target.path, text) for target, text in modules]
    made: list[Path] = []
    staged: list[_Staged] = []
    renamed: list[_Staged] = []
    current = Path()
    try:
        for current in folders:
            with contextlib.suppress(FileExistsError):
                current.mkdir()
                made.append(current)
        for current, text in files:
            previous = _content(current)
            staged.append(_Staged(current, write_temporary(current, text), previous))
            remove_cached_bytecode(current)
        for item in staged:
            current = item.path
            os.replace(item.temporary, item.path)
            renamed.append(item)
    except BaseException as error:
        _put_back(renamed)
        for item in staged:
            item.temporary.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError):
            raise ExportError(messages.write_failed(current, error.strerror or str(error))) from None
        raise
    with contextlib.suppress(OSError):  # the files are in place; making the renames durable is best effort
        for folder in dict.fromkeys([*(path.parent for path, _ in files), *(folder.parent for folder in made)]):
            fsync_folder(folder)
    return created
