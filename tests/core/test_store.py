"""The progress file: the original format, unreadable files kept, concurrent writers, killed writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tinytorch_milestones import MilestoneTracker, ProgressFileError, check_module_export

from .conftest import read_json, run_cli

ORIGINAL_FILE = {"completed_modules": ["00_setup", "01_tensor", "02_autograd"], "unlocked_milestones": ["perceptron"], "completed_milestones": []}


def test_a_file_written_by_the_original_tracker_loads_as_is(progress_file) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(json.dumps(ORIGINAL_FILE, indent=2))
    tracker = MilestoneTracker()
    assert tracker.can_run_milestone("perceptron")
    assert [row["status"] for row in tracker.status()["milestones"]][:2] == ["unlocked", "locked"]

    result = check_module_export("03_nn")

    assert result["newly_unlocked"] == ["xor"]
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["00_setup", "01_tensor", "02_autograd", "03_nn"]
    assert saved["unlocked_milestones"] == ["perceptron", "xor"]
    assert saved["completed_milestones"] == []
    assert saved["schema_version"] == 2


def test_unknown_keys_from_other_writers_survive_our_writes(progress_file) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(json.dumps({**ORIGINAL_FILE, "tito_settings": {"theme": "dark"}}))
    check_module_export("03_nn")
    assert read_json(progress_file)["tito_settings"] == {"theme": "dark"}


def test_no_temporary_files_are_left_beside_the_progress_file(progress_file) -> None:
    for module in ["00", "01", "02", "03"]:
        check_module_export(module)
    assert sorted(p.name for p in progress_file.parent.iterdir()) == ["progress.json", "progress.json.lock"]


@pytest.mark.parametrize("content, reason", [
    (b'{"completed_modules": ["00_setup", "01_ten', "invalid JSON at line 1"),
    (b"", "invalid JSON at line 1 column 1"),
    (b"\xff\xfe garbage", "not UTF-8 text at byte 0"),
    (b'["00_setup"]', "expected a JSON object, found list"),
    (b'{"completed_modules": "01_tensor"}', "'completed_modules' is not a list of names"),
    (b'{"completed_modules": [], "unlocked_milestones": [1]}', "'unlocked_milestones' is not a list of names"),
])
def test_an_unreadable_file_is_kept_reported_once_and_work_goes_on(progress_file, capsys, content: bytes, reason: str) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(content)

    MilestoneTracker().status()
    MilestoneTracker().status()
    result = check_module_export("01_tensor")

    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1
    backups = list(progress_file.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content
    assert reason in errors[0]
    assert str(backups[0]) in errors[0]
    assert result == {"newly_unlocked": [], "messages": []}
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]


def test_cli_on_a_truncated_file_says_one_line_and_exits_zero(progress_file) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text('{"completed_modules": ["00_se')
    done = run_cli("progress")
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "1957 - The Perceptron" in done.stdout
    assert progress_file.read_text() == '{"completed_modules": ["00_se'


def test_a_progress_path_that_is_a_folder_is_a_clear_error(progress_file) -> None:
    progress_file.mkdir(parents=True)
    with pytest.raises(ProgressFileError) as caught:
        check_module_export("01_tensor")
    assert str(caught.value).startswith(f"cannot read progress file {progress_file}: it is not a regular file")
    done = run_cli("complete", "01")
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"tinytorch-milestones: error: cannot read progress file {progress_file}: it is not a regular file")


def test_reset_keeps_the_old_progress_as_a_backup(progress_file) -> None:
    check_module_export("01_tensor")
    before = progress_file.read_bytes()
    backup = MilestoneTracker().reset()
    assert backup.read_bytes() == before
    assert read_json(progress_file)["completed_modules"] == []


WRITER = textwrap.dedent("""
    import sys
    from tinytorch_milestones import MILESTONES, MILESTONE_ORDER, MilestoneTracker, check_module_export
    kind, worker, workers, per_worker = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    modules = [f"{n}_m{n}" for n in range(20, 20 + workers * per_worker)]
    for w in range(workers):
        MILESTONES[f"many{w}"] = {"name": f"2030 - Many {w}", "requires": modules[w::workers], "test": "test_many",
                                  "description": "d", "unlock_message": "u"}
        MILESTONE_ORDER.append(f"many{w}")
    for n in range(RECORDERS):
        MILESTONES[f"att{n}"] = {"name": f"2031 - Attempts {n}", "requires": ["00_setup"], "test": "test_x",
                                 "description": "d", "unlock_message": "u"}
        MILESTONE_ORDER.append(f"att{n}")
    sys.stdin.readline()
    if kind == "export":
        for module in modules[worker::workers]:
            check_module_export(module)
    else:
        tracker = MilestoneTracker()
        for n in range(per_worker):
            tracker.record_verification(f"att{worker}", {"outcome": "failed", "metrics": {"n": n}})
