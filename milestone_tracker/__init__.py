"""The original import path, `from milestone_tracker import ...`: a thin re-export of the core."""

from tinytorch_milestones.core.registry import MILESTONE_ORDER, MILESTONES
from tinytorch_milestones.core.tracker import MilestoneTracker, check_module_export, list_tests, show_progress

__all__ = ["MILESTONES", "MILESTONE_ORDER", "MilestoneTracker", "check_module_export", "list_tests", "show_progress"]
