"""The pytest plugin that reports each verification test's result as data, not as terminal text.

It keeps, per test: outcome, duration, a one-line failure message (with the failed learning check's
fields when there is one) and the metrics the test recorded with `record_property`; and, for the
verdict, which tests were collected, which passed their call phase, and pytest's exit status.
In-kernel runs pass a `ResultCollector` to `pytest.main`; the isolated child (`child.py`) passes a
`ChannelWriter`, which sends the results as one line of JSON down a pipe inherited from the runner.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

from . import messages

MESSAGE_LINES = 4
MESSAGE_CHARS = 600
MAX_REPORT_BYTES = 8 * 1024 * 1024


def _short(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    kept = "\n".join(lines[:MESSAGE_LINES])
    return kept if len(kept) <= MESSAGE_CHARS else kept[: MESSAGE_CHARS - 3] + "..."


def _is_missing_tinytorch(error: BaseException) -> bool:
    name = getattr(error, "name", None) or ""
    return isinstance(error, ModuleNotFoundError) and (name == "tinytorch" or name.startswith("tinytorch."))


def _class_if_imported(module: str, name: str) -> type | None:
    """`name` of this package's `module` when that module is already imported, else None.

    The learning checks (`checks`, `datasets`) import numpy; a failure can only be one of their
    exceptions once a test has imported them, so the plugin never imports them itself.
    """
    loaded = sys.modules.get(f"{__package__}.{module}")
    return getattr(loaded, name, None) if loaded is not None else None


def failure_details(excinfo: pytest.ExceptionInfo[BaseException]) -> dict[str, Any]:
    """A failure as data: a short message, plus the learning check's fields when a check failed."""
    error = excinfo.value
    check_failed = _class_if_imported("checks", "CheckFailed")
    if check_failed is not None and isinstance(error, check_failed):
        return {"message": str(error), "check": error.as_dict()}
    data_file_error = _class_if_imported("datasets", "DataFileError")
    if data_file_error is not None and isinstance(error, data_file_error):
        return {"message": str(error), "check": None}
    message = _short(excinfo.exconly())
    if _is_missing_tinytorch(error):
        message = messages.with_hint(message, messages.tinytorch_not_importable(os.getcwd()))
    else:
        entry = excinfo.traceback[-1] if excinfo.traceback else None
        if entry is not None:
            message = messages.at_location(message, entry.path, entry.lineno + 1)
    return {"message": message, "check": None}


def _collect_error_message(report: pytest.CollectReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return _short(messages.at_location(crash.message, crash.path, crash.lineno))
    return _short(str(report.longrepr).strip().splitlines()[-1] if str(report.longrepr).strip() else report.nodeid)


class ResultCollector:
    """Gathers every test's result from pytest's own reports into plain JSON-ready data."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, Any]] = {}
        self.collected: list[str] = []
        self.call_passed: list[str] = []
        self.collection_errors: list[str] = []
        self.exitstatus: int | None = None
        self._failures: dict[tuple[str, str], dict[str, Any]] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):
        """Keep the exception object's details, which the serialisable report no longer has."""
        outcome = yield
        report = outcome.get_result()
        if report.failed and call.excinfo is not None:
            self._failures[(item.nodeid, call.when)] = failure_details(call.excinfo)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Fold one phase (setup, call, teardown) into the test's result."""
        entry = self.tests.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "outcome": "passed", "duration_s": 0.0,
            "message": None, "check": None, "metrics": {},
        })
        entry["duration_s"] = round(entry["duration_s"] + report.duration, 4)
        if report.when == "call" and report.passed:
            self.call_passed.append(report.nodeid)
        entry["metrics"].update({str(name): value for name, value in report.user_properties})
        if entry["outcome"] != "passed":
            return
        if report.failed:
            details = self._failures.pop((report.nodeid, report.when), None) or {"message": _short(report.longreprtext), "check": None}
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry.update(details)
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            entry["outcome"] = "skipped"
            entry["message"] = messages.test_skipped(reason.removeprefix("Skipped: "))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Note every test collected: a pass needs each of them to pass its call phase."""
        self.collected = [item.nodeid for item in session.items]

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Note files or tests that could not even be collected (syntax or import errors)."""
        if report.failed:
            self.collection_errors.append(_collect_error_message(report))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Remember how the session ended."""
        self.exitstatus = int(exitstatus)

    def results(self) -> dict[str, Any]:
        """Everything collected, as JSON-ready data (also which `tinytorch` was imported)."""
        tinytorch = sys.modules.get("tinytorch")
        return {
            "tests": list(self.tests.values()),
            "collected": list(self.collected),
            "call_passed": list(self.call_passed),
            "collection_errors": list(self.collection_errors),
            "exitstatus": self.exitstatus,
            "tinytorch_file": getattr(tinytorch, "__file__", None),
        }


class ChannelWriter(ResultCollector):
    """A collector that sends its results, as one line of JSON, to the open file descriptor `fd` when the session ends.

    The descriptor is closed afterwards; results too large for `MAX_REPORT_BYTES` are not sent
    (the runner then says pytest ended without reporting a result).
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Send the results once, then close the channel."""
        super().pytest_sessionfinish(session, exitstatus)
        if self._fd < 0:
            return
        line = (json.dumps(self.results(), ensure_ascii=True, default=str) + "\n").encode("ascii")
        fd, self._fd = self._fd, -1
        try:
            if len(line) <= MAX_REPORT_BYTES:
                with os.fdopen(fd, "wb", closefd=False) as channel:
                    channel.write(line)
        finally:
            os.close(fd)
