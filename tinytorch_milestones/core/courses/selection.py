"""Which course is active: `--course`, else `TINYTORCH_COURSE`, else the project's setting, else classic.

The project's setting is `course = "..."` under `[tool.tinytorch-milestones]` in the project folder's
`pyproject.toml`, or `course = ...` in its nbdev `settings.ini` (project folder: `core/project.py`).
Wherever a name goes, a path to a course file works too; a relative path is taken from the folder
of the file that names it (the working folder for `--course` and `TINYTORCH_COURSE`).
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from .. import messages
from ..errors import CourseError
from ..project import find_project_root
from .loader import SHIPPED_FOLDER

SHIPPED_COURSES = {"classic": SHIPPED_FOLDER / "classic.toml", "tinytorch": SHIPPED_FOLDER / "tinytorch.toml"}
DEFAULT_COURSE = "classic"
TITO_COURSE = "tinytorch"  # the course tito teaches: import-tito's default
ENV_VAR = "TINYTORCH_COURSE"
CLI_OPTION = "--course"
PYPROJECT_TABLE = "tinytorch-milestones"
SETTING = "course"


class CourseChoice(namedtuple("CourseChoice", ("value", "origin", "base"))):
    """A course named somewhere: `value` (a name or a path), `origin` (where it was named, for
    messages: "--course", "TINYTORCH_COURSE", a settings file's path, or "default") and `base`
    (the folder a relative path is taken from)."""

    __slots__ = ()

    @property
    def is_default(self) -> bool:
        """True when nobody chose a course (the classic course applies)."""
        return self.origin == "default"


def course_file(choice: CourseChoice) -> Path:
    """The course file `choice` names; raises `CourseError` naming the valid courses."""
    value = choice.value.strip()
    if value in SHIPPED_COURSES:
        return SHIPPED_COURSES[value]
    path = Path(value).expanduser()
    path = path if path.is_absolute() else choice.base / path
    if value and path.is_file():
        return path.absolute()
    raise CourseError(messages.unknown_course(choice.value, choice.origin, list(SHIPPED_COURSES)))


def project_choice(start: Path) -> CourseChoice | None:
    """The course the project around `start` names in its pyproject.toml or settings.ini, if any."""
    root = find_project_root(start)
    if root is None:
        return None
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        value = _pyproject_setting(pyproject)
        if value is not None:
            return CourseChoice(value, str(pyproject), root)
    settings = root / "settings.ini"
    if settings.is_file():
        value = _settings_ini_setting(settings)
        if value is not None:
            return CourseChoice(value, str(settings), root)
    return None


def choose_course(explicit: str | None = None, start: Path | None = None) -> CourseChoice:
    """The course choice in force: `explicit` (the CLI's `--course`), `TINYTORCH_COURSE`, the
    project's setting seen from `start` (default: the working folder), else the default."""
    cwd = Path.cwd()
    if explicit is not None:
        return CourseChoice(explicit, CLI_OPTION, cwd)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return CourseChoice(from_env, ENV_VAR, cwd)
    return project_choice(start or cwd) or CourseChoice(DEFAULT_COURSE, "default", cwd)


def _pyproject_setting(path: Path) -> str | None:
    from .toml_files import toml

    tomllib = toml()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CourseError(messages.course_setting_unreadable(path, str(error))) from None
    table = data.get("tool", {}).get(PYPROJECT_TABLE, {})
    value = table.get(SETTING) if isinstance(table, dict) else None
    if value is not None and not isinstance(value, str):
        raise CourseError(messages.course_setting_not_text(path, value))
    return value


def _settings_ini_setting(path: Path) -> str | None:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise CourseError(messages.course_setting_unreadable(path, str(error).splitlines()[0])) from None
    for section in (parser.default_section, *parser.sections()):
        if parser.has_option(section, SETTING):
            return parser.get(section, SETTING).strip() or None
    return None
