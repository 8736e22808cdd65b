"""Where each name of the verification contract lives in a student's `tinytorch`, and the lookup.

The places are course data (`[contract]` in each course file, core/courses/): for every name the
learning tests use, the modules to look in, in order, and the course module that exports it. The
active course's places come first, then the other shipped courses' (the classic layout and the
current 20-module one), so a package in either layout passes.

`load(name)` returns the object; a name found nowhere raises `CheckFailed` naming the name, every
module looked in, and the module to export. A package that is not importable at all re-raises the
`ModuleNotFoundError` for `tinytorch` (the result plugin words that case). Any other exception
raised while importing the student's module becomes a failed check with its one line.
"""

from __future__ import annotations

import importlib
from typing import Any

from ...core import registry
from ...core.courses import SHIPPED_COURSES, ContractPlace, load_course_file
from . import messages
from .checks import CheckFailed


def contract_places() -> dict[str, ContractPlace]:
    """The active course's contract places, each followed by the other shipped courses' places for
    the same name, so a package in either layout is found; `export` is the active course's module."""
    course = registry.active_course()
    others = [load_course_file(path) for name, path in SHIPPED_COURSES.items() if name != course.name]
    table = {}
    for name, place in course.contract.items():
        modules = list(place.modules)
        for other in others:
            extra = other.contract.get(name)
            modules += [module for module in (extra.modules if extra else ()) if module not in modules]
        table[name] = ContractPlace(name=name, modules=tuple(modules), export=place.export)
    return table


def _other_exports(name: str) -> dict[str, str]:
    """Which module exports `name` in each other shipped course, by course name."""
    course = registry.active_course()
    found = {}
    for other_name, path in SHIPPED_COURSES.items():
        place = load_course_file(path).contract.get(name) if other_name != course.name else None
        if place is not None:
            found[other_name] = place.export
    return found


PACKAGE = "tinytorch"


def _is_absent(error: ModuleNotFoundError, module: str) -> bool:
    """The module itself (or a package above it) is missing, not something it imports."""
    missing = error.name or ""
    return module == missing or module.startswith(missing + ".")


def _import(module: str) -> Any | None:
    """The module, or None when it (or a package above it) does not exist; the package's own absence propagates."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == PACKAGE or not _is_absent(error, module):
            raise
        return None


def load(name: str, contract: dict[str, ContractPlace] | None = None) -> Any:
    """The object the student's `tinytorch` exports as `name`, from the first module in `contract`
    (default: `contract_places()`) having it.

    Raises `CheckFailed` (check "contract") when no listed module has it, or when importing one of
    them raises (the exception's type and first line are in the message); `ModuleNotFoundError`
    when `tinytorch` itself cannot be imported; `KeyError` for a name the table lacks.
    """
    place = (contract or contract_places())[name]
    for module in place.modules:
        try:
            found = _import(module)
        except ModuleNotFoundError as error:
            if error.name == PACKAGE:
                raise
            raise _import_failed(name, module, error) from None
        except Exception as error:  # noqa: BLE001 - student code: any failure is a failed check
            raise _import_failed(name, module, error) from None
        if found is None:
            continue
        try:
            return getattr(found, name)
        except ImportError:
            continue  # a lazy `from tinytorch import X` whose module is not exported yet
        except AttributeError:
            continue
        except Exception as error:  # noqa: BLE001 - student code: any failure is a failed check
            raise _import_failed(name, module, error) from None
    raise CheckFailed(messages.CHECK_CONTRACT, messages.contract_name_missing(name, place.modules),
                      messages.contract_export_hint(place.export, _other_exports(name)),
                      measured=None, threshold=messages.contract_threshold(name))


def _import_failed(name: str, module: str, error: BaseException) -> CheckFailed:
    return CheckFailed(messages.CHECK_CONTRACT, messages.contract_import_failed(name, module, messages.one_line(error)),
                       messages.HINT_CONTRACT_IMPORT, measured=None, threshold=messages.contract_threshold(name))


def load_all(*names: str) -> tuple[Any, ...]:
    """`load` for each name, in order (for `Tensor, Linear = load_all("Tensor", "Linear")`)."""
    return tuple(load(name) for name in names)
