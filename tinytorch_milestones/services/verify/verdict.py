"""From what a pytest run reported (through the plugin) to the verification's outcome and card."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import messages
from .result import VerificationResult

OUTCOMES_BY_TEST = {"failed": "failed", "error": "error", "skipped": "error"}


@dataclass(frozen=True)
class PytestRun:
    """How one pytest run ended: the plugin's results (None when it sent none), exit code, wall time.

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


def read_report(data: bytes) -> dict[str, Any]:
    """The plugin's results from the bytes it sent, checked by `checked_report`.

    Raises `ReportError` for bytes that are not UTF-8 JSON (a cut-off send) or of another shape.
    """
    try:
        report = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ReportError(messages.REPORT_NOT_UTF8) from None
    except json.JSONDecodeError as error:
        raise ReportError(messages.report_not_json(error.lineno, error.colno, error.msg)) from None
    return checked_report(report)


def checked_report(report: Any) -> dict[str, Any]:
    """`report` (the plugin's results, parsed from JSON), checked to have the fields `judge` and the card read.

    Raises `ReportError` naming the first field of another shape.
    """
    _expect(report, dict, messages.REPORT_ITSELF)
    for index, test in enumerate(_expect(report.get("tests", []), list, "tests")):
        _expect(test, dict, f"tests[{index}]")
        _expect(test.get("outcome"), str, f"tests[{index}].outcome")
        _expect(test.get("message"), str, f"tests[{index}].message", optional=True)
        _expect(test.get("check"), dict, f"tests[{index}].check", optional=True)
        _expect(test.get("metrics"), dict, f"tests[{index}].metrics", optional=True)
    for key in ("collection_errors", "collected", "call_passed"):
        for index, item in enumerate(_expect(report.get(key, []), list, key)):
            _expect(item, str, f"{key}[{index}]")
    _expect(report.get("tinytorch_file"), str, "tinytorch_file", optional=True)
    _expect(report.get("exitstatus"), int, "exitstatus", optional=True)
    return report


@dataclass(frozen=True)
class Verdict:
    """The outcome of a run, the message and failed check explaining it, and the metrics measured."""

    outcome: str
    message: str | None = None
    check: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None


def judge(run: PytestRun, node_id: str, timeout_s: float | None) -> Verdict:
    """The verdict on one run. Passed only when all of these hold:

    pytest collected at least one test, every collected test reported a passing call phase and no
    failed phase, pytest's own exit status is 0, and so is the exit code of the process that ran it.
    Anything else is "failed" (a test failed) or "error" (nothing proven: interrupted, stopped
    early, not collected, no report), with its reason; "timeout" when the run was stopped.
    """
    if run.timed_out:
        return Verdict("timeout", messages.timed_out(timeout_s or 0.0))
    if run.report_problem is not None:
        return Verdict("error", messages.report_unreadable(run.report_problem))
    if run.results is None:
        return Verdict("error", messages.no_report(run.returncode))
    tests = run.results.get("tests") or []
    metrics: dict[str, Any] = {}
    for test in tests:
        metrics.update(test.get("metrics") or {})
    for test in tests:
        if test["outcome"] != "passed":
            return Verdict(OUTCOMES_BY_TEST.get(test["outcome"], "error"), test.get("message"), test.get("check"), metrics)
    collected = run.results.get("collected") or []
    if not collected:
        errors = run.results.get("collection_errors") or []
        return Verdict("error", errors[0] if errors else messages.test_not_found(node_id), None, metrics)
    exitstatus = run.results.get("exitstatus")
    if exitstatus != 0:
        return Verdict("error", messages.pytest_did_not_succeed(exitstatus), None, metrics)
    call_passed = set(run.results.get("call_passed") or [])
    unfinished = [test for test in collected if test not in call_passed]
    if unfinished:
        return Verdict("error", messages.tests_did_not_finish(unfinished), None, metrics)
    if run.returncode != 0:
        return Verdict("error", messages.child_exited(run.returncode), None, metrics)
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
