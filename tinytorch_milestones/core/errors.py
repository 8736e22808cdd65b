"""The one exception family the product raises for bad input: each carries a one-line message."""

from __future__ import annotations


class MilestoneError(ValueError):
    """A user-facing error whose message is one line naming the bad value and the valid choices."""


class MilestoneDefinitionError(MilestoneError):
    """A milestone definition in the registry is incomplete or inconsistent."""


class UnknownMilestoneError(MilestoneError):
    """A milestone id that the registry does not define."""


class ModuleNameError(MilestoneError):
    """A module name that is malformed or not part of the course."""


class ProgressFileError(MilestoneError):
    """The progress file cannot be read or written."""


class CourseError(MilestoneDefinitionError):
    """A course cannot be chosen or its file is not a valid course."""


class CourseMismatchError(MilestoneError):
    """The progress file belongs to another course than the active one."""
