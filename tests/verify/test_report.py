"""The result plugin's report: sent as one line down an inherited pipe, read back defensively."""

from __future__ import annotations

import os

import pytest

from tinytorch_milestones.services.verify import plugin
from tinytorch_milestones.services.verify.verdict import PytestRun, ReportError, judge, read_report


def _sent(writer_setup, exitstatus: int) -> bytes:
    """What a `ChannelWriter` sends down a real pipe when the session ends."""
    read_fd, write_fd = os.pipe()
    writer = plugin.ChannelWriter(write_fd)
    writer_setup(writer)
    writer.pytest_sessionfinish(None, exitstatus)
    with pytest.raises(OSError):
        os.fstat(write_fd)
    with os.fdopen(read_fd, "rb") as channel:
        return channel.read()


def test_the_report_is_one_line_of_json_and_the_channel_is_closed() -> None:
    def setup(writer: plugin.ChannelWriter) -> None:
        writer.tests["t.py::test_x"] = {"nodeid": "t.py::test_x", "outcome": "passed", "metrics": {"accuracy": "ü"}}
        writer.collected = ["t.py::test_x"]
        writer.call_passed = ["t.py::test_x"]

    sent = _sent(setup, 0)
    assert sent.endswith(b"\n") and sent.count(b"\n") == 1
    report = read_report(sent)
    assert report["tests"][0]["metrics"] == {"accuracy": "ü"}
    assert (report["collected"], report["call_passed"], report["exitstatus"]) == (["t.py::test_x"], ["t.py::test_x"], 0)


@pytest.mark.parametrize(("content", "problem"), [
    (b'{"tests": [{"nodeid": "t", "outco', "invalid JSON at line 1, column 28: Unterminated string starting at"),
    (b"", "invalid JSON at line 1, column 1: Expecting value"),
    (b'{"tests": []}\xff', "not UTF-8 text"),
    (b"[]", "the report is not an object"),
    (b'{"tests": {}}', "tests is not a list"),
    (b'{"tests": [{"nodeid": "t"}]}', "tests[0].outcome is not text"),
    (b'{"tests": [{"outcome": "failed", "metrics": [1]}]}', "tests[0].metrics is not an object"),
    (b'{"tests": [], "collection_errors": [3]}', "collection_errors[0] is not text"),
    (b'{"tests": [], "collected": "t.py::test_x"}', "collected is not a list"),
    (b'{"tests": [], "call_passed": [1]}', "call_passed[0] is not text"),
    (b'{"tests": [], "exitstatus": "0"}', "exitstatus is not a whole number"),
    (b'{"tests": [], "tinytorch_file": 1}', "tinytorch_file is not text"),
])
def test_a_report_that_is_not_what_the_plugin_writes_is_refused_saying_why(content: bytes, problem: str) -> None:
    with pytest.raises(ReportError) as refusal:
        read_report(content)
    assert str(refusal.value) == problem


def test_a_failed_report_the_plugin_sent_reads_back() -> None:
    def setup(writer: plugin.ChannelWriter) -> None:
        writer.tests["t.py::test_x"] = {"nodeid": "t.py::test_x", "outcome": "failed", "duration_s": 0.1,
                                        "message": "m", "check": None, "metrics": {"accuracy": 0.5}}
        writer.collection_errors.append("SyntaxError")

    report = read_report(_sent(setup, 1))
    assert report["tests"][0]["metrics"] == {"accuracy": 0.5}
    assert report["exitstatus"] == 1


def test_an_unusable_report_makes_an_error_verdict_in_one_line() -> None:
    verdict = judge(PytestRun(None, 0, 1.0, report_problem="tests is not a list"), "t.py::test_x", 10.0)
    assert verdict.outcome == "error"
    assert verdict.message == "pytest's result report could not be read (tests is not a list); see the output above"


PASSED = {"nodeid": "t.py::test_x", "outcome": "passed", "metrics": {}}


@pytest.mark.parametrize(("results", "returncode", "message"), [
    ({"tests": [PASSED], "collected": ["t.py::test_x"], "call_passed": ["t.py::test_x"], "exitstatus": 2}, 2,
     "pytest ended with exit status 2, not 0, so the verification did not run to a pass"),
    ({"tests": [], "collected": ["t.py::test_x"], "call_passed": [], "exitstatus": 0}, 0,
     "t.py::test_x did not run to the end (stopped early), so nothing was proven"),
    ({"tests": [PASSED], "collected": ["t.py::test_x", "t.py::test_y"], "call_passed": ["t.py::test_x"], "exitstatus": 0}, 0,
     "t.py::test_y did not run to the end (stopped early), so nothing was proven"),
    ({"tests": [], "collected": [], "call_passed": [], "exitstatus": 0}, 0, "no test t.py::test_x was found"),
    ({"tests": [PASSED], "collected": ["t.py::test_x"], "call_passed": ["t.py::test_x"], "exitstatus": 0}, 3,
     "the verification's process ended with exit code 3 after pytest finished"),
])
def test_a_pass_needs_status_zero_and_every_collected_test_passed_in_its_call(results, returncode, message) -> None:
    verdict = judge(PytestRun(results, returncode, 1.0), "t.py::test_x", 10.0)
    assert verdict.outcome == "error"
    assert verdict.message.startswith(message)


def test_every_collected_test_passed_with_status_zero_is_a_pass() -> None:
    results = {"tests": [PASSED], "collected": ["t.py::test_x"], "call_passed": ["t.py::test_x"], "exitstatus": 0}
    assert judge(PytestRun(results, 0, 1.0), "t.py::test_x", 10.0).outcome == "passed"
