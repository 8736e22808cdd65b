"""Each shipped course end to end, one milestone at a time, against a package holding only its required modules.

For every milestone of both courses, in a fresh project: the package holds only the files its
required modules export (from the course's reference package: the exported course notebooks for
classic, `reference_tinytorch/` for the current course); `complete` of those modules unlocks it;
`run` verifies it with the real runner (so they suffice); and each required module's file was
imported by the verification (Python left its bytecode in `__pycache__`), so none is superfluous.

Known exception: classic's transformer requires 04_training (API.md fixes classic's lists) though its
verification does not import it; the test pins exactly that one exception.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tinytorch_milestones.core.courses import SHIPPED_COURSES, Course, load_course_file

from .conftest import REFERENCE, run_cli, tinytorch_project

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KNOWN_UNUSED = {("classic", "transformer"): {"04_training"}}
CONTRACT_LOOKUP = importlib.util.find_spec("tinytorch_milestones.services.verify.contract") is not None
USES_SHIPPED_TESTS_WITH_CLASSIC_IMPORTS = {"01", "02", "03", "04", "05"}


@pytest.fixture(scope="module")
def classic_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The classic course's reference `tinytorch`: every course notebook exported by the CLI."""
    root = tmp_path_factory.mktemp("classic-reference")
    (root / "pyproject.toml").touch()
    env = {"TINYTORCH_HOME": str(root / "home"), "TINYTORCH_COURSE": "classic"}
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        result = run_cli("export", str(notebook), "--to", str(root), cwd=root, env=env)
        assert result.returncode == 0, result.stderr
    return root / "tinytorch"


def _file_of(package: Path, dotted: str) -> Path | None:
    parts = dotted.split(".")[1:]
    for candidate in (package.joinpath(*parts, "__init__.py"), package.joinpath(*parts).with_suffix(".py")):
        if parts or candidate.name == "__init__.py":
            if candidate.is_file():
                return candidate
    return None


def module_files(course: Course, module: str, package: Path) -> set[Path]:
    """The reference files `module` exports: its `exports` and the contract places it is the export of."""
    spec = next(m for m in course.modules if m.name == module)
    dotted = {spec.exports, *(p for place in course.contract.values() if place.export == module for p in place.modules)}
    return {file for file in (_file_of(package, d) for d in dotted) if file is not None}


def partial_package(course: Course, requires: list[str], package: Path, target: Path) -> dict[str, set[Path]]:
    """Copy into `target/tinytorch` only what `requires` exports, plus the package folders' own `__init__.py`."""
    owned = {file for module in course.module_names for file in module_files(course, module, package)}
    copied: dict[str, set[Path]] = {}
    for module in requires:
        files = module_files(course, module, package)
        assert files, f"{module}: nothing in the reference package"
        copied[module] = {target / "tinytorch" / f.relative_to(package) for f in files}
    scaffolding = {init for init in package.rglob("__init__.py") if init not in owned}
    for source in {*(f for m in requires for f in module_files(course, m, package)), *scaffolding}:
        destination = target / "tinytorch" / source.relative_to(package)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return copied


def was_imported(file: Path) -> bool:
    return any((file.parent / "__pycache__").glob(f"{file.stem}.*.pyc"))


CASES = [(name, milestone_id) for name in sorted(SHIPPED_COURSES)
         for milestone_id in load_course_file(SHIPPED_COURSES[name]).order]


@pytest.mark.parametrize("course_name, milestone_id", CASES)
def test_a_milestone_needs_exactly_its_required_modules(course_name: str, milestone_id: str, tmp_path: Path,
                                                        request: pytest.FixtureRequest,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if course_name == "tinytorch" and milestone_id in USES_SHIPPED_TESTS_WITH_CLASSIC_IMPORTS and not CONTRACT_LOOKUP:
        pytest.skip("the shipped learning tests find the current course's paths through services/verify/contract.py")
    course = load_course_file(SHIPPED_COURSES[course_name])
    package = REFERENCE if course_name == "tinytorch" else request.getfixturevalue("classic_package")
    project = tinytorch_project(tmp_path / "project", course=course_name)
    requires = course.definitions[milestone_id]["requires"]
    copied = partial_package(course, requires, package, project)
    env = {"TINYTORCH_HOME": str(tmp_path / "home")}
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)

    completed = run_cli("complete", *requires, cwd=project, env=env)
    assert completed.returncode == 0, completed.stderr
    assert milestone_id in [line for line in completed.stdout.splitlines() if line.startswith("Recorded ")][-1]
    verified = run_cli("run", milestone_id, cwd=project, env=env, timeout=600)
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr

    unused = {module for module, files in copied.items() if not any(was_imported(f) for f in files)}
    assert unused == KNOWN_UNUSED.get((course_name, milestone_id), set())
