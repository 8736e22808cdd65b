"""Issue 15's bars, in one place, and the rows the report shows (each figure beside its goal and verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field

IMPORT_RATIO_MAX = 0.5  # core cold import above `python -c pass`: at most half the original's
CLI_RATIO_MAX = 1.0  # CLI `progress` and `complete` in a fresh process: no slower than the original
CHECK_NEW_RATIO_MAX = 1.5  # check_module_export p50, new module (lock and fsync kept)
CHECK_REPEAT_RATIO_MAX = 1.0  # check_module_export p50, module already recorded
EXPORT_LAB_MAX_MS = 300.0  # first %milestones export in a fresh kernel of a venv with JupyterLab
EXPORT_LAB_RATIO_MAX = 1.5  # ... against the same export in a venv without JupyterLab
SCALE_RATIO_MAX = 12.0  # cost at 1,000 milestones against 100: linear (10x) plus slack
RUNNER_OVERHEAD_MAX_MS = 100.0  # verification runner over the same pytest child

PASS, FAIL, INFO, ERROR, SKIPPED = "PASS", "FAIL", "info", "ERROR", "skipped"


@dataclass(frozen=True)
class Row:
    """One line of the results table: a figure, the original's (or a baseline's) beside it, and its goal."""

    what: str
    product: str
    baseline: str = "–"
    ratio: str = "–"
    goal: str = ""
    verdict: str = INFO


@dataclass
class Section:
    """A group of figures from one benchmark, how they were measured, and where the time goes
    (each a heading line with its Markdown bullets)."""

    title: str
    method: str
    rows: list[Row] = field(default_factory=list)
    where_time_goes: list[tuple[str, list[str]]] = field(default_factory=list)


def verdict(holds: bool) -> str:
    """PASS when the goal holds, else FAIL."""
    return PASS if holds else FAIL


def ms(value: float) -> str:
    """A time in milliseconds, with as many digits as its size deserves."""
    if value >= 100:
        return f"{value:,.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    if value >= 1:
        return f"{value:.2f} ms"
    return f"{value:.3f} ms"


def times(value: float) -> str:
    """A ratio such as 0.63x."""
    return f"{value:.2f}x"
