"""tinytorch-milestones: progress, unlocks and learning verification for the TinyTorch course.

The public API of API.md lives here; `%load_ext tinytorch_milestones` loads the notebook extension.
Importing this package pulls in neither IPython, ipywidgets, nbformat nor pytest.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

from .core.errors import (
    MilestoneDefinitionError,
    MilestoneError,
    ModuleNameError,
    ProgressFileError,
    UnknownMilestoneError,
)
from .core.registry import normalize_module_name
from .core.tracker import MilestoneTracker, check_module_export, list_tests, show_progress

__version__ = "0.1.0"

__all__ = [
    "MILESTONES",
    "MILESTONE_ORDER",
    "MilestoneDefinitionError",
    "MilestoneError",
    "MilestoneTracker",
    "ModuleNameError",
    "ProgressFileError",
    "UnknownMilestoneError",
    "check_module_export",
    "list_tests",
    "load_ipython_extension",
    "normalize_module_name",
    "show_progress",
    "unload_ipython_extension",
]


def __getattr__(name: str) -> Any:
    """`MILESTONES` and `MILESTONE_ORDER`: the registry's own objects, its course selected on first access."""
    if name in ("MILESTONES", "MILESTONE_ORDER"):
        from .core import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext tinytorch_milestones`: register the `%milestones` magic and its event hooks."""
    from .frontends.ipython.extension import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext tinytorch_milestones`: remove the magic and every hook it registered."""
    from .frontends.ipython.extension import unload

    unload(ipython)
