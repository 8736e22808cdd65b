"""The unlock announcement as one object: widget (with a Verify button), `text/html` and `text/plain`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core import messages
from ...core.registry import Milestone, get_milestone
from . import html, terminal
from .mode import Mode, current_mode
from .view_object import ViewObject, default_verify

if TYPE_CHECKING:
    from .widgets import UnlockPanelWidget, Verify


class UnlockPanel(ViewObject):
    """The announcement of a newly unlocked milestone, with the exact command that verifies it."""

    def __init__(self, milestone: Milestone | str, *, mode: Mode | None = None, verify: Verify | None = None) -> None:
        self.milestone = milestone if isinstance(milestone, Milestone) else get_milestone(milestone)
        self.mode = mode or current_mode()
        self._verify = verify
        self._panel: UnlockPanelWidget | None = None

    @property
    def panel(self) -> UnlockPanelWidget:
        """The widget form's parts (the panel HTML, the Verify control); built on first use."""
        if self._panel is None:
            from .widgets import UnlockPanelWidget

            self._panel = UnlockPanelWidget(self.milestone, self._verify or default_verify())
        return self._panel

    @property
    def widget(self) -> Any:
        return self.panel.widget

    def to_text(self) -> str:
        return messages.unlock_message(self.milestone)

    def to_html(self) -> str:
        return html.unlock_panel_html(self.milestone)

    def to_terminal_text(self) -> str:
        return terminal.unlock_panel_terminal_text(self.milestone)
