"""The student's project folder: where the exported `tinytorch/` lives, for both export and `run`.

One rule, so that what `%milestones export` writes is what `%milestones run` imports, whichever
notebook or folder each starts from: the nearest folder, from `start` upwards, that has a
`tinytorch/` folder or a project marker (`pyproject.toml`, `settings.ini`, `setup.py`, `setup.cfg`
or `.git`: the course repository's root, where nbdev puts the package too). When there is none,
each caller falls back: export to the notebook's folder, `run` to the working folder. A stray
`tinytorch/` folder far above a project never captures its exports, as the project's marker is nearer.

So notebooks kept one per folder (`modules/01_tensor/01_tensor.ipynb`, `modules/02_autograd/...`)
all export into the one `tinytorch/` at the course root, and `run` finds it from any of them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_NAME = "tinytorch"
PROJECT_MARKERS = ("pyproject.toml", "settings.ini", "setup.py", "setup.cfg", ".git")


def find_project_root(start: Path) -> Path | None:
    """The project folder seen from `start` (a folder): the nearest, from `start` upwards, that has a
    `tinytorch/` folder or a project marker (`PROJECT_MARKERS`), else None.

    `start` is made absolute first; a `.git` file (a worktree or submodule) counts as a marker.
    """
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / PACKAGE_NAME).is_dir() or any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return None
