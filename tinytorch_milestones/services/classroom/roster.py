"""From the paths an instructor types (files, folders, globs) to the progress files and who they belong to."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from ...core.errors import MilestoneError
from . import messages

GLOB_CHARACTERS = "*?["


def expanded(argument: str) -> list[Path]:
    """`argument` as paths: a glob's matches (sorted), else the path itself if it exists."""
    text = os.path.expanduser(argument)
    if any(character in text for character in GLOB_CHARACTERS):
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            raise MilestoneError(messages.path_not_found(argument))
        return [Path(match) for match in matches]
    path = Path(text)
    if not path.exists():
        raise MilestoneError(messages.path_not_found(argument))
    return [path]


def progress_file_in(folder: Path) -> Path | None:
    """The progress file a project or home folder holds (`progress.json`, else `.tinytorch/progress.json`)."""
    for name in messages.PROGRESS_FILE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _files_in_folder(folder: Path) -> list[Path]:
    """The folder's own progress file, else those of the folders directly under it (sorted by name)."""
    own = progress_file_in(folder)
    if own is not None:
        return [own]
    found = [file for child in sorted(folder.iterdir()) if child.is_dir() for file in [progress_file_in(child)] if file]
    if not found:
        raise MilestoneError(messages.folder_without_progress(folder))
    return found


def progress_files(arguments: Iterable[str]) -> list[Path]:
    """Every progress file the arguments name, absolute, each once, in the order given.

    Raises `MilestoneError` (one line naming the argument) for a path that does not exist, a glob
    that matches nothing, or a folder without a progress file.
    """
    files: dict[Path, None] = {}
    for argument in arguments:
        for path in expanded(argument):
            for file in (_files_in_folder(path) if path.is_dir() else [path]):
                files.setdefault(file.absolute(), None)
    return list(files)


def student_name(progress_file: Path) -> str:
    """Who a progress file belongs to, from its path: `/home/alice/.tinytorch/progress.json` -> alice,
    `submissions/bob/progress.json` -> bob, `exports/carol.json` -> carol."""
    if progress_file.name != "progress.json":
        return progress_file.stem
    folder = progress_file.parent
    if folder.name == ".tinytorch":
        folder = folder.parent
    return folder.name or str(folder)
