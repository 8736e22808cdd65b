"""API.md's public functions, as tito and the notebook call them, against a real progress file."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

import milestone_tracker
import tinytorch_milestones
from tinytorch_milestones import MILESTONE_ORDER, MILESTONES, MilestoneTracker, check_module_export, list_tests, show_progress

from .conftest import ALL_MODULES, read_json


def recording_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=100, color_system=None), buffer


def test_api_example_unlocks_perceptron_after_autograd(progress_file) -> None:
    check_module_export("00_setup")
    check_module_export("01_tensor")
    console, printed = recording_console()

    result = check_module_export("02_autograd", console=console)

    assert result["newly_unlocked"] == ["perceptron"]
    assert len(result["messages"]) == 1
    assert result["messages"][0].startswith(
        "🔓 MILESTONE UNLOCKED!\n\n1957 - The Perceptron\nFirst learning algorithm with automatic weight updates\n\n"
        "🎉 You can now verify that gradient descent actually works!\n\n"
    )
    assert "tinytorch-milestones run perceptron" in result["messages"][0]
    assert "MILESTONE UNLOCKED!" in printed.getvalue()
    assert "%milestones run perceptron" in printed.getvalue()
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert saved["unlocked_milestones"] == ["perceptron"]
    assert saved["completed_milestones"] == []


def test_without_a_console_nothing_is_printed(capsys) -> None:
    for module in ["00_setup", "01_tensor", "02_autograd"]:
        result = check_module_export(module)
    assert result["newly_unlocked"] == ["perceptron"]
    assert capsys.readouterr() == ("", "")


def test_unlocks_follow_milestone_order_when_several_open_at_once(progress_file) -> None:
    for module in ALL_MODULES[:-1]:
        check_module_export(module)
    result = check_module_export("12_attention")
    assert result["newly_unlocked"] == ["transformer"]
    assert read_json(progress_file)["unlocked_milestones"] == ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]


def test_exporting_out_of_order_unlocks_everything_met_in_order() -> None:
    for module in ["03_nn", "04_training", "07_spatial", "02_autograd", "01_tensor"]:
        assert check_module_export(module)["newly_unlocked"] == []
    result = check_module_export("00_setup")
    assert result["newly_unlocked"] == ["perceptron", "xor", "mlp_digits", "cnn"]
    assert [m.splitlines()[2] for m in result["messages"]] == [
        "1957 - The Perceptron", "1986 - Backpropagation (XOR)", "1989 - MLP on Real Data", "1998 - Convolutional Networks",
    ]


def test_a_second_export_unlocks_nothing_new_and_changes_nothing(progress_file) -> None:
    for module in ["00_setup", "01_tensor", "02_autograd"]:
        check_module_export(module)
    before = progress_file.read_bytes()
    assert check_module_export("02_autograd") == {"newly_unlocked": [], "messages": []}
    assert check_module_export("autograd") == {"newly_unlocked": [], "messages": []}
    assert progress_file.read_bytes() == before


def test_short_forms_record_the_full_name(progress_file) -> None:
    check_module_export("1")
    check_module_export("tensor")
    check_module_export("Autograd")
    assert read_json(progress_file)["completed_modules"] == ["01_tensor", "02_autograd"]


def test_tracker_methods(progress_file) -> None:
    tracker = MilestoneTracker()
    assert tracker.progress_file == progress_file
    assert not tracker.can_run_milestone("perceptron")
    assert tracker.missing_modules("perceptron") == ["00_setup", "01_tensor", "02_autograd"]
    tracker.mark_module_complete("00_setup")
    tracker.mark_module_complete("01_tensor")
    result = tracker.mark_module_complete("02_autograd")
    assert result["newly_unlocked"] == ["perceptron"]
    assert tracker.can_run_milestone("perceptron")
    assert tracker.missing_modules("xor") == ["03_nn"]

    assert tracker.mark_milestone_complete("perceptron") is True
    assert tracker.mark_milestone_complete("perceptron") is False
    saved = read_json(progress_file)
    assert saved["completed_milestones"] == ["perceptron"]
    assert set(saved["timestamps"]["modules"]) == {"00_setup", "01_tensor", "02_autograd"}
    assert set(saved["timestamps"]["unlocked"]) == {"perceptron"}
    assert set(saved["timestamps"]["completed"]) == {"perceptron"}
    assert saved["schema_version"] == 2


def test_completion_panel_printed_with_console() -> None:
    console, printed = recording_console()
    MilestoneTracker().mark_milestone_complete("xor", console=console)
    assert "MILESTONE COMPLETED!" in printed.getvalue()
    assert "1986 - Backpropagation (XOR)" in printed.getvalue()


def test_verification_attempts_are_recorded_and_bounded(progress_file) -> None:
    tracker = MilestoneTracker()
    for attempt in range(25):
        tracker.record_verification("perceptron", {"outcome": "failed", "duration_s": 0.1, "metrics": {"run": attempt}})
    attempts = read_json(progress_file)["verifications"]["perceptron"]
    assert len(attempts) == 20
    assert attempts[-1]["metrics"] == {"run": 24}
    assert attempts[-1]["outcome"] == "failed"
    assert "time" in attempts[-1]
    assert tracker.status()["milestones"][0]["last_verification"]["metrics"] == {"run": 24}


def test_explicit_progress_file_is_used(tmp_path, progress_file) -> None:
    elsewhere = tmp_path / "deep" / "folder" / "progress.json"
    check_module_export("01_tensor", progress_file=elsewhere)
    assert read_json(elsewhere)["completed_modules"] == ["01_tensor"]
    assert not progress_file.exists()


def test_tinytorch_home_moves_the_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TINYTORCH_HOME", str(tmp_path / "custom"))
    check_module_export("01")
    assert read_json(tmp_path / "custom" / "progress.json")["completed_modules"] == ["01_tensor"]


def test_default_folder_is_dot_tinytorch_in_home(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TINYTORCH_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert MilestoneTracker().progress_file == tmp_path / ".tinytorch" / "progress.json"


def test_show_progress_prints_the_documented_table(capsys) -> None:
    for module in ["00_setup", "01_tensor", "02_autograd"]:
        check_module_export(module)
    show_progress()
    out = capsys.readouterr().out
    assert "🎯 TinyTorch Milestone Progress" in out
    assert "│ 1957 - The Perceptron          │ 🔓 Unlocked │ 3/3 modules  │" in out
    assert "│ 1986 - Backpropagation (XOR)   │  🔒 Locked  │ 3/4 modules  │" in out
    assert "Next: verify 1957 - The Perceptron" in out


def test_list_tests_shows_only_unlocked_unfinished(capsys) -> None:
    list_tests()
    assert "No milestones unlocked yet. Complete more modules!" in capsys.readouterr().out
    for module in ["00_setup", "01_tensor", "02_autograd", "03_nn"]:
        check_module_export(module)
    MilestoneTracker().mark_milestone_complete("perceptron")
    list_tests()
    out = capsys.readouterr().out
    assert "1986 - Backpropagation (XOR)" in out
    assert "tinytorch-milestones run xor" in out
    assert "Perceptron" not in out


def test_status_next_step_names_what_the_nearest_milestone_needs() -> None:
    check_module_export("01_tensor")
    status = MilestoneTracker().status()
    assert status["next"] == {
        "id": "perceptron", "status": "locked", "missing": ["00_setup", "02_autograd"],
        "text": "Next: 1957 - The Perceptron needs 00_setup, 02_autograd.",
    }
    assert [row["status"] for row in status["milestones"]] == ["locked"] * 5


@pytest.mark.usefixtures("recipe")
def test_adding_a_milestone_by_the_recipe_works_at_run_time(progress_file) -> None:
    MILESTONES["new_milestone"] = {
        "name": "2025 - New Breakthrough",
        "requires": ["00_setup", "01_tensor", "15_new_module"],
        "test": "test_new_milestone_learning",
        "description": "Description of the breakthrough",
        "unlock_message": "🎉 You can now...",
    }
    MILESTONE_ORDER.append("new_milestone")

    check_module_export("00_setup")
    check_module_export("01_tensor")
    result = check_module_export("15")

    assert result["newly_unlocked"] == ["new_milestone"]
    assert result["messages"][0].startswith("🔓 MILESTONE UNLOCKED!\n\n2025 - New Breakthrough\n")
    assert MilestoneTracker().can_run_milestone("new_milestone")
    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "15_new_module"]
    assert milestone_tracker.MILESTONES["new_milestone"]["name"] == "2025 - New Breakthrough"
    assert milestone_tracker.MILESTONE_ORDER[-1] == "new_milestone"


def test_shim_and_package_share_one_registry_and_api() -> None:
    assert milestone_tracker.MILESTONES is tinytorch_milestones.MILESTONES
    assert milestone_tracker.MILESTONE_ORDER is tinytorch_milestones.MILESTONE_ORDER
    assert milestone_tracker.check_module_export is tinytorch_milestones.check_module_export
    assert milestone_tracker.MilestoneTracker is tinytorch_milestones.MilestoneTracker
    assert milestone_tracker.show_progress is tinytorch_milestones.show_progress
    assert milestone_tracker.list_tests is tinytorch_milestones.list_tests
