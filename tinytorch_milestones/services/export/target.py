"""Where an export goes: the package root, and the file a `default_exp` names inside `tinytorch/`.

`default_exp core.tensor` is `<package_root>/tinytorch/core/tensor.py`; `default_exp __init__` is the
package's own `tinytorch/__init__.py` (and `core.__init__` is `tinytorch/core/__init__.py`).
Only dotted Python identifiers are accepted, so no target can leave the package folder.
"""

from __future__ import annotations

import keyword
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import messages
from ...core.project import PACKAGE_NAME, find_project_root
from .errors import ExportError

INIT_PART = "__init__"
INIT_FILE = "__init__.py"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ExportTarget:
    """The module a notebook exports to, e.g. parts ("core", "tensor") -> tinytorch.core.tensor."""

    package_root: Path
    parts: tuple[str, ...]

    @property
    def package_dir(self) -> Path:
        """The `tinytorch/` folder."""
        return self.package_root / PACKAGE_NAME

    @property
    def path(self) -> Path:
        """The file written: `tinytorch/core/tensor.py`, or `tinytorch/__init__.py` for `__init__`."""
        return self.package_dir.joinpath(*self.parts[:-1], f"{self.parts[-1]}.py")

    @property
    def dotted_name(self) -> str:
        """The import name: "tinytorch.core.tensor"; "tinytorch" for the package's `__init__`."""
        parts = self.parts[:-1] if self.parts[-1] == INIT_PART else self.parts
        return ".".join((PACKAGE_NAME, *parts))

    @property
    def package_folders(self) -> list[Path]:
        """Every package folder from `tinytorch/` down to the one holding the target file."""
        folders = [self.package_dir]
        for part in self.parts[:-1]:
            folders.append(folders[-1] / part)
        return folders


def module_parts(dotted: str, where: str, directive: str = "default_exp") -> tuple[str, ...]:
    """The dotted module name of a `default_exp` (or `export`) directive split into parts, refused
    unless every part is a plain identifier."""
    parts = tuple(dotted.split("."))
    for part in parts:
        if not IDENTIFIER.match(part) or keyword.iskeyword(part):
            raise ExportError(messages.bad_target_module(where, directive, dotted))
    if INIT_PART in parts[:-1]:
        raise ExportError(messages.bad_target_module(where, directive, dotted))
    return parts


def default_package_root(notebook: Path) -> Path:
    """The project folder seen from the notebook's folder (`find_project_root`: the nearest folder upwards
    with a `tinytorch/` folder or a project marker such as `pyproject.toml` or `.git`).

    When there is neither, the notebook's folder: the package is created beside the notebook.
    """
    return find_project_root(notebook.parent) or notebook.parent


def resolve_package_root(notebook: Path, package_root: str | os.PathLike[str] | None) -> Path:
    """The given package root (which must be an existing folder), or `default_package_root(notebook)`."""
    if package_root is None:
        return default_package_root(notebook)
    root = Path(package_root).expanduser()
    if not root.is_dir():
        raise ExportError(messages.package_root_missing(package_root))
    return root.resolve()


def _links_on_the_way(path: Path, start: Path) -> list[Path]:
    """Every symbolic link on the way from `start` down to `path`, both included, outermost first."""
    steps = [start]
    for part in path.relative_to(start).parts:
        steps.append(steps[-1] / part)
    return [step for step in steps if step.is_symlink()]


def check_inside_package(target: ExportTarget) -> None:
    """Refuse a target that a symbolic link (`tinytorch/` itself, a folder or file inside it) leads outside
    the resolved package root (the folder holding `tinytorch/`), so an export never writes outside it.

    Links that stay inside the package root are followed; a link loop is refused too. The message
    names the link.
    """
    root = target.package_root.resolve()
    checked: set[Path] = set()
    for path in (*target.package_folders, *(folder / INIT_FILE for folder in target.package_folders), target.path):
        for link in _links_on_the_way(path, target.package_dir):
            if link in checked:
                continue
            checked.add(link)
            try:
                leads_to = link.resolve(strict=False)
            except (OSError, RuntimeError):  # a link loop
                raise ExportError(messages.link_loop(link, target.dotted_name)) from None
            if not leads_to.is_relative_to(root):
                raise ExportError(messages.link_leaves_package(link, leads_to, root))


def check_target_fits(target: ExportTarget) -> None:
    """Refuse a target that clashes with what is on disk, where one of two same-named modules would hide the other.

    `tinytorch/core.py` and a `tinytorch/core/` folder cannot both be `tinytorch.core`; neither can a
    file where a package folder has to go.
    """
    if target.path.is_dir():
        raise ExportError(messages.target_is_folder(target.path, target.dotted_name))
    if target.parts[-1] != INIT_PART and target.path.with_suffix("").is_dir():
        raise ExportError(messages.target_is_package(target.path.with_suffix(""), target.dotted_name))
    for folder in target.package_folders:
        if folder.exists() and not folder.is_dir():
            raise ExportError(messages.package_folder_is_file(folder, target.dotted_name))
        module_beside = folder.with_suffix(".py")
        if folder != target.package_dir and module_beside.is_file():
            raise ExportError(messages.module_beside_package(module_beside, target.dotted_name))
