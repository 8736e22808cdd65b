"""The public entry points: export a notebook into the `tinytorch` package, and export-then-record."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import messages
from .after_export import AfterExport, module_exported
from .cells import cell_label, cells_by_module, collect_exports
from .module_name import course_module_name
from .module_source import build_module_source
from .notebook_file import existing_notebook_path, read_notebook
from .target import ExportTarget, check_inside_package, check_target_fits, module_parts, resolve_package_root
from .generated_file import read_generated
from .writer import check_replaceable, existing_module, write_modules


@dataclass(frozen=True)
class ExportedModule:
    """One module file an export wrote: its path, import name, how many cells, the `__all__` names."""

    target: Path
    import_name: str
    cell_count: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class ExportResult:
    """What an export did: the module files written (the `default_exp` one first) and the course module.

    `target`, `import_name`, `cell_count` and `names` describe the `default_exp` module.
    `after_export` holds the tracker's answer (unlocks) and the import refresh when the export was
    recorded (`export_and_record`), and is None for a plain `export_notebook`.
    """

    notebook: Path
    module_name: str
    package_root: Path
    modules: tuple[ExportedModule, ...]
    created: tuple[Path, ...]
    after_export: AfterExport | None = None

    @property
    def target(self) -> Path:
        """The `default_exp` module's file."""
        return self.modules[0].target

    @property
    def import_name(self) -> str:
        """The `default_exp` module's import name."""
        return self.modules[0].import_name

    @property
    def cell_count(self) -> int:
        """How many cells went to the `default_exp` module."""
        return self.modules[0].cell_count

    @property
    def names(self) -> tuple[str, ...]:
        """The `default_exp` module's `__all__`."""
        return self.modules[0].names

    @property
    def summary(self) -> str:
        """One line saying what was exported where."""
        return messages.exported(self)


def _notebook_label(notebook: Path, package_root: Path) -> str:
    return Path(os.path.relpath(notebook, package_root)).as_posix()


def export_notebook(
    notebook: str | os.PathLike[str],
    package_root: str | os.PathLike[str] | None = None,
    module: str | None = None,
) -> ExportResult:
    """Write the notebook's exported cells to the `tinytorch` module its `#| default_exp` names (a cell
    marked `#| export other.module` goes to that module); record nothing.

    `package_root` is the folder that holds (or will hold) `tinytorch/`. By default it is the project
    folder seen from the notebook's folder (`core.project.find_project_root`: the nearest folder
    upwards that has a `tinytorch/` folder or a project marker such as `pyproject.toml` or `.git`),
    else the notebook's own folder. `module` is the course module name for the tracker; by default the
    notebook's `metadata.tinytorch.module`, else its file name ("01_tensor.ipynb" -> "01_tensor").
    Everything is checked (the file, the schema, the module name, the directives, the code compiles)
    before anything is written; bad input raises `ExportError` with a one-line message.
    """
    shown = os.fspath(notebook)
    path = existing_notebook_path(notebook)
    document = read_notebook(path, shown)
    module_name = course_module_name(document, path, shown, given=module)
    exports = collect_exports(document, shown)
    root = resolve_package_root(path, package_root)
    label = _notebook_label(path, root)
    planned = []
    for dotted, cells in cells_by_module(exports).items():
        where, directive = (
            (cell_label(shown, exports.default_exp_cell), "default_exp") if dotted == exports.default_exp
            else (cell_label(shown, cells[0].number), "export")
        )
        target = ExportTarget(root, module_parts(dotted, where, directive))
        check_inside_package(target)
        check_target_fits(target)
        text = existing_module(target.path)
        check_replaceable(target, text)
        existing = read_generated(text) if text and text.strip() else None
        source = build_module_source(cells, label, shown, existing=existing, owner=dotted == exports.default_exp)
        planned.append((target, cells, source))
    created = write_modules([(target, source.text) for target, _, source in planned])
    return ExportResult(
        notebook=path,
        module_name=module_name,
        package_root=root,
        modules=tuple(
            ExportedModule(target=target.path, import_name=target.dotted_name, cell_count=len(cells), names=source.names)
            for target, cells, source in planned
        ),
        created=tuple(created),
    )


def export_and_record(
    notebook: str | os.PathLike[str],
    package_root: str | os.PathLike[str] | None = None,
    module: str | None = None,
    console: Any = None,
    progress_file: str | os.PathLike[str] | None = None,
) -> ExportResult:
    """`export_notebook`, then `module_exported`: the module is recorded as complete (a rich `console`
    prints any unlock panel) and stale `tinytorch` imports are dropped from this process.

    Nothing is recorded when the export fails.
    """
    result = export_notebook(notebook, package_root=package_root, module=module)
    after = module_exported(result.module_name, result.package_root, console=console, progress_file=progress_file)
    return replace(result, after_export=after)
