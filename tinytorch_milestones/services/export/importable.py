"""Making the project's `tinytorch` importable in this process when the working folder is not the project root.

With one folder per module (`modules/02_autograd/02_autograd.ipynb`) a kernel runs in the notebook's
folder, so `import tinytorch` does not see `<project>/tinytorch/`. The project root is put first on
`sys.path` only when `import tinytorch` would find no package at all: an installed copy
(`pip install -e .`) is left to win, and the caller is told where it imports from instead.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from ...core.project import PACKAGE_NAME, find_project_root
from .fresh_imports import package_location


def make_package_importable(package_root: Path) -> Path | None:
    """Put `package_root` (the folder holding `tinytorch/`) first on `sys.path` when `import tinytorch` would
    find no package and `package_root/tinytorch/` is a folder; returns the folder added, else None."""
    root = package_root.resolve()
    if not (root / PACKAGE_NAME).is_dir() or package_location() is not None:
        return None
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    return root


def make_project_importable(start: Path | None = None) -> Path | None:
    """`make_package_importable` for the project seen from `start` (default: the working folder), as a kernel
    starting in a module's own folder needs; returns the folder added to `sys.path`, else None."""
    try:
        root = find_project_root(start if start is not None else Path.cwd())
    except OSError:  # the working folder was removed, or cannot be read
        return None
    return make_package_importable(root) if root is not None else None
