"""What follows every export, ours or another tool's (tito's nbdev export): record it, and drop stale imports."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinytorch_milestones.core.registry import normalize_module_name
from tinytorch_milestones.core.tracker import check_module_export

from .fresh_imports import FreshImports, refresh_imports
from ...core.project import PACKAGE_NAME


@dataclass(frozen=True)
class AfterExport:
    """The tracker's answer to an export (milestones newly unlocked, their messages) and the import refresh."""

    module_name: str
    newly_unlocked: tuple[str, ...]
    messages: tuple[str, ...]
    fresh_imports: FreshImports


def module_exported(
    module_name: str,
    package_root: str | os.PathLike[str] | None = None,
    console: Any = None,
    progress_file: str | os.PathLike[str] | None = None,
) -> AfterExport:
    """Call this after exporting a module by any means: it has the same effect as `export_and_record`'s own.

    It records the module with `check_module_export` (a rich `console` prints the unlock panels) and
    removes `tinytorch` and `tinytorch.*` from `sys.modules`, so the next import in this process
    reads the new files. With `package_root` (the folder holding `tinytorch/`), the result also tells
    whether `import tinytorch` will load that copy, and when no `tinytorch` was importable at all,
    `package_root` is put first on `sys.path` (`fresh_imports.added_to_sys_path`; wording:
    `messages.fresh_imports_advice`). A module name the course does not know raises
    `ModuleNameError` before anything is recorded.
    """
    full_name = normalize_module_name(module_name)
    unlocks = check_module_export(full_name, console=console, progress_file=progress_file)
    exported_to = Path(package_root).expanduser().resolve() / PACKAGE_NAME if package_root is not None else None
    return AfterExport(
        module_name=full_name,
        newly_unlocked=tuple(unlocks["newly_unlocked"]),
        messages=tuple(unlocks["messages"]),
        fresh_imports=refresh_imports(exported_to),
    )