""")
WRITERS, MODULES_PER_WRITER, RECORDERS, ATTEMPTS_PER_RECORDER = 8, 100, 4, 20


def test_concurrent_processes_lose_no_module_and_no_attempt(progress_file, tmp_path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER.replace("RECORDERS", str(RECORDERS)))
    jobs = [("export", w, WRITERS, MODULES_PER_WRITER) for w in range(WRITERS)]
    jobs += [("attempts", r, RECORDERS, ATTEMPTS_PER_RECORDER) for r in range(RECORDERS)]
    procs = [
        subprocess.Popen([sys.executable, str(script), *map(str, job)], stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for job in jobs
    ]
    time.sleep(1.0)
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    saved = read_json(progress_file)
    assert sorted(saved["completed_modules"]) == sorted(f"{n}_m{n}" for n in range(20, 20 + WRITERS * MODULES_PER_WRITER))
    for r in range(RECORDERS):
        assert [a["metrics"]["n"] for a in saved["verifications"][f"att{r}"]] == list(range(ATTEMPTS_PER_RECORDER))
    assert list(progress_file.parent.glob("progress.json.corrupt-*")) == []


KILLS = 100


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to kill writers at random moments cheaply")
def test_writers_killed_at_random_moments_lose_no_acknowledged_write(progress_file) -> None:
    """A forked writer appends to an unknown top-level key and acknowledges each write once `update`
    returned; it is SIGKILLed at a random moment. Every acknowledged write must be in the file."""
    import random

    from tinytorch_milestones.core.store import ProgressStore

    rng = random.Random(11)
    acknowledged: list[int] = []
    next_n = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                store = ProgressStore(progress_file, notify=lambda text: None)
                for n in range(next_n, next_n + 10_000):
                    store.update(lambda state, n=n: state.setdefault("acked", []).append([n, "x" * 2000]))
                    os.write(write_fd, b"%d\n" % n)
            finally:
                os._exit(0)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as acks:
            first = acks.readline()
            time.sleep(rng.uniform(0.0, 0.1))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            done = [int(line) for line in (first + acks.read()).split()]
        acknowledged += done
        next_n += 10_000
        if progress_file.exists():
            kept = {n for n, _ in read_json(progress_file).get("acked", [])}
            assert set(acknowledged) <= kept
    assert len(acknowledged) >= KILLS
    assert list(progress_file.parent.glob("progress.json.corrupt-*")) == []
    check_module_export("01_tensor")
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]
    assert sorted(p.name for p in progress_file.parent.iterdir()) == ["progress.json", "progress.json.lock"]


def test_resetting_twice_in_a_second_keeps_the_real_progress(progress_file) -> None:
    check_module_export("01_tensor")
    real = progress_file.read_bytes()
    first = MilestoneTracker().reset()
    second = MilestoneTracker().reset()
    assert first != second
    assert first.read_bytes() == real
    assert read_json(second)["completed_modules"] == []


def test_a_damaged_file_is_reported_by_every_new_process_until_rewritten(progress_file) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text('{"completed_modules": ["00_se')
    for _ in range(2):
        done = run_cli("status", "--json")
        assert done.returncode == 0
        assert len(done.stderr.strip().splitlines()) == 1
        assert "could not be read as progress (invalid JSON" in done.stderr
        assert "could not be read as progress" in json.loads(done.stdout)["progress_file_problem"]
    assert run_cli("complete", "01").returncode == 0
    done = run_cli("status", "--json")
    assert done.stderr == ""
    assert json.loads(done.stdout)["progress_file_problem"] is None
    assert len(list(progress_file.parent.glob("progress.json.corrupt-*"))) == 1


@pytest.mark.parametrize("side_field, value", [
    ("timestamps", {"modules": ["not", "a", "map"]}),
    ("timestamps", "yesterday"),
    ("verifications", {"perceptron": {"outcome": "passed"}}),
    ("verifications", {"perceptron": ["not an attempt"]}),
])
def test_a_bad_side_field_costs_only_itself(progress_file, capsys, side_field: str, value) -> None:
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text(json.dumps({**ORIGINAL_FILE, side_field: value}))

    status = MilestoneTracker().status()
    MilestoneTracker().record_verification("perceptron", {"outcome": "failed"})

    assert status["completed_modules"] == ORIGINAL_FILE["completed_modules"]
    assert status["milestones"][0]["status"] == "unlocked"
    reported = capsys.readouterr().err.strip().splitlines()
    assert len(reported) == 1
    assert f"'{side_field}" in reported[0] and reported[0] == status["progress_file_problem"]
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ORIGINAL_FILE["completed_modules"]
    assert [attempt["outcome"] for attempt in saved["verifications"]["perceptron"]] == ["failed"]


def test_a_relative_tinytorch_home_stays_put_after_a_chdir(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TINYTORCH_HOME", "relative-home")
    tracker = MilestoneTracker()
    monkeypatch.chdir(tmp_path.parent)
    tracker.mark_module_complete("01")
    assert read_json(tmp_path / "relative-home" / "progress.json")["completed_modules"] == ["01_tensor"]
