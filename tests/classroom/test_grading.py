"""`tinytorch-milestones grade`: the fake class re-verified (perceptron) in isolated processes, claimed vs verified.

One grading run of all 50 submissions (module-scoped) backs most tests; re-runs come from its cache.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinytorch_milestones.services.classroom import messages

from .conftest import run_cli
from .fake_class import Student

TIMEOUT_S = "25"
MEMORY_MB = "1024"


def _root(fake_class: list[Student]) -> Path:
    return fake_class[0].folder.parent


def _processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is inside `folder` (what a verification leaves behind)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cwd = Path(os.readlink(entry / "cwd"))
            except OSError:
                continue
            if cwd == folder or folder in cwd.parents:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def graded(fake_class: list[Student], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The whole class graded once through the CLI: --jobs 2, perceptron only, 25 s and 1 GiB per cell."""
    cache = tmp_path_factory.mktemp("grading") / "cache.json"
    done = run_cli("grade", f"{_root(fake_class)}/*", "--milestone", "perceptron", "--jobs", "2",
                   "--timeout", TIMEOUT_S, "--memory-mb", MEMORY_MB, "--cache", str(cache), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row["student"]: row for row in json.loads(done.stdout)}
    return {"rows": rows, "cache": cache, "stderr": done.stderr}


def _cell(graded: dict, student: str) -> dict:
    return graded["rows"][student]["milestones"]["perceptron"]


def test_every_submission_is_one_json_object_with_claimed_and_verified(graded: dict, fake_class: list[Student]) -> None:
    assert list(graded["rows"]) == sorted(student.name for student in fake_class)
    for student in fake_class:
        row = graded["rows"][student.name]
        assert row["path"] == str(student.folder)
        assert set(row["milestones"]) == {"perceptron"}
        assert set(row["milestones"]["perceptron"]) == {"claimed", "verified", "reason"}


def test_honest_students_verify_and_claims_are_read_from_either_progress_file(graded: dict, fake_class: list[Student]) -> None:
    for student in fake_class:
        if student.kind in ("complete", "partial", "no_progress"):
            assert _cell(graded, student.name) == {"claimed": student.kind != "no_progress", "verified": True,
                                                   "reason": None}, student.name


def test_hand_edited_claims_with_broken_code_are_claimed_but_not_verified(graded: dict) -> None:
    for index in range(8):
        cell = _cell(graded, f"cheater{index:02d}")
        assert cell["claimed"] is True and cell["verified"] is False
        assert cell["reason"].startswith("failed: SGD: step() moved parameter 1 off -lr * grad")
        assert "\n" not in cell["reason"]


def test_damaged_progress_files_claim_only_what_can_be_read_and_are_still_verified(graded: dict) -> None:
    assert _cell(graded, "damaged_truncated") == {"claimed": False, "verified": True, "reason": None}
    assert _cell(graded, "damaged_a_list") == {"claimed": False, "verified": True, "reason": None}
    assert _cell(graded, "damaged_bad_field") == {"claimed": True, "verified": True, "reason": None}
    assert graded["rows"]["damaged_a_list"]["problem"] == "not a progress file: a JSON list, not an object"


def test_a_submission_without_a_package_fails_without_running(graded: dict) -> None:
    assert _cell(graded, "nopackage") == {"claimed": True, "verified": False, "reason": messages.NO_PACKAGE}


def test_a_hang_a_fork_bomb_a_crash_and_a_memory_hog_cost_only_their_own_cell(graded: dict, fake_class: list[Student]) -> None:
    assert _cell(graded, "misbehaves_hang")["reason"].startswith("timeout: ")
    assert _cell(graded, "misbehaves_fork")["reason"].startswith("timeout: ")
    assert _cell(graded, "misbehaves_crash")["reason"].startswith("error: ")
    hog = _cell(graded, "misbehaves_hog")
    assert hog["verified"] is False and "Unable to allocate 4.00 GiB" in hog["reason"]
    assert _cell(graded, "misbehaves_print50mb") == {"claimed": True, "verified": True, "reason": None}
    assert _processes_in(_root(fake_class)) == []


