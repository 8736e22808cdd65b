"""Milestone definitions, the module catalog derived from them, and name normalisation.

`MILESTONES` and `MILESTONE_ORDER` are plain module-level objects read at call time, so the
"Adding New Milestones" recipe (add to the dict, append to the order) works at run time.
Every rule about which modules exist and what a milestone needs lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import messages
from .errors import MilestoneDefinitionError, ModuleNameError, UnknownMilestoneError

MILESTONES: dict[str, dict[str, Any]] = {
    "perceptron": {
        "name": "1957 - The Perceptron",
        "requires": ["00_setup", "01_tensor", "02_autograd"],
        "test": "test_perceptron_learning",
        "description": "First learning algorithm with automatic weight updates",
        "unlock_message": "🎉 You can now verify that gradient descent actually works!",
    },
    "xor": {
        "name": "1986 - Backpropagation (XOR)",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn"],
        "test": "test_xor_learning",
        "description": "Solving non-linear problems with hidden layers",
        "unlock_message": "🎉 You can now solve the problem that stumped neural networks for decades!",
    },
    "mlp_digits": {
        "name": "1989 - MLP on Real Data",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training"],
        "test": "test_mlp_digits_learning",
        "description": "Scaling to real-world image classification",
        "unlock_message": "🎉 You can now train networks on real datasets!",
    },
    "cnn": {
        "name": "1998 - Convolutional Networks",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial"],
        "test": "test_cnn_learning",
        "description": "Preserving spatial structure in images",
        "unlock_message": "🎉 You can now build networks that understand spatial relationships!",
    },
    "transformer": {
        "name": "2017 - Transformer (Attention)",
        "requires": [
            "00_setup", "01_tensor", "02_autograd", "03_nn", "04_training",
            "11_embeddings", "12_attention",
        ],
        "test": "test_transformer_learning",
        "description": "Attention mechanism for sequence processing",
        "unlock_message": "🎉 You can now build the architecture that powers modern language models!",
    },
}

MILESTONE_ORDER: list[str] = ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]

REQUIRED_FIELDS = ("name", "requires", "test", "description", "unlock_message")
MAX_MODULE_NAME_LENGTH = 64
_MODULE_NAME = re.compile(r"^([0-9]+)_([a-z][a-z0-9_]*)$")
_NUMBER = re.compile(r"^[0-9]+$")
_YEAR_AND_TITLE = re.compile(r"^\s*([0-9]{3,4})\s*[-–—:]\s*(.+)$")


@dataclass(frozen=True)
class Milestone:
    """A validated, read-only view of one entry of `MILESTONES`."""

    id: str
    name: str
    requires: tuple[str, ...]
    test: str
    description: str
    unlock_message: str
    test_file: str | None = None

    @property
    def year(self) -> str:
        """The year in the name ("1957 - The Perceptron" -> "1957"), or "" when it has none."""
        match = _YEAR_AND_TITLE.match(self.name)
        return match.group(1) if match else ""

    @property
    def title(self) -> str:
        """The name without its year ("1957 - The Perceptron" -> "The Perceptron")."""
        match = _YEAR_AND_TITLE.match(self.name)
        return match.group(2) if match else self.name


@dataclass(frozen=True)
class CourseModule:
    """One module of the course, e.g. number 1, short name "tensor", full name "01_tensor"."""

    full_name: str
    number: int
    short_name: str


def _validated(milestone_id: str, definition: Any) -> Milestone:
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
    for module in requires:
        if not isinstance(module, str) or not _MODULE_NAME.match(module):
            raise MilestoneDefinitionError(messages.definition_bad_module(milestone_id, module))
    duplicates = sorted({m for m in requires if list(requires).count(m) > 1})
    if duplicates:
        raise MilestoneDefinitionError(messages.definition_duplicate_module(milestone_id, duplicates[0]))
    test_file = definition.get("test_file")
    if test_file is not None and (not isinstance(test_file, str) or not test_file.strip()):
        raise MilestoneDefinitionError(messages.definition_bad_text(milestone_id, "test_file", test_file))
    return Milestone(
        id=milestone_id,
        name=definition["name"],
        requires=tuple(requires),
        test=definition["test"],
        description=definition["description"],
        unlock_message=definition["unlock_message"],
        test_file=test_file,
    )


def milestones() -> list[Milestone]:
    """Every milestone in `MILESTONE_ORDER`, validated; raises `MilestoneDefinitionError` naming the culprit."""
    seen: set[str] = set()
    result = []
    for milestone_id in MILESTONE_ORDER:
        if not isinstance(milestone_id, str) or not milestone_id:
            raise MilestoneDefinitionError(messages.definition_bad_order_entry(milestone_id))
        if milestone_id in seen:
            raise MilestoneDefinitionError(messages.definition_duplicate_id(milestone_id))
        seen.add(milestone_id)
        if milestone_id not in MILESTONES:
            raise MilestoneDefinitionError(messages.definition_not_in_dict(milestone_id))
        result.append(_validated(milestone_id, MILESTONES[milestone_id]))
    return result


def milestone_ids() -> list[str]:
    """The milestone ids in unlock order."""
    return [milestone.id for milestone in milestones()]


def get_milestone(milestone_id: str) -> Milestone:
    """The validated milestone `milestone_id`; an unknown id raises with the closest valid ids."""
    by_id = {milestone.id: milestone for milestone in milestones()}
    if isinstance(milestone_id, str):
        key = milestone_id.strip()
        by_folded_id = {known.casefold(): milestone for known, milestone in by_id.items()}
        found = by_id.get(key) or by_folded_id.get(key.casefold())
        if found is not None:
            return found
    import difflib

    valid = list(by_id)
    close = difflib.get_close_matches(str(milestone_id).lower(), valid, n=3, cutoff=0.5)
    raise UnknownMilestoneError(messages.unknown_milestone(milestone_id, close, valid))


def course_modules() -> list[CourseModule]:
    """The module catalog: every module some milestone requires, ordered by number."""
    names = {module for milestone in milestones() for module in milestone.requires}
    catalog = []
    for name in names:
        match = _MODULE_NAME.match(name)
        catalog.append(CourseModule(full_name=name, number=int(match.group(1)), short_name=match.group(2)))
    catalog.sort(key=lambda module: (module.number, module.full_name))
    for earlier, later in zip(catalog, catalog[1:]):
        if earlier.number == later.number:
            raise MilestoneDefinitionError(messages.definition_shared_number(earlier.full_name, later.full_name))
    short_names: dict[str, str] = {}
    for module in catalog:
        if module.short_name in short_names:
            raise MilestoneDefinitionError(messages.definition_shared_short_name(short_names[module.short_name], module.full_name))
        short_names[module.short_name] = module.full_name
    return catalog


def module_names() -> list[str]:
    """Full names of the course modules in course order ("00_setup", "01_tensor", ...)."""
    return [module.full_name for module in course_modules()]


def _malformation(value: str) -> str | None:
    if not value:
        return messages.NAME_EMPTY
    if len(value) > MAX_MODULE_NAME_LENGTH:
        return messages.name_too_long(len(value), MAX_MODULE_NAME_LENGTH)
    if any(sep in value for sep in ("/", "\\")):
        return messages.NAME_HAS_PATH_SEPARATOR
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return messages.NAME_HAS_CONTROL_CHARACTER
    if any(ch.isspace() for ch in value):
        return messages.NAME_HAS_WHITESPACE
    return None


def normalize_module_name(module_name: str) -> str:
    """The catalog's full name for `module_name` ("01_tensor", "01", "1", "tensor" -> "01_tensor").

    Raises `ModuleNameError` for malformed or unknown names, naming the closest valid names.
    """
    if not isinstance(module_name, str):
        raise ModuleNameError(messages.module_name_not_text(module_name))
    value = module_name.strip()
    problem = _malformation(value)
    if problem:
        raise ModuleNameError(messages.malformed_module_name(module_name, problem, module_names()))
    key = value.lower().replace("-", "_")
    catalog = course_modules()
    for module in catalog:
        if key == module.full_name or key == module.short_name:
            return module.full_name
        if _NUMBER.match(key) and int(key) == module.number:
            return module.full_name
        number, _, short = key.partition("_")
        if _NUMBER.match(number) and int(number) == module.number and short == module.short_name:
            return module.full_name
    suggestions = _closest_modules(key, catalog)
    raise ModuleNameError(messages.unknown_module_name(value, suggestions, [m.full_name for m in catalog]))


def _closest_modules(key: str, catalog: list[CourseModule]) -> list[str]:
    """Full names of the modules `key` most resembles: by full name if it starts with a number, else by short name."""
    import difflib

    by_full_name = key[:1].isdigit()
    names = {(m.full_name if by_full_name else m.short_name): m.full_name for m in catalog}
    return [names[close] for close in difflib.get_close_matches(key, list(names), n=2, cutoff=0.6)]
