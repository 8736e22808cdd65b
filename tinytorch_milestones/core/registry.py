"""The active course's milestones, the module catalog, and name normalisation.

`MILESTONES` and `MILESTONE_ORDER` are plain module-level objects holding the active course (chosen
on first use by `courses.choose_course`; `use_course` switches in place). They are read at call time,
so the "Adding New Milestones" recipe (add to the dict, append to the order) works at run time.
Validation runs once per content of the two objects (a kept copy notices the recipe's changes).
"""

from __future__ import annotations

import _thread
import re
from collections import namedtuple

from . import messages
from .errors import MilestoneDefinitionError, ModuleNameError, UnknownMilestoneError
from .milestone import MODULE_NAME, REQUIRED_FIELDS, Milestone, validated

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

    from .courses import Course, CourseChoice

__all__ = [
    "MILESTONES", "MILESTONE_ORDER", "REQUIRED_FIELDS", "CourseModule", "Milestone", "active_course",
    "course_modules", "get_milestone", "milestone_ids", "milestones", "module_names",
    "normalize_module_name", "use_course",
]

MILESTONES: dict[str, dict[str, Any]]
MILESTONE_ORDER: list[str]
"""Both exist once the course is selected: on first use (`__getattr__` below), not at import, so
importing the package parses no course file."""

MAX_MODULE_NAME_LENGTH = 64
_NUMBER = re.compile(r"^[0-9]+$")


class CourseModule(namedtuple("CourseModule", ("full_name", "number", "short_name"))):
    """One module of the course, e.g. number 1, short name "tensor", full name "01_tensor"."""

    __slots__ = ()


_Validated = namedtuple("_Validated", ("milestones", "by_typed_id", "catalog", "full_names"))
"""Everything derived from one content of MILESTONES / MILESTONE_ORDER under one course:
the `Milestone`s in order, the id lookup (`_typed_ids`), the module catalog and its full names (a set)."""

_selected = False
_selecting = _thread.RLock()  # `threading` is not imported at start-up; this is the lock type it would give
_active: Course | None = None
_selection_problem: Exception | None = None
_cache: tuple[Course, list[str], dict[str, dict[str, Any]], _Validated] | None = None


def __getattr__(name: str) -> Any:
    """`MILESTONES` and `MILESTONE_ORDER`, the course chosen (`courses.choose_course`) on first access."""
    if name in ("MILESTONES", "MILESTONE_ORDER"):
        _select_once()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def use_course(course: Course | CourseChoice | str) -> Course:
    """Make `course` (a `Course`, a choice, or a name or path) the active one, in place: `MILESTONES`
    and `MILESTONE_ORDER` keep their identity and take its milestones. Raises `CourseError`."""
    global _active, _selection_problem, _selected, MILESTONES, MILESTONE_ORDER
    from .courses import CourseChoice, course_file, load_course_file

    if isinstance(course, str):
        from pathlib import Path

        course = CourseChoice(course, "--course", Path.cwd())
    if isinstance(course, CourseChoice):
        course = load_course_file(course_file(course))
    with _selecting:
        if "MILESTONES" not in globals():
            MILESTONES, MILESTONE_ORDER = {}, []
        MILESTONES.clear()
        MILESTONES.update(course.milestone_definitions())
        MILESTONE_ORDER[:] = course.order
        _active, _selection_problem, _selected = course, None, True
    return course


def active_course() -> Course:
    """The active course; raises the one-line `CourseError` if the course chosen on first use was bad."""
    _select_once()
    if _active is None:
        raise _selection_problem or MilestoneDefinitionError(messages.COURSE_NEEDS_NAME)
    return _active


def _select_once() -> None:
    """Select the course `choose_course` names (once per process; `use_course` may switch later)."""
    global _selected, _selection_problem, MILESTONES, MILESTONE_ORDER
    if _selected:
        return
    with _selecting:
        if _selected:  # another thread selected it meanwhile
            return
        from .courses import choose_course

        try:
            use_course(choose_course())
        except (MilestoneDefinitionError, OSError) as error:
            _selection_problem = error
            if "MILESTONES" not in globals():
                MILESTONES, MILESTONE_ORDER = {}, []
        _selected = True


