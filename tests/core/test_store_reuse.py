"""What the speed-ups must never change: a reused read is the file's current content, and importing
the package parses no course file yet still gives the course's `MILESTONES`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tinytorch_milestones import MilestoneTracker, check_module_export

from .conftest import read_json


def test_changing_a_loaded_state_never_changes_the_next_load(progress_file) -> None:
    check_module_export("00_setup")
    first = MilestoneTracker().progress
    first["completed_modules"].append("01_tensor")
    first["timestamps"]["modules"]["01_tensor"] = "later"

    again = MilestoneTracker().progress

    assert again["completed_modules"] == ["00_setup"]
    assert "01_tensor" not in again["timestamps"]["modules"]


def test_a_file_rewritten_in_place_with_other_bytes_of_the_same_size_is_read_anew(progress_file) -> None:
    progress_file.parent.mkdir(parents=True)
    before = json.dumps({"completed_modules": ["00_setup"], "unlocked_milestones": [], "completed_milestones": []})
    after = before.replace("00_setup", "99_other")
    assert len(after) == len(before)
    progress_file.write_text(before)
    assert MilestoneTracker().progress["completed_modules"] == ["00_setup"]
    with open(progress_file, "r+", encoding="utf-8") as stream:  # in place, as the original tracker writes
        stream.write(after)

    assert MilestoneTracker().progress["completed_modules"] == ["99_other"]


def test_a_repeated_export_after_a_write_changes_nothing_on_disk(progress_file) -> None:
    check_module_export("00_setup")
    written = progress_file.read_bytes()
    stamp = os.stat(progress_file).st_mtime_ns

    result = check_module_export("00_setup")

    assert result == {"newly_unlocked": [], "messages": []}
    assert progress_file.read_bytes() == written
    assert os.stat(progress_file).st_mtime_ns == stamp


def test_another_process_writing_between_two_calls_is_seen(progress_file) -> None:
    check_module_export("00_setup")
    subprocess.run([sys.executable, "-c", "from tinytorch_milestones import check_module_export; "
                    "check_module_export('01_tensor')"], check=True, timeout=60)

    result = check_module_export("02_autograd")

    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert result["newly_unlocked"] == ["perceptron"]


def test_import_parses_no_course_file_and_milestones_are_there_on_first_use(tmp_path) -> None:
    code = ("import sys, tinytorch_milestones as t; parsed = 'tomllib' in sys.modules; "
            "from milestone_tracker import MILESTONES, MILESTONE_ORDER; import json; "
            "print(json.dumps([parsed, MILESTONE_ORDER, MILESTONES is t.MILESTONES]))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                           check=True, timeout=60)

    parsed, order, same = json.loads(found.stdout)
    assert not parsed
    assert order == ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]
    assert same


def test_a_bad_course_named_before_import_is_one_line_at_first_use(tmp_path) -> None:
    env = {**os.environ, "TINYTORCH_COURSE": "no-such-course"}
    found = subprocess.run([sys.executable, "-m", "tinytorch_milestones", "progress"], capture_output=True,
                           text=True, cwd=tmp_path, env=env, timeout=60)

    assert found.returncode == 2
    assert "no-such-course" in found.stderr and len(found.stderr.strip().splitlines()) == 1
    assert "Traceback" not in found.stderr


def test_the_verify_plugin_imports_no_numpy() -> None:
    code = "import sys, tinytorch_milestones.services.verify.plugin; print('numpy' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)

    assert found.stdout.strip() == "False"
