"""Export a notebook's `#| export` cells into the `tinytorch` package, the way nbdev does, and tell the tracker.

`export_notebook` writes the module; `export_and_record` also records the module and drops stale
imports; `module_exported` is the same after-export step for exports done by other tools (tito).
Notebooks are read as JSON: nbformat is never imported on the export path.
"""

from .after_export import AfterExport, module_exported
from .api import ExportedModule, ExportResult, export_and_record, export_notebook
from .errors import ExportError
from .fresh_imports import FreshImports, purge_package_modules
from .importable import make_package_importable, make_project_importable
from .locate import HowFound, LocatedNotebook, find_current_notebook, locate_notebook

__all__ = [
    "AfterExport",
    "ExportError",
    "ExportResult",
    "ExportedModule",
    "FreshImports",
    "HowFound",
    "LocatedNotebook",
    "export_and_record",
    "export_notebook",
    "find_current_notebook",
    "locate_notebook",
    "make_package_importable",
    "make_project_importable",
    "module_exported",
    "purge_package_modules",
]
