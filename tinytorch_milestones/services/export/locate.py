"""Finding the notebook a kernel is running, for `%milestones export` without a path.

Jupyter does not tell a kernel its notebook directly; these are the hints that exist:
`JPY_SESSION_NAME` (set by jupyter_server), `__session__` (set by ipykernel from it) and
`__vsc_ipynb_file__` (set by VS Code). Headless runs (`jupyter nbconvert --execute`, `jupyter
execute`, nbclient, papermill) set none of them, but run the kernel in the notebook's folder (or
where the caller says): there the notebook is the only one, or the one whose code cells are the
code this kernel ran (IPython's input history), with its `#| default_exp` to break a tie.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import messages
from .cells import DEFAULT_EXP
from .directives import split_directives
from .errors import ExportError
from .notebook_file import NOTEBOOK_SUFFIX, cell_source

SESSION_ENV_VAR = "JPY_SESSION_NAME"
SESSION_NAMESPACE_NAMES = ("__session__", "__vsc_ipynb_file__")
HISTORY_NAMESPACE_NAME = "_ih"  # IPython's input history (`In`): every cell this kernel ran, in order
LARGEST_CANDIDATE_BYTES = 64 * 1024 * 1024  # a bigger file is not read to compare cells


class HowFound(enum.Enum):
    """How the notebook was found: a hint from the frontend, the only notebook there, or the cells the kernel ran."""

    SESSION = "session"
    ONLY_NOTEBOOK = "only_notebook"
    EXECUTED_CELLS = "executed_cells"


@dataclass(frozen=True)
class LocatedNotebook:
    """The notebook a kernel runs, and how it was found.

    `saved_as_run` is True when the saved file holds the code this kernel ran (found by its cells),
    so there are no unsaved edits to remind the user of.
    """

    path: Path
    how: HowFound

    @property
    def saved_as_run(self) -> bool:
        return self.how is HowFound.EXECUTED_CELLS


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
        try:
            if candidate.is_file():
                return candidate.resolve()
        except (OSError, RuntimeError, ValueError):  # a name too long, a link loop, a NUL byte: not this hint
            continue
    return None


def _normalized(source: str) -> str:
    """Code compared line by line without trailing spaces or surrounding blank lines (IPython strips them)."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _default_exps(sources: Iterable[str]) -> set[str]:
    found = set()
    for source in sources:
        directive = split_directives(source).named(DEFAULT_EXP)
        if directive is not None and len(directive.args) == 1:
            found.add(directive.args[0])
    return found


def _code_cells(path: Path) -> list[str] | None:
    """The code cells of the notebook at `path`, or None when it cannot be read as a notebook."""
    try:
        if path.stat().st_size > LARGEST_CANDIDATE_BYTES:
            return None
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
        cells = document["cells"]
        return [cell_source(cell) for cell in cells if isinstance(cell, dict) and cell.get("cell_type") == "code"
                and isinstance(cell.get("source", ""), (str, list))]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _score(code_cells: list[str], ran: set[str], ran_default_exps: set[str]) -> tuple[int, int]:
    """How well a notebook matches what the kernel ran: its code cells that ran, then a shared `default_exp`."""
    matched = sum(1 for source in code_cells if _normalized(source) and _normalized(source) in ran)
    shared_default_exp = 1 if ran_default_exps and ran_default_exps & _default_exps(code_cells) else 0
    return matched, shared_default_exp


def _by_executed_cells(notebooks: Sequence[Path], executed: Sequence[str]) -> list[Path]:
    """The notebooks that match the executed code best (several on a tie; none when nothing matches)."""
    ran = {_normalized(source) for source in executed if isinstance(source, str) and source.strip()}
    ran_default_exps = _default_exps(source for source in executed if isinstance(source, str))
    scores = {}
    for notebook in notebooks:
        cells = _code_cells(notebook)
        if cells is not None:
            scores[notebook] = _score(cells, ran, ran_default_exps)
    best = max(scores.values(), default=(0, 0))
    if best == (0, 0):
        return []
    return [notebook for notebook, score in scores.items() if score == best]


def _executed_from(user_ns: Mapping[str, Any] | None) -> Sequence[str]:
    history = (user_ns or {}).get(HISTORY_NAMESPACE_NAME)
    return history if isinstance(history, list) else ()


def locate_notebook(
    user_ns: Mapping[str, Any] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    executed: Sequence[str] | None = None,
) -> LocatedNotebook:
    """The notebook this kernel runs, and how it was found; see `find_current_notebook` for the order."""
    folder = Path(cwd) if cwd is not None else Path.cwd()
    for hint in _hints(user_ns):
        found = _existing_notebook(hint, folder)
        if found is not None:
            return LocatedNotebook(found, HowFound.SESSION)
    try:
        notebooks = sorted(path for path in folder.glob(f"*{NOTEBOOK_SUFFIX}") if not path.name.startswith(".") and path.is_file())
    except OSError as error:
        raise ExportError(messages.notebook_folder_unreadable(folder, error.strerror or str(error))) from None
    if len(notebooks) == 1:
        return LocatedNotebook(notebooks[0].resolve(), HowFound.ONLY_NOTEBOOK)
    ran = executed if executed is not None else _executed_from(user_ns)
    if notebooks and ran:
        matching = _by_executed_cells(notebooks, ran)
        if len(matching) == 1:
            return LocatedNotebook(matching[0].resolve(), HowFound.EXECUTED_CELLS)
        if matching:
            raise ExportError(messages.notebook_ambiguous(folder, [path.name for path in matching]))
    raise ExportError(messages.notebook_not_found(folder, [path.name for path in notebooks]))


def find_current_notebook(
    user_ns: Mapping[str, Any] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    executed: Sequence[str] | None = None,
) -> Path:
    """The notebook being run, found in this order:

    1. `JPY_SESSION_NAME`, or `__session__` / `__vsc_ipynb_file__` in `user_ns` (hints naming no
       existing notebook are skipped);
    2. the only `*.ipynb` in `cwd` (default: the working folder);
    3. of several there, the one whose code cells this kernel ran: `executed` is the kernel's input
       history (the cells' sources, in order), by default IPython's `_ih` in `user_ns`. The most
       matching code cells win; a `#| default_exp` the kernel ran breaks a tie.

    Raises `ExportError` in one line asking for the notebook's path when none is found or several
    match equally.
    """
    return locate_notebook(user_ns, cwd, executed).path
