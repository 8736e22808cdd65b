"""The progress views: widget state, HTML, text, the mime bundle, the unlock panel, and staying live."""

from __future__ import annotations

import gc
import re
import threading
import weakref
from pathlib import Path

import pytest

from tinytorch_milestones.core import console_render, messages, registry
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.frontends.views.live import LIVE_VIEWS
from tinytorch_milestones.frontends.views.milestones_view import MilestonesView
from tinytorch_milestones.frontends.views.unlock_panel import UnlockPanel

from .conftest import run_cli

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ORDER = ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]


@pytest.fixture(autouse=True)
def forget_views():
    yield
    LIVE_VIEWS.clear()


def complete(*modules: str) -> None:
    tracker = MilestoneTracker()
    for module in modules:
        tracker.mark_module_complete(module)


def classes(widget) -> set[str]:
    return set(widget._dom_classes)


def test_the_board_has_one_row_per_milestone_in_order_with_its_parts() -> None:
    complete("00_setup", "01_tensor")
    board = MilestonesView("progress").board
    assert "tt-milestones-view" in classes(board.widget) and "tt-view-progress" in classes(board.widget)
    assert [row.milestone_id for row in board.shown] == ORDER
    assert list(board.rows_box.children) == [row.box for row in board.shown]
    perceptron = board.rows["perceptron"]
    assert {"tt-milestone-row", "tt-status-locked"} <= classes(perceptron.box)
    assert perceptron.name.value == "<b>1957</b> The Perceptron"
    assert perceptron.status.value == messages.status_text("locked") and "Locked" in perceptron.status.value
    assert (perceptron.bar.value, perceptron.bar.max) == (2, 3)
    assert "tt-requirements-bar" in classes(perceptron.bar)
    assert perceptron.count.value == "2/3 modules"
    assert perceptron.missing.value == "needs 02_autograd"
    assert perceptron.verify.button.layout.display == "none"
    assert board.next.value == "Next: 1957 - The Perceptron needs 02_autograd."


def test_an_unlocked_milestone_shows_its_verify_button_and_a_completed_one_its_word() -> None:
    complete("00_setup", "01_tensor", "02_autograd")
    MilestoneTracker().mark_milestone_complete("perceptron")
    complete("03_nn")
    board = MilestonesView("progress").board
    perceptron, xor = board.rows["perceptron"], board.rows["xor"]
    assert perceptron.status.value.endswith("Completed") and "tt-status-completed" in classes(perceptron.box)
    assert perceptron.verify.button.layout.display == "none"
    assert xor.status.value.endswith("Unlocked") and "tt-status-unlocked" in classes(xor.box)
    assert xor.verify.button.layout.display is None
    assert xor.verify.button.description == messages.BUTTON_VERIFY
    assert xor.bar.bar_style == "success" and xor.missing.value == ""
    assert xor.verify.button.tooltip == "Runs %milestones run xor"
    assert "tt-verify-output" in classes(xor.verify.output)
    assert {"tt-milestone-row", "tt-milestone-xor"} <= classes(xor.box)
    assert list(xor.box.children[-3:]) == [xor.verify.result, xor.verify.live, xor.verify.log]
    assert xor.verify.log.children == (xor.verify.output,)
    assert [part.layout.display for part in xor.verify.parts] == ["none", "none", "none"]


def test_a_refresh_updates_rows_in_place_and_swaps_the_status_class() -> None:
    view = MilestonesView("progress")
    before = dict(view.board.rows)
    complete("00_setup", "01_tensor", "02_autograd")
    assert view.refresh_if_stale()
    assert not view.refresh_if_stale()
    perceptron = view.board.rows["perceptron"]
    assert view.board.rows == before
    assert "tt-status-unlocked" in classes(perceptron.box) and "tt-status-locked" not in classes(perceptron.box)
    assert perceptron.bar.value == 3


def test_the_verify_button_follows_the_cores_awaiting_verification_not_the_status_word() -> None:
    complete("00_setup", "01_tensor", "02_autograd")
    view = MilestonesView("progress", live=False)
    assert view.status["awaiting_verification"] == ["perceptron"]
    board = view.board
    board.update({**view.status, "awaiting_verification": []})
    assert board.rows["perceptron"].verify.button.layout.display == "none"
    board.update({**view.status, "awaiting_verification": ["perceptron", "xor"]})
    assert board.rows["xor"].verify.button.layout.display is None


def test_the_terminal_view_is_the_cores_progress_table_with_details_and_a_missing_column() -> None:
    complete("00_setup", "01_tensor")
    status = MilestoneTracker().status()
    assert [column.header for column in console_render.progress_table(status).columns] == list(messages.TABLE_HEADERS[:3])
    lines = MilestonesView("status", mode="text").to_terminal_text().splitlines()
    header = next(line for line in lines if line.startswith("│") and "Milestone" in line)
    assert [cell.strip() for cell in header.split("│")[1:-1]] == list(messages.TABLE_HEADERS)
    assert any("02_autograd" in line and "1957 - The Perceptron" in line for line in lines)
    assert any("First learning algorithm" in line for line in lines)


def test_the_list_board_shows_only_unlocked_milestones_or_says_there_are_none() -> None:
    view = MilestonesView("list")
    assert view.board.shown == []
    assert view.board.empty.value == messages.NOTHING_UNLOCKED and view.board.empty.layout.display is None
    complete("00_setup", "01_tensor", "02_autograd")
    view.refresh()
    assert [row.milestone_id for row in view.board.shown] == ["perceptron"]
    assert view.board.empty.layout.display == "none"
    assert "%milestones run perceptron" in view.board.rows["perceptron"].details.value


