"""Which cells of a notebook are exported, and the module its `#| default_exp` names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import messages
from .directives import split_directives
from .errors import ExportError
from .notebook_file import cell_source

DEFAULT_EXP = "default_exp"
PUBLIC_EXPORTS = ("export", "exports")
INTERNAL_EXPORT = "exporti"


@dataclass(frozen=True)
class ExportedCell:
    """The code of one exported cell; `public` cells put their names in `__all__` (`exporti` ones do not).

    `module` is the dotted module the cell goes to: the notebook's `default_exp`, unless the cell
    names another one (`#| export core.transformer`, as nbdev allows).
    """

    number: int
    code: str
    public: bool
    module: str | None = None

    @property
    def first_line(self) -> str:
        """The first non-blank line of the code, to name the cell in messages."""
        return next((line.strip() for line in self.code.splitlines() if line.strip()), "")


@dataclass(frozen=True)
class NotebookExports:
    """What a notebook exports: the `default_exp` value, the cell that sets it, and the exported cells."""

    default_exp: str
    default_exp_cell: int
    cells: tuple[ExportedCell, ...]


def cell_label(shown: str, number: int) -> str:
    """How messages name a cell: "notebooks/01_tensor.ipynb, cell 4"."""
    return f"{shown}, cell {number}"


def collect_exports(notebook: Any, shown: str) -> NotebookExports:
    """The notebook's `default_exp` and exported cells, in order; cells are numbered from 1, markdown included.

    A cell marked `#| export other.module` goes to that module instead of the `default_exp` one.
    Raises `ExportError` for a missing, empty or contradictory `default_exp`, an export directive
    naming more than one module, or nothing marked for export.
    """
    default_exp: tuple[str, int] | None = None
    cells: list[ExportedCell] = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        directed = split_directives(cell_source(cell))
        where = cell_label(shown, number)
        declared = directed.named(DEFAULT_EXP)
        if declared is not None:
            if len(declared.args) != 1:
                raise ExportError(messages.default_exp_needs_one_name(where, declared.args))
            if default_exp is not None and default_exp[0] != declared.args[0]:
                raise ExportError(messages.default_exp_conflict(where, declared.args[0], default_exp[0], default_exp[1]))
            default_exp = default_exp or (declared.args[0], number)
        exports = [d for d in directed.directives if d.name in PUBLIC_EXPORTS or d.name == INTERNAL_EXPORT]
        modules = {directive.args[0] for directive in exports if directive.args}
        for directive in exports:
            if len(directive.args) > 1 or len(modules) > 1:
                raise ExportError(messages.export_to_several_modules(where, directive.name, directive.args))
        if exports and directed.code.strip():
            public = any(directive.name in PUBLIC_EXPORTS for directive in exports)
            module = next(iter(modules), None)
            cells.append(ExportedCell(number=number, code=directed.code, public=public, module=module))
    if default_exp is None:
        raise ExportError(messages.no_default_exp(shown))
    if not cells:
        raise ExportError(messages.nothing_to_export(shown))
    return NotebookExports(default_exp=default_exp[0], default_exp_cell=default_exp[1], cells=tuple(cells))


def cells_by_module(exports: NotebookExports) -> dict[str, tuple[ExportedCell, ...]]:
    """The exported cells grouped by the module they go to, the `default_exp` module first, cell order kept."""
    groups: dict[str, list[ExportedCell]] = {exports.default_exp: []}
    for cell in exports.cells:
        groups.setdefault(cell.module or exports.default_exp, []).append(cell)
    return {module: tuple(cells) for module, cells in groups.items()}
