"""Making the running process import the newly exported code instead of the `tinytorch` it already imported.

Stale `tinytorch` modules are removed from `sys.modules`, so the next `import tinytorch...` reads
the new files. Objects the user already holds (a `Tensor` made before the export) keep the old
classes: the caller tells the user to re-run their imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from ...core.project import PACKAGE_NAME


@dataclass(frozen=True)
class FreshImports:
    """Which modules were dropped, where `import tinytorch` will now find the package, and the folder
    put on `sys.path` so that it finds the exported one (None when none was needed)."""

    purged: tuple[str, ...]
    imports_from: Path | None
    exported_to: Path | None
    added_to_sys_path: Path | None = None

    @property
    def imports_exported_code(self) -> bool:
        """False when `import tinytorch` would load some other copy than the one just exported."""
        if self.exported_to is None:
            return True
        return self.imports_from is not None and self.imports_from.resolve() == self.exported_to.resolve()


def purge_package_modules(package: str = PACKAGE_NAME) -> tuple[str, ...]:
    """Remove `package` and its submodules from `sys.modules` and reset the import caches; return their names."""
    stale = sorted(name for name in sys.modules if name == package or name.startswith(f"{package}."))
    for name in stale:
        del sys.modules[name]
    importlib.invalidate_caches()
    return tuple(stale)


def package_location(package: str = PACKAGE_NAME) -> Path | None:
    """The folder `import package` would load now (without importing it), or None if it is not importable."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def refresh_imports(exported_to: Path | None = None) -> FreshImports:
    """Purge the stale `tinytorch` modules; `exported_to` (the `tinytorch/` folder written) is checked against
    where the package will be imported from, and its parent put first on `sys.path` when no `tinytorch`
    is importable at all (`importable.make_package_importable`)."""
    from .importable import make_package_importable

    purged = purge_package_modules()
    added = make_package_importable(exported_to.parent) if exported_to is not None else None
    return FreshImports(purged=purged, imports_from=package_location(), exported_to=exported_to, added_to_sys_path=added)
