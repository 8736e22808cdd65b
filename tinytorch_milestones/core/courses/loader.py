"""Reading a course file (TOML) into a validated `Course`; every problem is one line naming the file.

The format (README.md, "Writing your own course"):

    [course]
    name = "mycourse"                 # recorded in the progress file
    title = "My course"               # optional, shown by `info`

    [[modules]]                       # in course order; the number is the name's prefix
    name = "01_tensor"
    exports = "tinytorch.core.tensor" # the package module it exports to

    [[milestones]]                    # in unlock order
    id = "01"
    aliases = ["perceptron"]          # optional: other ids people may type
    name = "1957 - Perceptron"
    year = 1957                       # optional; else read from the name
    requires = ["01_tensor"]          # full module names of [[modules]]
    test = "test_perceptron_learning" # a pytest test name, or "path::test"
    test_file = "tests/my_tests.py"   # optional; relative to this file
    description = "..."
    unlock_message = "..."

    [contract]                        # optional: where verification finds each name
    Tensor = { modules = ["tinytorch.core.tensor"], export = "01_tensor" }
"""

from __future__ import annotations

from pathlib import Path
TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

from .. import messages
from ..errors import CourseError, MilestoneDefinitionError
from ..milestone import MODULE_NAME, OPTIONAL_FIELDS, REQUIRED_FIELDS, validated
from .model import ContractPlace, Course, ModuleSpec
from .toml_files import keep_parse, kept_parse, toml

TOP_LEVEL_KEYS = {"course", "modules", "milestones", "contract"}
MILESTONE_KEYS = {"id", *REQUIRED_FIELDS, *OPTIONAL_FIELDS}
SHIPPED_FOLDER = Path(__file__).parent
"""Where the shipped course files are; their TOML parse is kept beside them (`toml_files`)."""
_cache: dict[Path, tuple[tuple[int, int], Course]] = {}


def load_course_file(path: Path) -> Course:
    """The course in the TOML file `path`, validated (cached while the file is unchanged; a shipped
    course's parse is also kept on disk, see `toml_files`).

    Raises `CourseError` (one line, naming the file and the bad value) when it cannot be read or
    is not a valid course.
    """
    path = path.expanduser().absolute()
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        data = path.read_bytes()
    except OSError as error:
        raise CourseError(messages.course_file_unreadable(path, error.strerror or str(error))) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CourseError(messages.course_file_not_toml(path, str(error))) from None
    shipped = path.parent == SHIPPED_FOLDER
    raw = kept_parse(path, text) if shipped else None
    if raw is None:
        tomllib = toml()
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CourseError(messages.course_file_not_toml(path, str(error))) from None
        if shipped:
            keep_parse(path, text, raw)
    course = parse_course(raw, path)
    _cache[path] = (key, course)
    return course


def _refuse_a_shipped_name(name: str, path: Path, fail: Any) -> None:
    """A course file of one's own may not take a shipped course's name: progress files record the
    course by name, so a look-alike `classic` could complete classic's milestones by its own rules."""
    from .selection import SHIPPED_COURSES

    shipped = SHIPPED_COURSES.get(name)
    if shipped is not None and shipped.absolute() != path:
        raise fail(messages.course_name_reserved(name, sorted(SHIPPED_COURSES)))


