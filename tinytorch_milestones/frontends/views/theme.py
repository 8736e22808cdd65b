"""Colours and spacing from JupyterLab's CSS variables (with fallbacks), so views suit light and dark themes.

Used by the HTML renderer (inline styles) and the widget view (one stylesheet scoped to its classes).
"""

from __future__ import annotations

FONT = "var(--jp-ui-font-family, system-ui, sans-serif)"
MONO = "var(--jp-code-font-family, monospace)"
TEXT = "var(--jp-ui-font-color1, #212121)"
MUTED = "var(--jp-ui-font-color2, #616161)"
BORDER = "var(--jp-border-color2, #e0e0e0)"
SURFACE = "var(--jp-layout-color2, #eeeeee)"
SUCCESS = "var(--jp-success-color1, #388e3c)"
WARN = "var(--jp-warn-color1, #f57c00)"

STATUS_COLOURS = {"locked": MUTED, "unlocked": WARN, "completed": SUCCESS}

VIEW_STYLE = f"font-family:{FONT};color:{TEXT};"
TABLE_STYLE = f"border-collapse:collapse;margin:4px 0;color:{TEXT};"
CELL_STYLE = f"border-bottom:1px solid {BORDER};padding:4px 10px;text-align:left;vertical-align:top;"
NOWRAP = "white-space:nowrap;"
DETAIL_STYLE = f"color:{MUTED};font-size:0.9em;"
CODE_STYLE = f"font-family:{MONO};background:{SURFACE};padding:1px 4px;border-radius:3px;"
PANEL_STYLE = (
    f"border:2px solid {SUCCESS};border-radius:6px;padding:8px 14px;margin:6px 0;"
    f"font-family:{FONT};color:{TEXT};"
)


def status_style(status: str) -> str:
    """The inline style of a status word: its colour, bold."""
    return f"color:{STATUS_COLOURS[status]};font-weight:bold;"


WIDGET_STYLESHEET = f"""<style>
.tt-milestones-view {{ {VIEW_STYLE} }}
.tt-milestones-view .tt-milestone-header {{ align-items: center; gap: 8px; border-bottom: 1px solid {BORDER}; }}
.tt-milestones-view .tt-status {{ font-weight: bold; }}
.tt-milestones-view .tt-status-locked .tt-status {{ color: {STATUS_COLOURS['locked']}; }}
.tt-milestones-view .tt-status-unlocked .tt-status {{ color: {STATUS_COLOURS['unlocked']}; }}
.tt-milestones-view .tt-status-completed .tt-status {{ color: {STATUS_COLOURS['completed']}; }}
.tt-milestones-view .tt-missing, .tt-milestones-view .tt-details {{ {DETAIL_STYLE} }}
.tt-milestones-view .tt-next {{ margin-top: 6px; }}
</style>"""
