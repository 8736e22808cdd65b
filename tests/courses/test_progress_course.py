"""The progress file records its course and refuses, in one line, to mix courses."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import one_line_error, run_cli, tinytorch_project


def test_the_progress_file_records_its_course(tmp_path: Path, progress_file: Path) -> None:
    project = tinytorch_project(tmp_path)
    assert run_cli("complete", "1", cwd=project).returncode == 0
    state = json.loads(progress_file.read_text(encoding="utf-8"))
    assert state["course"] == "tinytorch" and state["completed_modules"] == ["01_tensor"]


def test_another_course_is_refused_and_the_file_is_untouched(tmp_path: Path, progress_file: Path) -> None:
    project = tinytorch_project(tmp_path / "current")
    assert run_cli("complete", "1", "2", cwd=project).returncode == 0
    before = progress_file.read_bytes()
    for args in (["complete", "1"], ["progress"], ["status", "--json"], ["list"], ["run", "perceptron"], ["info", "xor"]):
        line = one_line_error(run_cli(*args, cwd=tmp_path))
        assert "belongs to course 'tinytorch', but the active course is 'classic'" in line
    assert progress_file.read_bytes() == before


def test_a_file_of_the_original_tracker_is_the_classic_course(tmp_path: Path, progress_file: Path) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(json.dumps({"completed_modules": ["00_setup"], "unlocked_milestones": [],
                                         "completed_milestones": []}), encoding="utf-8")
    project = tinytorch_project(tmp_path / "current")
    assert "belongs to course 'classic'" in one_line_error(run_cli("complete", "1", cwd=project))
    assert run_cli("complete", "01_tensor", cwd=tmp_path).returncode == 0
    state = json.loads(progress_file.read_text(encoding="utf-8"))
    assert state["completed_modules"] == ["00_setup", "01_tensor"]
    assert state.get("course", "classic") == "classic"  # progress without a course is classic's; no key is forced in
    assert "belongs to course 'classic'" in one_line_error(run_cli("complete", "1", cwd=project))


def test_an_empty_file_is_anyones_and_reset_lets_a_project_change_course(tmp_path: Path, progress_file: Path) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text('{"completed_modules": [], "unlocked_milestones": [], "completed_milestones": []}',
                             encoding="utf-8")
    project = tinytorch_project(tmp_path / "current")
    assert run_cli("complete", "1", cwd=project).returncode == 0
    assert run_cli("reset", "--yes", cwd=tmp_path).returncode == 0
    assert run_cli("complete", "setup", cwd=tmp_path).returncode == 0
    assert json.loads(progress_file.read_text(encoding="utf-8"))["course"] == "classic"