def _validated_state() -> _Validated:
    """The validated milestones, id lookup and catalog for the current content (computed once per content).

    The cache keeps a deep copy of both objects: comparing against it notices any change the recipe
    (or anyone) makes in place, and costs little, as the copy shares the unchanged strings.
    """
    global _cache
    import copy

    course = active_course()
    if _cache is not None and _cache[0] is course and _cache[1] == MILESTONE_ORDER and _cache[2] == MILESTONES:
        return _cache[3]
    result = _validate(course)
    _cache = (course, list(MILESTONE_ORDER), copy.deepcopy(MILESTONES), result)
    return result


def _validate(course: Course) -> _Validated:
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
        result.append(validated(milestone_id, MILESTONES[milestone_id]))
    catalog = _catalog(course, result)
    return _Validated(result, _typed_ids(result), catalog, frozenset(module.full_name for module in catalog))


def _typed_ids(milestones_: list[Milestone]) -> dict[str, Milestone]:
    """Every form people may type for a milestone, casefolded: its id, its number ("3" for "03"), its aliases."""
    lookup: dict[str, Milestone] = {}
    for milestone in milestones_:
        forms = {milestone.id.casefold(), *(alias.casefold() for alias in milestone.aliases)}
        if _NUMBER.match(milestone.id):
            forms.add(str(int(milestone.id)))
        for form in forms:
            other = lookup.setdefault(form, milestone)
            if other is not milestone:
                raise MilestoneDefinitionError(messages.definition_ambiguous_id(form, other.id, milestone.id))
    return lookup


def _catalog(course: Course, milestones_: list[Milestone]) -> list[CourseModule]:
    """The course's modules plus any module a milestone added at run time requires, ordered by number."""
    names = dict.fromkeys(course.module_names)
    for milestone in milestones_:
        names.update(dict.fromkeys(milestone.requires))
    catalog = []
    for name in names:
        match = MODULE_NAME.match(name)
        catalog.append(CourseModule(full_name=name, number=int(match.group(1)), short_name=match.group(2)))
    catalog.sort(key=lambda module: (module.number, module.full_name))
    numbers: dict[int, str] = {}
    short_names: dict[str, str] = {}
    for module in catalog:
        if module.number in numbers:
            raise MilestoneDefinitionError(messages.definition_shared_number(numbers[module.number], module.full_name))
        if module.short_name in short_names:
            raise MilestoneDefinitionError(messages.definition_shared_short_name(short_names[module.short_name], module.full_name))
        numbers[module.number], short_names[module.short_name] = module.full_name, module.full_name
    return catalog


def milestones() -> list[Milestone]:
    """Every milestone in `MILESTONE_ORDER`, validated; raises `MilestoneDefinitionError` naming the culprit."""
    return list(_validated_state().milestones)


def milestone_ids() -> list[str]:
    """The milestone ids in unlock order."""
    return [milestone.id for milestone in _validated_state().milestones]


def get_milestone(milestone_id: str) -> Milestone:
    """The milestone `milestone_id` names: its id in any case, its number ("3" for "03") or an alias
    ("mlp"); an unknown id raises `UnknownMilestoneError` with the closest valid ids."""
    state = _validated_state()
    if isinstance(milestone_id, str):
        found = state.by_typed_id.get(milestone_id.strip().casefold())
        if found is not None:
            return found
    import difflib

    valid = [milestone.id for milestone in state.milestones]
    close = difflib.get_close_matches(str(milestone_id).lower(), list(state.by_typed_id), n=3, cutoff=0.5)
    close = list(dict.fromkeys(state.by_typed_id[form].id for form in close))
    raise UnknownMilestoneError(messages.unknown_milestone(milestone_id, close, valid))


def course_modules() -> list[CourseModule]:
    """The module catalog: the course's modules and every module some milestone requires, by number."""
    return list(_validated_state().catalog)


def module_names() -> list[str]:
    """Full names of the course modules in course order ("00_setup", "01_tensor", ...)."""
    return [module.full_name for module in _validated_state().catalog]


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
    if module_name in _validated_state().full_names:  # the common case, already a catalog name
        return module_name
    value = module_name.strip()
    problem = _malformation(value)
    if problem:
        raise ModuleNameError(messages.malformed_module_name(module_name, problem, module_names()))
    key = value.lower().replace("-", "_")
    catalog = _validated_state().catalog
    number, _, short = key.partition("_")
    for module in catalog:
        if key == module.full_name or key == module.short_name:
            return module.full_name
        if _NUMBER.match(key) and int(key) == module.number:
            return module.full_name
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