def test_the_table_and_csv_say_the_same_from_the_cache(graded: dict, fake_class: list[Student]) -> None:
    args = ["grade", f"{_root(fake_class)}/*", "--milestone", "perceptron", "--timeout", TIMEOUT_S,
            "--memory-mb", MEMORY_MB, "--cache", str(graded["cache"])]
    table = subprocess.run([sys.executable, "-m", "tinytorch_milestones", *args], env={**os.environ, "COLUMNS": "250"},
                           capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert table.returncode == 0, table.stderr
    assert "50 milestone checks: 0 run, 49 from cache; 13 not verified; 13 claimed but not verified" in table.stdout
    cheater_line = next(line for line in table.stdout.splitlines() if "cheater03" in line)
    assert "claimed, ✘ failed" in cheater_line and "perceptron: failed: SGD: step() moved parameter 1 off -lr * grad" in cheater_line
    done = run_cli(*args, "--csv")
    assert done.returncode == 0, done.stderr
    import csv
    import io

    records = {record["student"]: record for record in csv.DictReader(io.StringIO(done.stdout))}
    for name, row in graded["rows"].items():
        cell = row["milestones"]["perceptron"]
        assert records[name]["perceptron_claimed"] == str(cell["claimed"]).lower()
        assert records[name]["perceptron_verified"] == str(cell["verified"]).lower()
        assert records[name]["perceptron_reason"] == (cell["reason"] or "")
    again = run_cli(*args, "--json")
    assert {row["student"]: row for row in json.loads(again.stdout)} == graded["rows"]


def test_a_changed_package_is_graded_again_and_the_rest_comes_from_the_cache(tmp_path: Path, reference_package: Path) -> None:
    for name in ("ann", "ben"):
        shutil.copytree(reference_package, tmp_path / "subs" / name / "tinytorch")
    args = ["grade", str(tmp_path / "subs" / "ann"), str(tmp_path / "subs" / "ben"), "--milestone", "perceptron"]
    first = run_cli(*args)
    assert "2 milestone checks: 2 run, 0 from cache" in first.stdout, first.stderr
    assert (tmp_path / "subs" / ".tinytorch-grading-cache.json").is_file()
    with (tmp_path / "subs" / "ben" / "tinytorch" / "core" / "autograd.py").open("a") as stream:
        stream.write("\n# ben changed something\n")
    second = run_cli(*args)
    assert "2 milestone checks: 1 run, 1 from cache" in second.stdout, second.stderr


@pytest.mark.parametrize("extra, fragment", [
    (["--jobs", "0"], "--jobs must be a whole number of at least 1, not 0"),
    (["--executor", "http://127.0.0.1:8786"], "unknown executor 'http://127.0.0.1:8786': use dask://HOST:PORT"),
    (["--milestone", "perceptorn"], "unknown milestone perceptorn; valid milestones are: perceptron, xor"),
    (["--timeout", "-1"], "-1"),
    (["--memory-mb", "1"], "the memory limit (--memory-mb) must be a whole number from 64 to 16777216 MB, not 1 MB"),
    (["--memory-mb", "99999999999999"], "the memory limit (--memory-mb) must be a whole number from 64 to 16777216 MB"),
    (["--timeout", "1e308"], "the timeout (--timeout) must be at most 604800 seconds, not 1e+308"),
    (["--cache", "{student}/cache.json"], "would be inside the submission"),
])
def test_bad_grading_options_are_one_line_and_exit_2(fake_class: list[Student], extra: list[str], fragment: str) -> None:
    student = fake_class[0].folder
    before = sorted(path.name for path in student.iterdir())
    done = run_cli("grade", str(student), *[value.format(student=student) for value in extra])
    assert done.returncode == 2, done.stdout
    assert done.stderr.strip().count("\n") == 0 and fragment in done.stderr
    assert sorted(path.name for path in student.iterdir()) == before


@pytest.fixture
def dask_scheduler() -> Iterator[str]:
    """A Dask cluster of this test's own on the loopback interface: one worker process, two threads."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_grades_the_same_as_the_local_pool(graded: dict, fake_class: list[Student], dask_scheduler: str,
                                                 tmp_path: Path) -> None:
    chosen = ["complete00", "partial01", "cheater00", "damaged_truncated", "misbehaves_crash", "nopackage"]
    folders = [str(_root(fake_class) / name) for name in chosen]
    url = dask_scheduler.replace("tcp://", "dask://")
    done = run_cli("grade", *folders, "--executor", url, "--milestone", "perceptron", "--timeout", TIMEOUT_S,
                   "--memory-mb", MEMORY_MB, "--cache", str(tmp_path / "dask-cache.json"), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row["student"]: row for row in json.loads(done.stdout)}
    assert rows == {name: graded["rows"][name] for name in chosen}
    assert len(json.loads((tmp_path / "dask-cache.json").read_text())["cells"]) == 3


def test_ctrl_c_stops_cleanly_and_keeps_what_finished(tmp_path: Path, reference_package: Path) -> None:
    from .fake_class import SABOTAGE

    root = tmp_path / "subs"
    for name in ("quick", "stuck1", "stuck2"):
        shutil.copytree(reference_package, root / name / "tinytorch")
        if name.startswith("stuck"):  # stuck2 also ignores the polite SIGTERM: only SIGKILL ends it
            with (root / name / "tinytorch" / "core" / "autograd.py").open("a") as stream:
                stream.write(SABOTAGE["hang" if name == "stuck1" else "hang_ignoring_term"])
    cache = tmp_path / "cache.json"
    process = subprocess.Popen([sys.executable, "-m", "tinytorch_milestones", "grade", str(root / "quick"),
                                str(root / "stuck1"), str(root / "stuck2"), "--jobs", "2", "--milestone", "perceptron",
                                "--timeout", "300", "--cache", str(cache), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    deadline = time.monotonic() + 120
    while not cache.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert cache.exists(), "the quick submission never finished"
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr[-2000:]
    assert messages.GRADING_INTERRUPTED in stderr
    assert "Traceback" not in stderr
    rows = {row["student"]: row["milestones"]["perceptron"] for row in json.loads(stdout)}
    assert rows["quick"] == {"claimed": False, "verified": True, "reason": None}
    assert rows["stuck1"] == rows["stuck2"] == {"claimed": False, "verified": None, "reason": messages.NOT_RUN_INTERRUPTED}
    assert len(json.loads(cache.read_text())["cells"]) == 1
    time.sleep(0.5)
    assert _processes_in(root) == []
