"""A course as data: its modules, its milestones (as `MILESTONES`-style definitions) and its contract places."""

from __future__ import annotations

import copy
from collections import namedtuple

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

# Immutable records as namedtuples: every command line start defines them, and a dataclass costs a
# fresh process the `dataclasses` import (about 6 ms, most of it `inspect`) plus compiling each class.


class ModuleSpec(namedtuple("ModuleSpec", ("name", "number", "exports"))):
    """One module of a course: its full name ("08_dataloader", str), number (8, int) and the package
    module it exports to ("tinytorch.core.dataloader", str)."""

    __slots__ = ()


class ContractPlace(namedtuple("ContractPlace", ("name", "modules", "export"))):
    """Where a verification finds one name of the student's package: `modules`, the module paths tried
    in order (a tuple of str), and `export`, the course module to export when the name is in none of them."""

    __slots__ = ()


class Course(namedtuple("Course", ("name", "title", "source", "modules", "definitions", "contract"))):
    """A validated course: `name` and `title` (str), `source` (the course file's `Path`), `modules` (a
    tuple of `ModuleSpec` in course order), `definitions` (milestone id -> its `MILESTONES` entry, in
    unlock order) and `contract` (name -> `ContractPlace`)."""

    __slots__ = ()

    @property
    def order(self) -> list[str]:
        """The milestone ids in unlock order (a fresh list, for `MILESTONE_ORDER`)."""
        return list(self.definitions)

    def milestone_definitions(self) -> dict[str, dict[str, Any]]:
        """A fresh deep copy of the definitions, for `MILESTONES` (so changing it never changes the course)."""
        return copy.deepcopy(self.definitions)

    @property
    def module_names(self) -> list[str]:
        """Full module names in course order."""
        return [module.name for module in self.modules]
