"""One milestone: the validated, read-only form of an entry of `MILESTONES`, and the rule that checks it.

Shared by the registry (which validates `MILESTONES` at call time) and the course loader (which
validates a course file's milestones at load), so both give the same one-line errors.
"""

from __future__ import annotations

import re
from collections import namedtuple
TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

from . import messages
from .errors import MilestoneDefinitionError

REQUIRED_FIELDS = ("name", "requires", "test", "description", "unlock_message")
OPTIONAL_FIELDS = ("aliases", "year", "test_file")
MODULE_NAME = re.compile(r"^([0-9]+)_([a-z][a-z0-9_]*)$")
_ALIAS = re.compile(r"^[^\s/\\]+$")
_YEAR_AND_TITLE = re.compile(r"^\s*([0-9]{3,4})\s*[-–—:]\s*(.+)$")


_FIELDS = ("id", "name", "requires", "test", "description", "unlock_message", "test_file", "aliases", "explicit_year")


class Milestone(namedtuple("Milestone", _FIELDS, defaults=(None, (), None))):
    """A validated, read-only view of one entry of `MILESTONES` (a named tuple: a dataclass costs a
    fresh process the `dataclasses` import).

    Fields: `id`, `name`, `requires` (tuple of full module names), `test`, `description`,
    `unlock_message`, `test_file` (or None), `aliases` (other ids people may type, `run mlp` for
    "03") and `explicit_year` (the definition's optional `year` field, or None).
    """

    __slots__ = ()

    @property
    def year(self) -> str:
        """The `year` field, else the year in the name ("1957 - The Perceptron" -> "1957"), else ""."""
        if self.explicit_year:
            return self.explicit_year
        match = _YEAR_AND_TITLE.match(self.name)
        return match.group(1) if match else ""

    @property
    def title(self) -> str:
        """The name without its year ("1957 - The Perceptron" -> "The Perceptron")."""
        match = _YEAR_AND_TITLE.match(self.name)
        return match.group(2) if match else self.name


def validated(milestone_id: str, definition: Any) -> Milestone:
    """`definition` checked and frozen; raises `MilestoneDefinitionError` with one line naming the field."""
    if not isinstance(definition, dict):
        raise MilestoneDefinitionError(messages.definition_not_a_dict(milestone_id))
    for field in REQUIRED_FIELDS:
        if field not in definition:
            raise MilestoneDefinitionError(messages.definition_missing_field(milestone_id, field))
    for field in ("name", "test", "description", "unlock_message"):
        value = definition[field]
        if not isinstance(value, str) or not value.strip():
            raise MilestoneDefinitionError(messages.definition_bad_text(milestone_id, field, value))
    requires = definition["requires"]
    if not isinstance(requires, (list, tuple)) or not requires:
        raise MilestoneDefinitionError(messages.definition_empty_requires(milestone_id, requires))
    seen: set[str] = set()
    for module in requires:
        if not isinstance(module, str) or not MODULE_NAME.match(module):
            raise MilestoneDefinitionError(messages.definition_bad_module(milestone_id, module))
        if module in seen:
            raise MilestoneDefinitionError(messages.definition_duplicate_module(milestone_id, module))
        seen.add(module)
    test_file = definition.get("test_file")
    if test_file is not None and (not isinstance(test_file, str) or not test_file.strip()):
        raise MilestoneDefinitionError(messages.definition_bad_text(milestone_id, "test_file", test_file))
    aliases = definition.get("aliases", ())
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) and _ALIAS.match(a) for a in aliases):
        raise MilestoneDefinitionError(messages.definition_bad_aliases(milestone_id, aliases))
    year = definition.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, (int, str)) or not str(year).isdigit()):
        raise MilestoneDefinitionError(messages.definition_bad_year(milestone_id, year))
    return Milestone(
        id=milestone_id,
        name=definition["name"],
        requires=tuple(requires),
        test=definition["test"],
        description=definition["description"],
        unlock_message=definition["unlock_message"],
        test_file=test_file,
        aliases=tuple(aliases),
        explicit_year=str(year) if year is not None else None,
    )
