"""Choosing a course: the project's pyproject.toml or settings.ini, overridden by TINYTORCH_COURSE, then --course."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import one_line_error, run_cli, tinytorch_project
from .test_course_files import VALID


def course_of(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["course"]


def test_without_a_choice_the_course_is_classic(tmp_path: Path) -> None:
    assert course_of(run_cli("status", "--json", cwd=tmp_path)) == "classic"


def test_the_project_pyproject_chooses_the_course_from_any_folder_inside(tmp_path: Path) -> None:
    project = tinytorch_project(tmp_path / "project")
    inner = project / "modules" / "01_tensor"
    inner.mkdir(parents=True)
    assert course_of(run_cli("status", "--json", cwd=inner)) == "tinytorch"


def test_an_nbdev_settings_ini_chooses_the_course(tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text("[DEFAULT]\nlib_name = tinytorch\ncourse = tinytorch\n", encoding="utf-8")
    assert course_of(run_cli("status", "--json", cwd=tmp_path)) == "tinytorch"


def test_the_environment_overrides_the_project_and_the_option_overrides_both(tmp_path: Path) -> None:
    project = tinytorch_project(tmp_path)
    assert course_of(run_cli("status", "--json", cwd=project, env={"TINYTORCH_COURSE": "classic"})) == "classic"
    chosen = run_cli("--course", "tinytorch", "status", "--json", cwd=project, env={"TINYTORCH_COURSE": "classic"})
    assert course_of(chosen) == "tinytorch"
    assert course_of(run_cli("status", "--json", "--course", "tinytorch", cwd=tmp_path / "..")) == "tinytorch"


def test_ones_own_course_file_works_wherever_a_name_does(tmp_path: Path) -> None:
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "mine.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.tinytorch-milestones]\ncourse = "courses/mine.toml"\n', encoding="utf-8")
    inner = tmp_path / "notebooks"
    inner.mkdir()
    (inner / "pyproject.toml").touch()  # a nearer project without a setting: the default applies there
    assert course_of(run_cli("status", "--json", cwd=tmp_path)) == "mine"
    assert course_of(run_cli("status", "--json", cwd=inner)) == "classic"
    completed = run_cli("complete", "tensor", cwd=tmp_path)
    assert "unlocked: first" in completed.stdout
    assert course_of(run_cli("--course", str(tmp_path / "courses" / "mine.toml"), "status", "--json", cwd=inner)) == "mine"


@pytest.mark.parametrize("where", ["--course", "TINYTORCH_COURSE", "pyproject"])
def test_an_unknown_course_is_one_line_naming_the_valid_ones(where: str, tmp_path: Path) -> None:
    if where == "--course":
        result = run_cli("--course", "tinytorhc", "progress", cwd=tmp_path)
    elif where == "TINYTORCH_COURSE":
        result = run_cli("progress", cwd=tmp_path, env={"TINYTORCH_COURSE": "tinytorhc"})
    else:
        tinytorch_project(tmp_path, course="tinytorhc")
        result = run_cli("progress", cwd=tmp_path)
    line = one_line_error(result)
    assert "'tinytorhc'" in line and "classic, tinytorch" in line and "path to a course file" in line
    assert result.stdout == ""


def test_a_bad_course_never_breaks_importing_the_package(tmp_path: Path) -> None:
    """tito's "Fail gracefully" catches ImportError only: importing must work, the call says what is wrong."""
    code = ("import tinytorch_milestones as t\n"
            "try:\n    t.check_module_export('01')\nexcept t.MilestoneError as e:\n    print('refused:', e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "TINYTORCH_COURSE": "nope"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused: unknown course 'nope' (from TINYTORCH_COURSE)")


def test_a_bad_pyproject_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tinytorch-milestones]\ncourse = 3\n", encoding="utf-8")
    assert "'course' must be a course name or a path" in one_line_error(run_cli("progress", cwd=tmp_path))
