"""The public entry points: export a notebook into the `tinytorch` package, and export-then-record."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import messages
from .after_export import AfterExport, module_exported
from .cells import cell_label, collect_exports
from .module_name import course_module_name
from .module_source import build_module_source
from .notebook_file import existing_notebook_path, read_notebook
from .target import ExportTarget, check_target_fits, module_parts, resolve_package_root
from .writer import check_replaceable, write_module


@dataclass(frozen=True)
class ExportResult:
    """What an export did: the module file written, its import name, the cells and `__all__` names in it.

    `after_export` holds the tracker's answer (unlocks) and the import refresh when the export was
    recorded (`export_and_record`), and is None for a plain `export_notebook`.
    """

    notebook: Path
    module_name: str
    package_root: Path
    target: Path
    import_name: str
    cell_count: int
    names: tuple[str, ...]
    created: tuple[Path, ...]
    after_export: AfterExport | None = None

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
    """Write the notebook's exported cells to the `tinytorch` module its `#| default_exp` names; record nothing.

    `package_root` is the folder that holds (or will hold) `tinytorch/`. By default it is the nearest
    folder, from the notebook's own folder upwards, that already has a `tinytorch/` folder, else the
    notebook's folder. `module` is the course module name for the tracker; by default the
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
    target = ExportTarget(root, module_parts(exports.default_exp, cell_label(shown, exports.default_exp_cell)))
    check_target_fits(target)
    check_replaceable(target)
    source = build_module_source(exports.cells, _notebook_label(path, root), shown)
    created = write_module(target, source.text)
    return ExportResult(
        notebook=path,
        module_name=module_name,
        package_root=root,
        target=target.path,
        import_name=target.dotted_name,
        cell_count=len(exports.cells),
        names=source.names,
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
