"""From what a pytest run reported (through the plugin) to the verification's outcome and card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.messages import verify as messages
from .result import VerificationResult

OUTCOMES_BY_TEST = {"failed": "failed", "error": "error", "skipped": "error"}


@dataclass(frozen=True)
class PytestRun:
    """How one pytest run ended: the plugin's results (None when it wrote none), exit code, wall time."""

    results: dict[str, Any] | None
    returncode: int | None
    duration_s: float
    timed_out: bool = False
    output_tail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The outcome of a run, the message and failed check explaining it, and the metrics measured."""

    outcome: str
    message: str | None = None
    check: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None


def judge(run: PytestRun, node_id: str, timeout_s: float | None) -> Verdict:
    """Passed only if the plugin reported at least one test and every reported test passed."""
    if run.timed_out:
        return Verdict("timeout", messages.timed_out(timeout_s or 0.0))
    if run.results is None:
        return Verdict("error", messages.no_report(run.returncode))
    tests = run.results.get("tests") or []
    if not tests:
        errors = run.results.get("collection_errors") or []
        return Verdict("error", errors[0] if errors else messages.test_not_found(node_id))
    metrics: dict[str, Any] = {}
    for test in tests:
        metrics.update(test.get("metrics") or {})
    for test in tests:
        if test["outcome"] != "passed":
            return Verdict(OUTCOMES_BY_TEST.get(test["outcome"], "error"), test.get("message"), test.get("check"), metrics)
    return Verdict("passed", None, None, metrics)


def build_result(milestone: Any, node_id: str, run: PytestRun, mode: str, timeout_s: float | None) -> VerificationResult:
    """The result card for `milestone` (not yet marked completed) from one pytest run."""
    verdict = judge(run, node_id, timeout_s)
    return VerificationResult(
        milestone_id=milestone.id,
        milestone_name=milestone.name,
        outcome=verdict.outcome,
        duration_s=run.duration_s,
        mode=mode,
        node_id=node_id,
        message=verdict.message,
        check=verdict.check,
        metrics=verdict.metrics or {},
        output_tail=run.output_tail,
        tinytorch_file=(run.results or {}).get("tinytorch_file"),
    )
