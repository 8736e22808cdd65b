"""The original import path, `from milestone_tracker import ...`: a thin re-export of the core."""

from tinytorch_milestones.core.tracker import MilestoneTracker, check_module_export, list_tests, show_progress

__all__ = ["MILESTONES", "MILESTONE_ORDER", "MilestoneTracker", "check_module_export", "list_tests", "show_progress"]


def __getattr__(name: str) -> object:
    """`MILESTONES` and `MILESTONE_ORDER`: the registry's own objects, its course selected on first access."""
    if name in ("MILESTONES", "MILESTONE_ORDER"):
        from tinytorch_milestones.core import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
