"""Courses as data: each course is a TOML file of modules, milestones and contract places.

`classic.toml` (API.md's five milestones; the default) and `tinytorch.toml` (the current 20-module
course) ship here; `selection.py` says which one is active, `loader.py` reads and validates one.
The active course itself (and `MILESTONES` / `MILESTONE_ORDER`) is held by `core/registry.py`.
"""

from .loader import load_course_file
from .model import ContractPlace, Course, ModuleSpec
from .selection import DEFAULT_COURSE, ENV_VAR, SHIPPED_COURSES, TITO_COURSE, CourseChoice, choose_course, course_file

__all__ = [
    "DEFAULT_COURSE",
    "ENV_VAR",
    "SHIPPED_COURSES",
    "TITO_COURSE",
    "ContractPlace",
    "Course",
    "CourseChoice",
    "ModuleSpec",
    "choose_course",
    "course_file",
    "load_course_file",
]

