"""`tinytorch-milestones class`: the fake class's progress files as a table, CSV and JSON, read-only."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from zc.lockfile import LockFile

from tinytorch_milestones.core.registry import milestone_ids
from tinytorch_milestones.services.classroom.class_view import class_rows
from tinytorch_milestones.services.classroom.roster import student_name

from .conftest import run_cli
from .fake_class import DAMAGED_FILES, Student

WITH_PROGRESS = 48  # the fake class minus its two students without a progress file
EXPECTED_COMPLETED = {"perceptron": 41, "xor": 23, "mlp_digits": 23, "cnn": 23, "transformer": 23}


def _root(fake_class: list[Student]) -> Path:
    return fake_class[0].folder.parent


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file()}


def _class_json(fake_class: list[Student]) -> list[dict]:
    done = run_cli("class", str(_root(fake_class)), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_has_one_row_per_progress_file_with_states(fake_class: list[Student]) -> None:
    rows = {row["student"]: row for row in _class_json(fake_class)}
    assert len(rows) == WITH_PROGRESS
    assert set(rows["complete00"]) >= {"student", "path", "problem", "completed_modules", "milestones"}
    assert rows["complete00"]["path"].endswith("complete00/.tinytorch/progress.json")
    assert rows["complete01"]["path"].endswith("complete01/progress.json")
    assert rows["complete00"]["milestones"] == {milestone: "completed" for milestone in milestone_ids()}
    assert rows["complete00"]["problem"] is None
    assert rows["partial03"]["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert rows["partial03"]["milestones"]["perceptron"] == "completed"
    assert rows["partial03"]["milestones"]["xor"] == "locked"
    assert rows["partial03"]["when"]["perceptron"] == "2026-12-01T09:30:00+00:00"
    assert rows["partial03"]["last_verification"] == {"milestone": "perceptron", "outcome": "passed",
                                                      "at": "2026-12-01T09:30:00+00:00"}
    assert "silent00" not in rows


def test_damaged_and_foreign_files_are_rows_with_a_one_line_problem(fake_class: list[Student]) -> None:
    rows = {row["student"]: row for row in _class_json(fake_class)}
    problems = {label: rows[f"damaged_{label}"]["problem"] for label in DAMAGED_FILES}
    assert all(problem and "\n" not in problem for problem in problems.values()), problems
    assert problems["truncated"].startswith("damaged: not JSON progress")
    assert problems["not_utf8"].startswith("damaged: not UTF-8 text at byte 24")
    assert problems["a_list"] == "not a progress file: a JSON list, not an object"
    assert problems["null"] == "not a progress file: a JSON null, not an object"
    assert problems["foreign"].startswith("not a progress file: none of the keys")
    assert problems["bad_field"].startswith("damaged: some fields could not be read")
    assert rows["damaged_bad_field"]["milestones"]["perceptron"] == "completed"  # the readable field is kept
    assert rows["damaged_truncated"]["milestones"] == {milestone: "locked" for milestone in milestone_ids()}


def test_csv_says_what_json_says(fake_class: list[Student]) -> None:
    done = run_cli("class", str(_root(fake_class)), "--csv")
    assert done.returncode == 0, done.stderr
    records = list(csv.DictReader(io.StringIO(done.stdout)))
    by_json = {row["student"]: row for row in _class_json(fake_class)}
    assert [record["student"] for record in records] == list(by_json)
    for record in records:
        row = by_json[record["student"]]
        assert record["problem"] == (row["problem"] or "")
        assert record["completed_modules"].split() == row["completed_modules"]
        assert {milestone: record[milestone] for milestone in milestone_ids()} == row["milestones"]
        assert record["perceptron_at"] == (row["when"]["perceptron"] or "")


def test_the_table_shows_each_student_and_the_totals_per_milestone(fake_class: list[Student]) -> None:
    done = subprocess.run([sys.executable, "-m", "tinytorch_milestones", "class", str(_root(fake_class))],
                          env={**os.environ, "COLUMNS": "260"}, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    table = done.stdout
    assert "Class progress (48 students)" in table
    assert "complete00" in table and "damaged_a_list" in table
    assert "not a progress file: a JSON list, not an object" in table
    totals_line = next(line for line in table.splitlines() if line.strip("│ ").startswith("Completed"))
    cells = [cell.strip() for cell in totals_line.split("│") if cell.strip()]
    assert cells[1:6] == [f"{EXPECTED_COMPLETED[milestone]}/48" for milestone in milestone_ids()]


def test_reading_the_class_writes_nothing_and_takes_no_lock(fake_class: list[Student], tmp_path: Path) -> None:
    root = _root(fake_class)
    held = fake_class[0].progress_file
    before = _tree(root)
    lock = LockFile(str(held) + ".lock")
    try:
        for form in ([], ["--csv"], ["--json"]):
            done = run_cli("class", str(root), *form, timeout=25)
            assert done.returncode == 0, done.stderr
    finally:
        lock.close()
    Path(str(held) + ".lock").unlink(missing_ok=True)
    assert _tree(root) == before
    assert not list(Path(os.environ["TINYTORCH_HOME"]).parent.glob("**/progress.json.corrupt-*"))


def test_globs_and_home_folders_name_students_from_their_paths(tmp_path: Path, fake_class: list[Student]) -> None:
    homes = tmp_path / "home"
    for name, source in (("alice", fake_class[0]), ("bob", fake_class[1])):
        (homes / name / ".tinytorch").mkdir(parents=True)
        shutil.copy(source.progress_file, homes / name / ".tinytorch" / "progress.json")
    rows = class_rows([str(homes / "*" / ".tinytorch" / "progress.json")])
    assert [row.student for row in rows] == ["alice", "bob"]
    assert student_name(Path("/exports/carol.json")) == "carol"
    same = class_rows([str(homes), str(homes / "alice" / ".tinytorch" / "progress.json")])
    assert [row.student for row in same] == ["alice", "bob"]


@pytest.mark.parametrize("argument, fragment", [
    ("{tmp}/nobody-here", "no such file, folder or match: {tmp}/nobody-here"),
    ("{tmp}/*/progress.json", "no such file, folder or match: {tmp}/*/progress.json"),
    ("{tmp}", "no progress file in {tmp}"),
])
def test_a_bad_path_is_one_line_and_exit_2(tmp_path: Path, argument: str, fragment: str) -> None:
    done = run_cli("class", argument.format(tmp=tmp_path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert fragment.format(tmp=tmp_path) in done.stderr


def test_csv_and_json_together_are_refused(fake_class: list[Student]) -> None:
    done = run_cli("class", str(_root(fake_class)), "--csv", "--json")
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_a_row(tmp_path: Path) -> None:
    file = tmp_path / "erin" / "progress.json"
    file.parent.mkdir()
    file.write_text("{}")
    file.chmod(0)
    rows = class_rows([str(file)])
    assert rows[0].problem == "cannot read: Permission denied"


def test_hostile_files_are_rows_and_never_block(tmp_path: Path) -> None:
    homes = tmp_path / "home"
    for name in ("fifo", "zero", "deep", "huge", "[bold]markup"):
        (homes / name / ".tinytorch").mkdir(parents=True)
    os.mkfifo(homes / "fifo" / ".tinytorch" / "progress.json")
    (homes / "zero" / ".tinytorch" / "progress.json").symlink_to("/dev/zero")
    (homes / "deep" / ".tinytorch" / "progress.json").write_text("[" * 200_000)
    (homes / "huge" / ".tinytorch" / "progress.json").write_bytes(b" " * (17 * 1024 * 1024))
    (homes / "[bold]markup" / ".tinytorch" / "progress.json").write_text('{"completed_modules": []}')
    done = subprocess.run([sys.executable, "-m", "tinytorch_milestones", "class", str(homes)], timeout=60,
                          env={**os.environ, "COLUMNS": "200"}, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "[bold]markup" in done.stdout  # shown as typed, not taken as rich markup
    rows = {row["student"]: row["problem"] for row in json.loads(
        run_cli("class", str(homes / "*" / ".tinytorch" / "progress.json"), "--json", timeout=60).stdout)}
    assert rows == {
        "[bold]markup": None,
        "deep": "damaged: not JSON progress (nested too deeply); what could not be read counts as not done",
        "fifo": "cannot read: not a regular file",
        "huge": "not a progress file: larger than 16 MB",
        "zero": "cannot read: not a regular file",
    }


def test_a_file_saved_with_a_byte_order_mark_reads_as_the_core_reads_it(tmp_path: Path) -> None:
    file = tmp_path / "frank" / "progress.json"
    file.parent.mkdir()
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps({"completed_modules": ["00_setup", "01_tensor"]}).encode())

    [row] = class_rows([str(file)])

    assert row.problem is None
    assert row.completed_modules == ["00_setup", "01_tensor"]
