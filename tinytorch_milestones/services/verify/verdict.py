"""From what a pytest run reported (through the plugin) to the verification's outcome and card."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import messages
from .result import VerificationResult

OUTCOMES_BY_TEST = {"failed": "failed", "error": "error", "skipped": "error"}


@dataclass(frozen=True)
class PytestRun:
    """How one pytest run ended: the plugin's results (None when it wrote none), exit code, wall time.

    `report_problem` says why a report the plugin left could not be used (then `results` is None).
    """

    results: dict[str, Any] | None
    returncode: int | None
    duration_s: float
    timed_out: bool = False
    output_tail: tuple[str, ...] = ()
    report_problem: str | None = None


class ReportError(ValueError):
    """A report file that is not what the plugin writes; the message says what is wrong, in one line."""


def _expect(value: Any, kind: type, where: str, optional: bool = False) -> Any:
    if not (isinstance(value, kind) or (optional and value is None)):
        raise ReportError(messages.report_wrong_shape(where, messages.REPORT_EXPECTED[kind]))
    return value


def read_report(path: Path) -> dict[str, Any]:
    """The plugin's report at `path`, checked to have the fields `judge` and the card read.

    Raises `ReportError` for a file that cannot be read, is not UTF-8 JSON (a truncated write),
    or has another shape; `OSError` is turned into one too.
    """
    try:
        text = path.read_bytes().decode("utf-8")
        report = json.loads(text)
    except OSError as error:
        raise ReportError(error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise ReportError(messages.REPORT_NOT_UTF8) from None
    except json.JSONDecodeError as error:
        raise ReportError(messages.report_not_json(error.lineno, error.colno, error.msg)) from None
    _expect(report, dict, messages.REPORT_ITSELF)
    for index, test in enumerate(_expect(report.get("tests", []), list, "tests")):
        _expect(test, dict, f"tests[{index}]")
        _expect(test.get("outcome"), str, f"tests[{index}].outcome")
        _expect(test.get("message"), str, f"tests[{index}].message", optional=True)
        _expect(test.get("check"), dict, f"tests[{index}].check", optional=True)
        _expect(test.get("metrics"), dict, f"tests[{index}].metrics", optional=True)
    for index, error in enumerate(_expect(report.get("collection_errors", []), list, "collection_errors")):
        _expect(error, str, f"collection_errors[{index}]")
    _expect(report.get("tinytorch_file"), str, "tinytorch_file", optional=True)
    return report


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
    if run.report_problem is not None:
        return Verdict("error", messages.report_unreadable(run.report_problem))
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