def test_the_status_board_has_header_lines_and_details(progress_file: Path) -> None:
    complete("00_setup")
    board = MilestonesView("status").board
    assert str(progress_file) in board.header.value and "00_setup" in board.header.value
    assert "First learning algorithm" in board.rows["perceptron"].details.value


def test_html_and_widgets_are_escaped_themed_and_script_free(recipe) -> None:
    recipe.add("evil", {
        "name": "2024 - <script>alert('x')</script> & more", "requires": ["00_setup"], "test": "test_evil",
        "description": "<img src=x onerror=alert(1)>", "unlock_message": "<b>hi</b>",
    })
    for html in (MilestonesView("status").to_html(), UnlockPanel("evil").to_html()):
        assert "<script" not in html.lower() and "<img" not in html.lower()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
        assert "var(--jp-" in html
    evil = MilestonesView("status").board.rows["evil"]
    assert "<script" not in evil.name.value and "<img" not in evil.details.value
    html = MilestonesView("progress").to_html()
    rows = re.findall(r'<tr class="tt-milestone-row tt-status-(\w+)" data-milestone="(\w+)"', html)
    assert rows == [("locked", milestone_id) for milestone_id in [*ORDER, "evil"]]
    assert html.count("Locked") == 6


def test_plain_text_reads_without_colour_or_emoji_codes() -> None:
    complete("00_setup", "01_tensor", "02_autograd")
    text = MilestonesView("progress").to_text()
    assert "\x1b[" not in text
    assert re.search(r"1957 - The Perceptron\s+Unlocked\s+3/3 modules", text)
    xor = next(line for line in text.splitlines() if line.startswith("1986 - Backpropagation (XOR)"))
    assert re.fullmatch(r"1986 - Backpropagation \(XOR\)\s+Locked\s+3/4 modules  needs 03_nn", xor)
    assert xor.endswith(messages.missing_modules_text(["03_nn"]))
    assert text.splitlines()[-1] == MilestoneTracker().status()["next_text"]


def test_in_a_kernel_the_view_offers_widget_html_and_text_together() -> None:
    view = MilestonesView("progress", mode="widgets")
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {WIDGET_VIEW, "text/html", "text/plain"}
    assert bundle[WIDGET_VIEW]["model_id"] == view.widget.model_id
    assert bundle["text/html"] == view.to_html() and bundle["text/plain"] == view.to_text()


def test_in_a_terminal_the_view_offers_text_and_no_widget() -> None:
    view = MilestonesView("progress", mode="text")
    bundle = view._repr_mimebundle_()
    assert WIDGET_VIEW not in bundle
    assert messages.PROGRESS_TITLE in bundle["text/plain"] and "1957 - The Perceptron" in bundle["text/plain"]
    assert view._board is None


def test_the_unlock_panel_names_the_milestone_and_the_exact_verify_command() -> None:
    panel = UnlockPanel("perceptron", mode="widgets")
    milestone = registry.get_milestone("perceptron")
    assert panel.to_text() == messages.unlock_message(milestone)
    html = panel.to_html()
    for part in (milestone.name, milestone.description, milestone.unlock_message, "%milestones run perceptron",
                 "tinytorch-milestones run perceptron"):
        assert part in html
    assert "tt-unlock-panel" in classes(panel.widget)
    assert panel.panel.panel.value == html
    assert list(panel.widget.children) == [panel.panel.panel, panel.panel.verify.button, *panel.panel.verify.parts]
    assert set(panel._repr_mimebundle_()) == {WIDGET_VIEW, "text/html", "text/plain"}
    assert "MILESTONE UNLOCKED" in UnlockPanel("perceptron", mode="text")._repr_mimebundle_()["text/plain"]


def test_a_change_from_another_process_shows_at_the_next_cell(shell) -> None:
    view = shell.run_line_magic("milestones", "progress")
    xor = view.board.rows["xor"]
    run_cli("complete", "00_setup", "01_tensor", "02_autograd", "03_nn")
    assert xor.bar.value == 0
    shell.run_cell("pass")
    assert xor.bar.value == 4 and xor.status.value.endswith("Unlocked")
    assert view.board.rows["perceptron"].status.value.endswith("Unlocked")


def test_a_view_on_display_stays_live_without_other_references() -> None:
    shown, unseen = MilestonesView("progress"), MilestonesView("progress")
    shown.board
    shown_ref, unseen_ref = weakref.ref(shown), weakref.ref(unseen)
    del shown, unseen
    gc.collect()
    assert unseen_ref() is None and shown_ref() is not None and len(LIVE_VIEWS) == 1
    shown_ref().widget.close()
    gc.collect()
    assert shown_ref() is None and len(LIVE_VIEWS) == 0


def test_views_refresh_only_on_the_main_thread() -> None:
    view = MilestonesView("progress")
    complete("00_setup")
    refreshed = []
    worker = threading.Thread(target=lambda: refreshed.append(LIVE_VIEWS.refresh_stale()))
    worker.start()
    worker.join()
    assert refreshed == [0] and view.status["completed_modules"] == []
    assert LIVE_VIEWS.refresh_stale() == 1 and view.status["completed_modules"] == ["00_setup"]
