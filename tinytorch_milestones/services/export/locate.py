"""Finding the notebook a kernel is running, for `%milestones export` without a path.

Jupyter does not tell a kernel its notebook directly; these are the hints that exist:
`JPY_SESSION_NAME` (set by jupyter_server), `__session__` (set by ipykernel from it) and
`__vsc_ipynb_file__` (set by VS Code). Failing those, the only notebook in the working folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import messages
from .errors import ExportError
from .notebook_file import NOTEBOOK_SUFFIX

SESSION_ENV_VAR = "JPY_SESSION_NAME"
SESSION_NAMESPACE_NAMES = ("__session__", "__vsc_ipynb_file__")


def _hints(user_ns: Mapping[str, Any] | None) -> Iterator[str]:
    yield os.environ.get(SESSION_ENV_VAR, "")
    for name in SESSION_NAMESPACE_NAMES:
        value = (user_ns or {}).get(name)
        yield value if isinstance(value, str) else ""


def _existing_notebook(hint: str, cwd: Path) -> Path | None:
    """The notebook a hint names, if it is one: absolute, relative to `cwd`, or its file name in `cwd`.

    jupyter_server may give a path relative to its root folder while the kernel runs in the
    notebook's folder, hence the last try.
    """
    if not hint.lower().endswith(NOTEBOOK_SUFFIX):
        return None
    named = Path(hint).expanduser()
    candidates = (named, cwd / named.name) if named.is_absolute() else (cwd / named, cwd / named.name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def find_current_notebook(user_ns: Mapping[str, Any] | None = None, cwd: str | os.PathLike[str] | None = None) -> Path:
    """The notebook being run: from `JPY_SESSION_NAME`, `__session__` or `__vsc_ipynb_file__` in `user_ns`,
    else the only `*.ipynb` in `cwd` (default: the working folder).

    Hints that name no existing notebook are skipped. Raises `ExportError` asking for an explicit
    path when nothing is found or the folder holds several notebooks.
    """
    folder = Path(cwd) if cwd is not None else Path.cwd()
    for hint in _hints(user_ns):
        found = _existing_notebook(hint, folder)
        if found is not None:
            return found
    notebooks = sorted(path for path in folder.glob(f"*{NOTEBOOK_SUFFIX}") if path.is_file() and not path.name.startswith("."))
    if len(notebooks) == 1:
        return notebooks[0].resolve()
    raise ExportError(messages.notebook_not_found(folder, [path.name for path in notebooks]))
