"""The ipywidgets 8 forms of the views: a board of milestone rows, and the unlock panel.

Every widget carries a `tt-...` CSS class (see `theme.WIDGET_STYLESHEET`) so styles and tests find it.
Values are only ever changed on the kernel's main thread: by `update()`, which the live registry calls,
and by a Verify button's own click.
Text that may run long (missing modules, what's next) sits in escaped HTML widgets, which wrap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from ...core import messages
from ...core.registry import Milestone
from . import theme
from .html import unlock_panel_html
from .kinds import ViewKind

Verify = Callable[[str, Callable[[str], None]], Any]
"""Runs a milestone's verification, passing each output line to the callback; returns a result with
`summary_html()`, `completion_html()` and `details_html()` (the verify service's card), or one line
saying why nothing was verified."""
STATUS_CLASSES = {status: f"tt-status-{status}" for status in messages.STATUS_LABELS}
HIDDEN, SHOWN = "none", None
LIVE_LINES = 8
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colour codes: the Output widget renders them, an HTML <pre> would not


def _fixed(width: str) -> widgets.Layout:
    """A column of a row: always `width` wide, so the rows line up."""
    return widgets.Layout(width=width, flex="0 0 auto")


def _classed(widget: widgets.DOMWidget, *classes: str) -> Any:
    for css_class in classes:
        widget.add_class(css_class)
    return widget


def _shown(widget: widgets.DOMWidget, shown: bool) -> None:
    widget.layout.display = SHOWN if shown else HIDDEN


class VerifyControl:
    """A Verify button and what it leaves in view: the newest output lines while the run streams, then
    a one-line result (and the completion card), with the whole log folded away beneath.

    `parts` are the widgets to place under the button's row: result, live lines, folded log.
    """

    def __init__(self, milestone_id: str, verify: Verify) -> None:
        self.milestone_id = milestone_id
        self._verify = verify
        self._lines: list[str] = []
        self.button = _classed(widgets.Button(description=messages.BUTTON_VERIFY, icon="play",
                                              tooltip=messages.verify_tooltip(milestone_id)), "tt-verify-button")
        self.result = _classed(widgets.HTML(layout=widgets.Layout(display=HIDDEN)), "tt-verify-result")
        self.live = _classed(widgets.HTML(layout=widgets.Layout(display=HIDDEN)), "tt-verify-live")
        self.output = _classed(widgets.Output(), "tt-verify-output")
        self.log = _classed(widgets.Accordion(children=[self.output], titles=(messages.VERIFY_LOG_TITLE,),
                                              selected_index=None, layout=widgets.Layout(display=HIDDEN)),
                            "tt-verify-log")
        self.parts = [self.result, self.live, self.log]
        self.button.on_click(self._clicked)

    def _line(self, line: str) -> None:
        self._lines.append(line)
        self.output.append_stdout(line + "\n")
        newest = ANSI_CODE.sub("", "\n".join(self._lines[-LIVE_LINES:]))
        self.live.value = f'<pre class="tt-verify-live-lines">{escape(newest)}</pre>'

    def _clicked(self, _: widgets.Button) -> None:
        self.button.disabled = True
        self.button.description = messages.BUTTON_VERIFYING
        self._lines = []
        self.output.outputs = ()
        self.live.value = ""
        _shown(self.result, False)
        _shown(self.live, True)
        _shown(self.log, True)
        try:
            self.show(self._verify(self.milestone_id, self._line))
        finally:
            _shown(self.live, False)
            self.button.description = messages.BUTTON_VERIFY
            self.button.disabled = False

    def show(self, result: Any) -> None:
        """Show a verification's result as its compact line (and completion card), its details folded into
        the log; or a line saying why nothing was verified."""
        if isinstance(result, str):
            self.result.value = f'<div class="tt-verify-refusal">{escape(result)}</div>'
        else:
            self.result.value = result.summary_html() + result.completion_html()
            details = {"text/html": result.details_html(), "text/plain": str(result)}
            self.output.outputs += ({"output_type": "display_data", "data": details, "metadata": {}},)
        self.log.selected_index = None
        _shown(self.result, True)
        _shown(self.log, bool(self._lines))


class MilestoneRow:
    """One milestone: year and name, status word, requirements bar, missing modules, Verify, and its output."""

    def __init__(self, row: dict[str, Any], verify: Verify) -> None:
        self.milestone_id = row["id"]
        self.name = _classed(widgets.HTML(layout=_fixed("280px")), "tt-milestone-name")
        self.status = _classed(widgets.Label(layout=_fixed("120px")), "tt-status")
        self.bar = _classed(widgets.IntProgress(min=0, layout=_fixed("160px")), "tt-requirements-bar")
        self.count = _classed(widgets.Label(layout=_fixed("90px")), "tt-requirements-count")
        self.missing = _classed(widgets.HTML(layout=widgets.Layout(flex="1 1 0%")), "tt-missing")
        self.details = _classed(widgets.HTML(), "tt-details")
        self.verify = VerifyControl(row["id"], verify)
        header = _classed(widgets.HBox([self.name, self.status, self.bar, self.count, self.missing, self.verify.button]),
                          "tt-milestone-header")
        self.box = _classed(widgets.VBox([header, self.details, *self.verify.parts]),
                            "tt-milestone-row", f"tt-milestone-{row['id']}")
        self._status_class: str | None = None

    def update(self, row: dict[str, Any], details: list[str], awaiting_verification: bool) -> None:
        """Show `row` (a milestone of the core's `status()`), its detail lines, and Verify while it awaits verification."""
        status = row["status"]
        self.name.value = f"<b>{escape(row['year'])}</b> {escape(row['title'])}"
        self.status.value = messages.status_text(status)
        self.bar.max = len(row["requires"])
        self.bar.value = len(row["met"])
        self.bar.bar_style = "success" if not row["missing"] else "info"
        self.count.value = messages.requirements_text(len(row["met"]), len(row["requires"]))
        self.missing.value = escape(messages.missing_modules_text(row["missing"]))
        self.details.value = "<br>".join(escape(line) for line in details)
        self.details.layout.display = SHOWN if details else HIDDEN
        self.verify.button.layout.display = SHOWN if awaiting_verification else HIDDEN
        self._set_status_class(STATUS_CLASSES[status])

    def _set_status_class(self, css_class: str) -> None:
        if css_class == self._status_class:
            return
        if self._status_class:
            self.box.remove_class(self._status_class)
        self.box.add_class(css_class)
        self._status_class = css_class


class MilestoneBoard:
    """A whole view as widgets: title, header lines, one row per milestone, and what's next."""

    def __init__(self, kind: ViewKind, verify: Verify) -> None:
        self.kind = kind
        self._verify = verify
        self.rows: dict[str, MilestoneRow] = {}
        self.shown: list[MilestoneRow] = []
        self.title = _classed(widgets.HTML(f"<b>{escape(kind.title)}</b>"), "tt-title")
        self.header = _classed(widgets.HTML(), "tt-header")
        self.rows_box = _classed(widgets.VBox(), "tt-rows")
        self.empty = _classed(widgets.HTML(), "tt-empty")
        self.next = _classed(widgets.HTML(), "tt-next")
        self.widget = _classed(
            widgets.VBox([widgets.HTML(theme.WIDGET_STYLESHEET), self.title, self.header, self.rows_box, self.empty, self.next]),
            "tt-milestones-view", f"tt-view-{kind.name}",
        )

    def update(self, status: dict[str, Any]) -> None:
        """Show `status` (the core's `status()`); rows are kept, so a running verification's output stays."""
        visible = self.kind.rows(status)
        for row in visible:
            if row["id"] not in self.rows:
                self.rows[row["id"]] = MilestoneRow(row, self._verify)
            self.rows[row["id"]].update(row, self.kind.details(row), row["id"] in status["awaiting_verification"])
        self.shown = [self.rows[row["id"]] for row in visible]
        boxes = [row.box for row in self.shown]
        if list(self.rows_box.children) != boxes:
            self.rows_box.children = boxes
        header = self.kind.header(status)
        self.header.value = "<br>".join(escape(line) for line in header)
        self.header.layout.display = SHOWN if header else HIDDEN
        self.empty.value = "" if visible else escape(self.kind.empty_text(status))
        self.empty.layout.display = HIDDEN if visible else SHOWN
        self.next.value = escape(status["next_text"]) if self.kind.shows_next else ""
        self.next.layout.display = SHOWN if self.kind.shows_next else HIDDEN


class UnlockPanelWidget:
    """The unlock announcement as widgets: the panel itself, then a Verify button and its output."""

    def __init__(self, milestone: Milestone, verify: Verify) -> None:
        self.panel = widgets.HTML(unlock_panel_html(milestone))
        self.verify = VerifyControl(milestone.id, verify)
        self.widget = _classed(widgets.VBox([self.panel, self.verify.button, *self.verify.parts]), "tt-unlock-panel")
