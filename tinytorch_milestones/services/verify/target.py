"""What a verification runs (a pytest node id) and where (the student's project folder)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ...core.errors import MilestoneError
from . import messages
from ...core.project import find_project_root

LEARNING_TESTS_DIR = Path(__file__).parent / "learning_tests"
SHIPPED_TESTS = LEARNING_TESTS_DIR / "test_learning_verification.py"
PYTEST_INI = LEARNING_TESTS_DIR / "pytest.ini"


def find_project_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """The project folder seen from `start` (default: the working folder), by the rule export uses too
    (`find_project_root`: the nearest folder upwards with a `tinytorch/` folder or a project marker
    such as `pyproject.toml` or `.git`); else `start` itself."""
    origin = Path(start if start is not None else os.getcwd()).resolve()
    return find_project_root(origin) or origin


def project_dir_for(project_dir: str | os.PathLike[str] | None) -> Path:
    """The folder given (which must exist), or else the one `find_project_dir` finds."""
    if project_dir is None:
        return find_project_dir()
    folder = Path(project_dir).expanduser().resolve()
    if not folder.is_dir():
        raise MilestoneError(messages.project_dir_missing(folder))
    return folder


def _existing_file(milestone_id: str, path: str, project_dir: Path) -> Path:
    file = Path(path).expanduser()
    file = file if file.is_absolute() else project_dir / file
    if not file.is_file():
        raise MilestoneError(messages.test_file_missing(milestone_id, file))
    return file.resolve()


def node_id_for(milestone: Any, project_dir: Path) -> str:
    """The pytest node id verifying `milestone`.

    `test` may be a full node id ("path::test"); otherwise it names a test in the milestone's
    `test_file` or, without one, in the shipped learning tests. Relative paths are taken from
    the project folder; a missing file raises `MilestoneError`.
    """
    if "::" in milestone.test:
        path, _, rest = milestone.test.partition("::")
        return f"{_existing_file(milestone.id, path, project_dir)}::{rest}"
    test_file = milestone.test_file or str(SHIPPED_TESTS)
    return f"{_existing_file(milestone.id, test_file, project_dir)}::{milestone.test}"


def pytest_arguments(node_id: str) -> list[str]:
    """The pytest arguments every run shares: our own ini, live output, a short traceback, no cache.

    The test file's folder is the root and the last folder searched for `conftest.py` files, so the
    student's own pytest settings (ini files, conftest.py files above the test) play no part.
    """
    test_folder = str(Path(node_id.partition("::")[0]).parent)
    return [
        node_id,
        "-c", str(PYTEST_INI),
        "--rootdir", test_folder,
        "--confcutdir", test_folder,
        "-p", "no:cacheprovider",
        "-s",
        "-v",
        "--tb=short",
        "--no-header",
    ]
