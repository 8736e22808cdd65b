"""`import-tito`: tito's three files merged into the progress file; a dry run first, nothing lost or
duplicated, tito's files untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ..courses.conftest import one_line_error, run_cli

TITO_PROGRESS = {"started_modules": ["01", "02", "07"], "completed_modules": ["01", "02", "03", "04", "05", "06"],
                 "last_worked": "07", "last_completed": "06", "last_updated": "2025-11-02T09:00:00"}
TITO_MILESTONES = {"completed_milestones": ["01"], "completion_dates": {"01": "2025-11-01T10:00:00"},
                   "unlocked_milestones": ["01", "02"], "unlock_dates": {"01": "2025-10-31T08:00:00"},
                   "total_unlocked": 2, "achievements": ["first_light"]}
TITO_TEST_PROGRESS = {"completed_modules": ["08", "99"]}


@pytest.fixture
def tito_project(tmp_path: Path) -> Path:
    """A tito project (no course setting: import-tito takes tito's course) with its three files."""
    project = tmp_path / "TinyTorch"
    (project / ".tito").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "tinytorch"\n', encoding="utf-8")
    (project / "progress.json").write_text(json.dumps(TITO_PROGRESS), encoding="utf-8")
    (project / ".tito" / "milestones.json").write_text(json.dumps(TITO_MILESTONES), encoding="utf-8")
    (project / ".tito" / "progress.json").write_text(json.dumps(TITO_TEST_PROGRESS), encoding="utf-8")
    return project


def _digests(project: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(project.rglob("*")) if p.is_file()}


def test_a_dry_run_says_what_it_would_merge_and_writes_nothing(tito_project: Path, progress_file: Path) -> None:
    before = _digests(tito_project)
    result = run_cli("import-tito", str(tito_project), cwd=tito_project.parent)
    assert result.returncode == 0, result.stderr
    assert ("Would add completed modules: 01_tensor, 02_activations, 03_layers, 04_losses, 05_autograd, "
            "06_optimizers, 08_dataloader") in result.stdout
    assert "Would add completed milestones: 01" in result.stdout
    assert "skipped '99' in progress.json (completed_modules): unknown module '99'" in result.stdout
    assert "Dry run: nothing was written" in result.stdout
    assert not progress_file.exists()
    assert _digests(tito_project) == before


def test_apply_merges_keeps_what_was_there_and_twice_changes_nothing(tito_project: Path, progress_file: Path) -> None:
    before = _digests(tito_project)
    assert run_cli("--course", "tinytorch", "complete", "09", cwd=tito_project).returncode == 0
    applied = run_cli("import-tito", "--apply", cwd=tito_project)
    assert applied.returncode == 0, applied.stderr
    assert "Merged into the progress file" in applied.stdout
    state = json.loads(progress_file.read_text(encoding="utf-8"))
    assert state["course"] == "tinytorch"
    assert state["completed_modules"] == ["09_spatial", "01_tensor", "02_activations", "03_layers", "04_losses",
                                          "05_autograd", "06_optimizers", "08_dataloader"]
    assert state["unlocked_milestones"] == ["01", "02", "03", "04"]
    assert state["completed_milestones"] == ["01"]
    assert state["timestamps"]["completed"]["01"] == "2025-11-01T10:00:00"
    assert state["timestamps"]["unlocked"]["01"] == "2025-10-31T08:00:00"

    written = progress_file.read_bytes()
    again = run_cli("import-tito", str(tito_project), "--apply", cwd=tito_project.parent)
    assert again.returncode == 0 and "Nothing to merge" in again.stdout
    assert progress_file.read_bytes() == written
    assert _digests(tito_project) == before


def test_without_tito_files_it_says_so_in_one_line(tmp_path: Path) -> None:
    line = one_line_error(run_cli("import-tito", str(tmp_path), cwd=tmp_path))
    assert "no tito progress files in" in line and ".tito/milestones.json" in line


def test_a_damaged_tito_file_is_skipped_and_the_others_merge(tito_project: Path, progress_file: Path) -> None:
    (tito_project / ".tito" / "milestones.json").write_text("{not json", encoding="utf-8")
    result = run_cli("import-tito", "--apply", cwd=tito_project)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout and "milestones.json" in result.stdout
    assert json.loads(progress_file.read_text(encoding="utf-8"))["completed_milestones"] == []
