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


def result_cards(output) -> list[str]:
    return [item["data"]["text/plain"] for item in output.outputs if item["output_type"] == "display_data"]


def test_a_failed_verification_streams_its_output_shows_the_card_and_stays_unlocked(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=False)
    MilestoneTracker().mark_module_complete("00_setup")
    view = MilestonesView("progress")
    row = view.board.rows["quick"]
    row.verify.button.click()
    assert "training the quick network" in streamed_text(row.verify.output)
    (card,) = result_cards(row.verify.output)
    assert "Verification failed: 2024 - Quick Check" in card and "the quick network did not learn" in card
    assert row.status.value.endswith("Unlocked") and row.verify.button.layout.display is None
    assert (row.verify.button.description, row.verify.button.disabled) == (messages.BUTTON_VERIFY, False)
    last = MilestoneTracker().status()["milestones"][-1]["last_verification"]
    assert last["outcome"] == "failed"


def test_a_passed_verification_completes_the_milestone_in_every_live_view(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=True)
    MilestoneTracker().mark_module_complete("00_setup")
    progress, pending = MilestonesView("progress"), MilestonesView("list")
    assert [row.milestone_id for row in pending.board.shown] == ["quick"]
    row = progress.board.rows["quick"]
    row.verify.button.click()
    (card,) = result_cards(row.verify.output)
    assert "Verification passed" in card and "MILESTONE COMPLETED" in card
    assert row.status.value.endswith("Completed") and row.verify.button.layout.display == "none"
    assert pending.board.shown == [] and pending.board.empty.value == messages.NOTHING_PENDING


def test_a_second_click_replaces_the_previous_output(quick_project, recipe) -> None:
    add_quick_milestone(recipe, quick_project, "quick", passes=False)
    MilestoneTracker().mark_module_complete("00_setup")
    row = MilestonesView("progress").board.rows["quick"]
    row.verify.button.click()
    row.verify.button.click()
    assert len(result_cards(row.verify.output)) == 1
    assert streamed_text(row.verify.output).count("training the quick network") == 1


def test_the_unlock_panels_button_shows_a_refusal_in_one_line(quick_project) -> None:
    panel = UnlockPanel("xor")
    panel.panel.verify.button.click()
    assert streamed_text(panel.panel.verify.output).strip().splitlines() == [
        "1986 - Backpropagation (XOR) is locked: complete 00_setup, 01_tensor, 02_autograd, 03_nn first "
        "(or pass --force to run its verification anyway)."
    ]
    assert MilestoneTracker().status()["milestones"][1]["last_verification"] is None


def test_stopping_a_verification_says_so_and_records_nothing(quick_project, recipe) -> None:
    make_the_test_press_stop(add_quick_milestone(recipe, quick_project, "quick", passes=True))
    MilestoneTracker().mark_module_complete("00_setup")
    row = MilestonesView("progress").board.rows["quick"]
    row.verify.button.click()
    assert streamed_text(row.verify.output).splitlines()[-1] == messages.VERIFY_INTERRUPTED
    assert result_cards(row.verify.output) == []
    assert row.status.value.endswith("Unlocked") and not row.verify.button.disabled
    assert MilestoneTracker().status()["milestones"][-1]["last_verification"] is None
