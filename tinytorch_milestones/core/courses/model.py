"""A course as data: its modules, its milestones (as `MILESTONES`-style definitions) and its contract places."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class ModuleSpec:
    """One module of a course: its full name ("08_dataloader"), number (8) and the package module it
    exports to ("tinytorch.core.dataloader")."""

    name: str
    number: int
    exports: str


@dataclass(frozen=True)
class ContractPlace:
    """Where a verification finds one name of the student's package: module paths tried in order,
    and the course module to export when the name is in none of them."""

    name: str
    modules: tuple[str, ...]
    export: str


@dataclass(frozen=True)
class Course:
    """A validated course. `definitions` maps milestone id to its `MILESTONES` entry, in unlock order;
    `source` is the course file it was read from."""

    name: str
    title: str
    source: Path
    modules: tuple[ModuleSpec, ...]
    definitions: dict[str, dict[str, Any]]
    contract: dict[str, ContractPlace]

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
