"""The result of one verification: a compact card with an HTML and a plain-text face, not a log dump.

The card leads with one line (outcome, milestone, time) and one reason (the failed check, or what the
network learned); a pass that completes the milestone adds the completion card; what was checked,
what was measured and the last lines of output sit below, folded in the HTML face. Jupyter shows
`_repr_html_`; terminals, nbconvert's text output and `print` show the plain text. Colours are
JupyterLab's CSS variables (with fallbacks), so the card suits light and dark themes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ...core import messages as core_messages
from . import messages

OUTPUT_TAIL_SHOWN = 15
_COLOURS = {
    "passed": "var(--jp-success-color1, #1a7f37)",
    "failed": "var(--jp-error-color1, #cf222e)",
    "error": "var(--jp-warn-color1, #9a6700)",
    "timeout": "var(--jp-warn-color1, #9a6700)",
}
_MUTED = "var(--jp-ui-font-color2, #57606a)"
_TEXT = "var(--jp-ui-font-color1, #212121)"
_FONT = "var(--jp-ui-font-family,system-ui,sans-serif)"


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
        """The card's first line: outcome, milestone and how long it took (seconds, one decimal)."""
        return messages.result_heading(self.outcome, self.milestone_name, self.duration_s)

    def reason(self) -> str:
        """One line saying why: the failure's message, or for a pass the headline measurements."""
        if not self.passed:
            return self.message.splitlines()[0] if self.message else ""
        headline = [messages.metric_text(name, self.metrics[name])
                    for name in messages.HEADLINE_METRICS if name in self.metrics]
        return messages.passed_reason(headline)

    def _check_rows(self) -> list[tuple[str, str]]:
        if not self.check:
            return []
        rows = [
            (messages.LABEL_CHECK, _shown(self.check.get("check"))),
            (messages.LABEL_MEASURED, _shown(self.check.get("measured"))),
            (messages.LABEL_THRESHOLD, _shown(self.check.get("threshold"))),
        ]
        if self.check.get("hint"):
            rows.append((messages.LABEL_HINT, _shown(self.check["hint"])))
        return rows

    def _metric_rows(self) -> list[tuple[str, str]]:
        return [(messages.metric_label(name), messages.metric_value(name, value)) for name, value in self.metrics.items()]

    def _closing_text(self) -> str | None:
        if not self.passed:
            return None
        return self.completion_text if self.newly_completed else messages.already_completed(self.milestone_name)

    def __repr__(self) -> str:
        lines = [self.heading()]
        reason = self.reason()
        if reason:
            lines.append(reason)
        lines.extend(f"  {label}: {value}" for label, value in self._check_rows())
        if self.metrics:
            shown = ", ".join(f"{label} {value}" for label, value in self._metric_rows())
            lines.append(f"  {messages.LABEL_METRICS}: {shown}")
        closing = self._closing_text()
        if closing:
            lines.extend(["", closing])
        return "\n".join(lines)

    __str__ = __repr__

    def summary_html(self) -> str:
        """The compact line and its reason, as one HTML block (what the Verify button leaves in view)."""
        colour = _COLOURS.get(self.outcome, _MUTED)
        esc = html.escape
        reason = self.reason()
        reason_html = (f'<span class="tinytorch-verification-message" style="color:{_TEXT}"> — {esc(reason)}</span>'
                       if reason else "")
        return (
            f'<div class="tinytorch-verification-summary tinytorch-verification-{esc(self.outcome)}" '
            f'style="border-left:4px solid {colour};padding:2px 10px;margin:2px 0;font-family:{_FONT}">'
            f'<b style="color:{colour}">{esc(self.heading())}</b>{reason_html}</div>'
        )

    def completion_html(self) -> str:
        """The completion card (same shape as the unlock card), or "" unless this pass completed the milestone."""
        if not (self.passed and self.newly_completed):
            return ""
        colour = _COLOURS["passed"]
        body = "".join(f"<div>{html.escape(line)}</div>" for line in core_messages.COMPLETED_BODY.splitlines())
        return (
            f'<div class="tt-completion-card tinytorch-verification-completion" data-milestone="{html.escape(self.milestone_id)}" '
            f'style="border:2px solid {colour};border-radius:6px;padding:8px 14px;margin:6px 0;font-family:{_FONT};color:{_TEXT}">'
            f'<div style="color:{colour};font-weight:bold">{html.escape(core_messages.COMPLETED_HEADER)}</div>'
            f'<div class="tt-milestone-name" style="font-size:1.15em;font-weight:bold;margin-top:6px">'
            f"{html.escape(self.milestone_name)}</div>"
            f'<div class="tt-completion-body" style="margin-top:6px">{body}</div></div>'
        )

    def details_html(self) -> str:
        """What was checked and measured, and (for anything but a pass) the last lines of output."""
        esc = html.escape
        parts = []
        rows = self._check_rows() + self._metric_rows()
        if rows:
            cells = "".join(
                f'<tr><th style="text-align:left;padding-right:12px;font-weight:normal;color:{_MUTED}">{esc(label)}</th>'
                f'<td style="text-align:left">{esc(value)}</td></tr>'
                for label, value in rows
            )
            parts.append(f'<table class="tinytorch-verification-details">{cells}</table>')
        if not self.passed and self.output_tail:
            tail = "\n".join(self.output_tail[-OUTPUT_TAIL_SHOWN:])
            parts.append(f'<div style="color:{_MUTED}">{esc(messages.LABEL_OUTPUT)}</div>'
                         f'<pre class="tinytorch-verification-output" style="margin:2px 0">{esc(tail)}</pre>')
        return "".join(parts)

    def _repr_html_(self) -> str:
        esc = html.escape
        parts = [f'<div class="tinytorch-verification tinytorch-verification-{esc(self.outcome)}">', self.summary_html()]
        if self.passed and not self.newly_completed:
            parts.append(f'<div style="color:{_MUTED};padding:0 14px">{esc(messages.already_completed(self.milestone_name))}</div>')
        parts.append(self.completion_html())
        details = self.details_html()
        if details:
            parts.append(f'<details class="tinytorch-verification-folded" style="padding:0 14px">'
                         f"<summary>{esc(messages.LABEL_DETAILS)}</summary>{details}</details>")
        parts.append("</div>")
        return "".join(parts)
