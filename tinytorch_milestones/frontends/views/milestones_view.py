"""The live view object `%milestones progress`, `list` and `status` return: widget, `text/html` and `text/plain` at once.

JupyterLab shows the widget, nbconvert and GitHub the HTML, a terminal the text. The view registers
itself in `LIVE_VIEWS` and re-reads the progress whenever the progress file changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.tracker import MilestoneTracker
from . import html, terminal, text
from .kinds import KINDS, ViewKind
from .live import LIVE_VIEWS, Signature, file_signature
from .mode import Mode, current_mode
from .view_object import ViewObject, default_verify

if TYPE_CHECKING:
    from .widgets import MilestoneBoard, Verify


class MilestonesView(ViewObject):
    """Progress, the unlocked list, or the full status, as one live object with widget, HTML and text forms."""

    def __init__(self, kind: ViewKind | str = "progress", *, tracker: MilestoneTracker | None = None,
                 mode: Mode | None = None, verify: Verify | None = None, live: bool = True) -> None:
        self.kind = KINDS[kind] if isinstance(kind, str) else kind
        self.tracker = tracker if tracker is not None else MilestoneTracker()
        self.mode = mode or current_mode()
        self._verify = verify
        self._board: MilestoneBoard | None = None
        self._signature: Signature = None
        self.status: dict[str, Any] = {}
        self.refresh()
        if live:
            LIVE_VIEWS.add(self)

    @property
    def board(self) -> MilestoneBoard:
        """The widget form's parts (rows by milestone id, the what's-next line); built on first use."""
        if self._board is None:
            from .widgets import MilestoneBoard

            self._board = MilestoneBoard(self.kind, self._verify or default_verify())
            self._board.update(self.status)
            # ipywidgets holds every open widget; through it, a view on display stays alive, and so live.
            self._board.widget.view = self
        return self._board

    @property
    def widget(self) -> Any:
        """The ipywidgets form of the view."""
        return self.board.widget

    @property
    def is_live(self) -> bool:
        """Whether the view still updates itself when the progress changes."""
        return self in LIVE_VIEWS

    def refresh(self) -> None:
        """Re-read the progress and show it in every form already built."""
        self._signature = file_signature(self.tracker.store.path)
        self.status = self.tracker.status()
        if self._board is not None:
            self._board.update(self.status)

    def refresh_if_stale(self) -> bool:
        """Refresh if the progress file changed since the last read; True if it did."""
        if file_signature(self.tracker.store.path) == self._signature:
            return False
        self.refresh()
        return True

    def to_text(self) -> str:
        return text.view_text(self.kind, self.status)

    def to_html(self) -> str:
        return html.view_html(self.kind, self.status)

    def to_terminal_text(self) -> str:
        return terminal.view_terminal_text(self.kind, self.status)
