"""The result of one verification: a card with an HTML and a plain-text face, not a log dump.

Jupyter shows `_repr_html_`; terminals, nbconvert's text output and `print` show the plain text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from . import messages

OUTPUT_TAIL_SHOWN = 15
_COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "error": "#9a6700", "timeout": "#9a6700"}


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return messages.NO_VALUE if value is None else str(value)


@dataclass(frozen=True)
class VerificationResult:
    """What one verification attempt found: outcome, failed check, metrics, completion."""

    milestone_id: str
    milestone_name: str
    outcome: str
    duration_s: float
    mode: str
    node_id: str
    message: str | None = None
    check: dict[str, Any] | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    newly_completed: bool = False
    completion_text: str | None = None
    output_tail: tuple[str, ...] = ()
    tinytorch_file: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the verification passed."""
        return self.outcome == "passed"

    def attempt(self) -> dict[str, Any]:
        """This attempt as the tracker records it (`MilestoneTracker.record_verification`)."""
        return {
            "outcome": self.outcome,
            "duration_s": round(self.duration_s, 3),
            "metrics": dict(self.metrics),
            "message": self.message,
            "mode": self.mode,
        }

    def heading(self) -> str:
        """The card's first line: outcome, milestone, duration and mode."""
        return messages.result_heading(self.outcome, self.milestone_name, self.duration_s, self.mode)

    def _check_rows(self) -> list[tuple[str, str]]:
        if not self.check:
            return []
        return [
            (messages.LABEL_CHECK, _shown(self.check.get("check"))),
            (messages.LABEL_MEASURED, _shown(self.check.get("measured"))),
            (messages.LABEL_THRESHOLD, _shown(self.check.get("threshold"))),
            (messages.LABEL_HINT, _shown(self.check.get("hint"))),
        ]

    def _closing_text(self) -> str | None:
        if not self.passed:
            return None
        return self.completion_text if self.newly_completed else messages.already_completed(self.milestone_name)

    def __repr__(self) -> str:
        lines = [self.heading()]
        if self.message:
            lines.append(self.message)
        lines.extend(f"  {label}: {value}" for label, value in self._check_rows())
        if self.metrics:
            shown = ", ".join(f"{name}={_shown(value)}" for name, value in self.metrics.items())
            lines.append(f"  {messages.LABEL_METRICS}: {shown}")
        closing = self._closing_text()
        if closing:
            lines.extend(["", closing])
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        colour = _COLOURS.get(self.outcome, "#57606a")
        esc = html.escape
        parts = [
            f'<div class="tinytorch-verification tinytorch-verification-{esc(self.outcome)}" '
            f'style="border-left:4px solid {colour};padding:6px 12px;margin:4px 0">',
            f'<div style="font-weight:bold;color:{colour}">{esc(self.heading())}</div>',
        ]
        if self.message:
            parts.append(f'<div class="tinytorch-verification-message" style="margin:4px 0">{esc(self.message)}</div>')
        rows = self._check_rows() + [(name, _shown(value)) for name, value in self.metrics.items()]
        if rows:
            cells = "".join(
                f'<tr><th style="text-align:left;padding-right:12px">{esc(label)}</th><td style="text-align:left">{esc(value)}</td></tr>'
                for label, value in rows
            )
            parts.append(f'<table class="tinytorch-verification-details">{cells}</table>')
        closing = self._closing_text()
        if closing:
            parts.append(f'<pre class="tinytorch-verification-completion" style="margin:6px 0">{esc(closing)}</pre>')
        if not self.passed and self.output_tail:
            tail = "\n".join(self.output_tail[-OUTPUT_TAIL_SHOWN:])
            parts.append(f"<details><summary>{esc(messages.LABEL_OUTPUT)}</summary><pre>{esc(tail)}</pre></details>")
        parts.append("</div>")
        return "".join(parts)
