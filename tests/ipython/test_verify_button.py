"""The Verify buttons: a click runs the real verification runner, streams into the Output area, records the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinytorch_milestones.core import messages
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.frontends.views.live import LIVE_VIEWS
from tinytorch_milestones.frontends.views.milestones_view import MilestonesView
from tinytorch_milestones.frontends.views.unlock_panel import UnlockPanel

from .conftest import add_quick_milestone, make_the_test_press_stop


@pytest.fixture
def quick_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working folder without any `tinytorch`, where the runner starts pytest."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    LIVE_VIEWS.clear()


def streamed_text(output) -> str:
    return "".join(item.get("text", "") for item in output.outputs if item["output_type"] == "stream")


def folded_details(output) -> list[str]:
    return [item["data"]["text/plain"] for item in output.outputs if item["output_type"] == "display_data"]


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_a_failed_verification_leaves_one_result_line_and_folds_its_log(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=False)
    MilestoneTracker().mark_module_complete("00_setup")
    view = MilestonesView("progress")
    row = view.board.rows["quick"]
    row.verify.button.click()
    control = row.verify
    assert "training the quick network" in streamed_text(control.output)
    assert len(folded_details(control.output)) == 1
    assert shown(control.result) and shown(control.log) and not shown(control.live)
    assert control.log.selected_index is None
    assert "Verification failed: 2024 - Quick Check" in control.result.value
    assert "the quick network did not learn" in control.result.value
    assert "subprocess" not in control.result.value and "::" not in control.result.value
    assert "tt-completion-card" not in control.result.value
    assert row.status.value.endswith("Unlocked") and row.verify.button.layout.display is None
    assert (row.verify.button.description, row.verify.button.disabled) == (messages.BUTTON_VERIFY, False)
    last = MilestoneTracker().status()["milestones"][-1]["last_verification"]
    assert last["outcome"] == "failed"


def test_while_it_runs_the_newest_lines_are_in_view(quick_project, recipe) -> None:
    test_file = add_quick_milestone(recipe, quick_project, "quick", passes=True)
    test_file.write_text("def test_quick():\n" + "".join(f"    print('\\x1b[1mepoch {n}\\x1b[0m')\n" for n in range(20)))
    MilestoneTracker().mark_module_complete("00_setup")
    control = MilestonesView("progress").board.rows["quick"].verify
    seen = []
    original = control._line
    control._line = lambda line: (original(line), seen.append((shown(control.live), control.live.value)))
    control.button.click()
    live_while_running = [value for visible, value in seen if visible and "epoch 19" in value]
    assert live_while_running and "epoch 11" not in live_while_running[0] and "epoch 12" in live_while_running[0]
    assert "\x1b" not in live_while_running[0] and "\x1b[1mepoch 19" in streamed_text(control.output)
    assert not shown(control.live)


def test_a_passed_verification_shows_the_completion_card_and_completes_every_live_view(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=True)
    MilestoneTracker().mark_module_complete("00_setup")
    progress, pending = MilestonesView("progress"), MilestonesView("list")
    assert [row.milestone_id for row in pending.board.shown] == ["quick"]
    row = progress.board.rows["quick"]
    row.verify.button.click()
    assert "Verification passed" in row.verify.result.value
    assert 'class="tt-completion-card' in row.verify.result.value and "MILESTONE COMPLETED" in row.verify.result.value
    assert row.status.value.endswith("Completed") and row.verify.button.layout.display == "none"
    assert shown(row.verify.result)
    assert pending.board.shown == [] and pending.board.empty.value == messages.NOTHING_PENDING


def test_a_second_click_replaces_the_previous_output(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=False)
    MilestoneTracker().mark_module_complete("00_setup")
    row = MilestonesView("progress").board.rows["quick"]
    row.verify.button.click()
    row.verify.button.click()
    assert len(folded_details(row.verify.output)) == 1
    assert streamed_text(row.verify.output).count("training the quick network") == 1


def test_the_unlock_panels_button_shows_a_refusal_in_one_line(quick_project) -> None:
    panel = UnlockPanel("xor")
    control = panel.panel.verify
    control.button.click()
    assert control.result.value == (
        '<div class="tt-verify-refusal">1986 - Backpropagation (XOR) is locked: complete 00_setup, 01_tensor, '
        "02_autograd, 03_nn first (or pass --force to run its verification anyway).</div>"
    )
    assert shown(control.result) and not shown(control.log)
    assert MilestoneTracker().status()["milestones"][1]["last_verification"] is None


def test_stopping_a_verification_says_so_and_records_nothing(quick_project, recipe) -> None:
    make_the_test_press_stop(add_quick_milestone(recipe, quick_project, "quick", passes=True))
    MilestoneTracker().mark_module_complete("00_setup")
    row = MilestonesView("progress").board.rows["quick"]
    row.verify.button.click()
    assert messages.VERIFY_INTERRUPTED in row.verify.result.value
    assert folded_details(row.verify.output) == []
    assert row.status.value.endswith("Unlocked") and not row.verify.button.disabled
    assert MilestoneTracker().status()["milestones"][-1]["last_verification"] is None