def parse_course(raw: dict[str, Any], path: Path) -> Course:
    """`raw` (a parsed course file) as a `Course`; relative `test_file` paths are taken from `path`'s folder."""
    def fail(problem: str) -> CourseError:
        return CourseError(messages.bad_course_file(path, problem))

    unknown = sorted(set(raw) - TOP_LEVEL_KEYS)
    if unknown:
        raise fail(messages.course_unknown_key(unknown[0], sorted(TOP_LEVEL_KEYS)))
    header = raw.get("course")
    if not isinstance(header, dict) or not isinstance(header.get("name"), str) or not header["name"].strip():
        raise fail(messages.COURSE_NEEDS_NAME)
    unknown = sorted(set(header) - {"name", "title"})
    if unknown:
        raise fail(messages.course_unknown_key(f"course.{unknown[0]}", ["course.name", "course.title"]))
    title = header.get("title", header["name"])
    if not isinstance(title, str):
        raise fail(messages.course_bad_value("course.title", title))
    modules = _modules(raw.get("modules"), fail)
    known = {module.name for module in modules}
    definitions = _milestones(raw.get("milestones"), known, path.parent, fail)
    contract = _contract(raw.get("contract", {}), known, fail)
    _refuse_a_shipped_name(header["name"].strip(), path, fail)
    return Course(name=header["name"].strip(), title=title, source=path, modules=modules,
                  definitions=definitions, contract=contract)


def _modules(raw: Any, fail) -> tuple[ModuleSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail(messages.COURSE_NEEDS_MODULES)
    modules: list[ModuleSpec] = []
    numbers: dict[int, str] = {}
    short_names: dict[str, str] = {}
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or set(entry) != {"name", "exports"}:
            raise fail(messages.course_bad_module_entry(position, entry))
        name, exports = entry["name"], entry["exports"]
        match = MODULE_NAME.match(name) if isinstance(name, str) else None
        if match is None:
            raise fail(messages.course_bad_module_name(position, name))
        if not isinstance(exports, str) or not all(part.isidentifier() for part in exports.split(".")):
            raise fail(messages.course_bad_exports(name, exports))
        number, short = int(match.group(1)), match.group(2)
        if number in numbers:
            raise fail(messages.definition_shared_number(numbers[number], name))
        if short in short_names:
            raise fail(messages.definition_shared_short_name(short_names[short], name))
        numbers[number], short_names[short] = name, name
        modules.append(ModuleSpec(name=name, number=number, exports=exports))
    return tuple(modules)


def _milestones(raw: Any, known: set[str], folder: Path, fail) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise fail(messages.COURSE_NEEDS_MILESTONES)
    definitions: dict[str, dict[str, Any]] = {}
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            raise fail(messages.course_milestone_needs_id(position))
        milestone_id = entry["id"]
        unknown = sorted(set(entry) - MILESTONE_KEYS)
        if unknown:
            raise fail(messages.course_milestone_unknown_key(milestone_id, unknown[0], sorted(MILESTONE_KEYS)))
        if milestone_id in definitions:
            raise fail(messages.definition_duplicate_id(milestone_id))
        definition = {key: value for key, value in entry.items() if key != "id"}
        if isinstance(definition.get("test_file"), str):
            test_file = Path(definition["test_file"]).expanduser()
            definition["test_file"] = str(test_file if test_file.is_absolute() else (folder / test_file).resolve())
        try:
            milestone = validated(milestone_id, definition)
        except MilestoneDefinitionError as error:
            raise fail(str(error)) from None
        for module in milestone.requires:
            if module not in known:
                raise fail(messages.course_requires_unknown_module(milestone_id, module, sorted(known)))
        definitions[milestone_id] = definition
    return definitions


def _contract(raw: Any, known: set[str], fail) -> dict[str, ContractPlace]:
    if not isinstance(raw, dict):
        raise fail(messages.course_bad_value("contract", raw))
    places = {}
    for name, entry in raw.items():
        if (not isinstance(entry, dict) or set(entry) != {"modules", "export"}
                or not isinstance(entry["modules"], list) or not entry["modules"]
                or not all(isinstance(m, str) and all(p.isidentifier() for p in m.split(".")) for m in entry["modules"])):
            raise fail(messages.course_bad_contract_entry(name, entry))
        if entry["export"] not in known:
            raise fail(messages.course_contract_unknown_module(name, entry["export"], sorted(known)))
        places[name] = ContractPlace(name=name, modules=tuple(entry["modules"]), export=entry["export"])
    return places
