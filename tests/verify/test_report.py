"""The result plugin's report file: written through the one atomic-write routine, read back defensively."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinytorch_milestones.core import atomic_file
from tinytorch_milestones.services.verify import plugin
from tinytorch_milestones.services.verify.verdict import PytestRun, ReportError, judge, read_report


def test_the_report_is_written_through_the_one_atomic_write_routine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []

    def spy(path: Path, data: bytes | str) -> None:
        written.append(path)
        atomic_file.write_atomically(path, data)

    monkeypatch.setattr(plugin, "write_atomically", spy)
    report = tmp_path / "report.json"
    writer = plugin.ReportFileWriter(report)
    writer.tests["t.py::test_x"] = {"nodeid": "t.py::test_x", "outcome": "passed", "metrics": {"accuracy": "ü"}}
    writer.pytest_sessionfinish(None, 0)

    assert written == [report]
    assert json.loads(report.read_text(encoding="utf-8"))["tests"][0]["metrics"] == {"accuracy": "ü"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize(("content", "problem"), [
    (b'{"tests": [{"nodeid": "t", "outco', "invalid JSON at line 1, column 28: Unterminated string starting at"),
    (b"", "invalid JSON at line 1, column 1: Expecting value"),
    (b'{"tests": []}\xff', "not UTF-8 text"),
    (b"[]", "the report is not an object"),
    (b'{"tests": {}}', "tests is not a list"),
    (b'{"tests": [{"nodeid": "t"}]}', "tests[0].outcome is not text"),
    (b'{"tests": [{"outcome": "failed", "metrics": [1]}]}', "tests[0].metrics is not an object"),
    (b'{"tests": [], "collection_errors": [3]}', "collection_errors[0] is not text"),
    (b'{"tests": [], "tinytorch_file": 1}', "tinytorch_file is not text"),
])
def test_a_report_that_is_not_what_the_plugin_writes_is_refused_saying_why(tmp_path: Path, content: bytes, problem: str) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(content)
    with pytest.raises(ReportError) as refusal:
        read_report(report)
    assert str(refusal.value) == problem


def test_a_report_the_plugin_wrote_reads_back(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    writer = plugin.ReportFileWriter(report)
    writer.tests["t.py::test_x"] = {"nodeid": "t.py::test_x", "outcome": "failed", "duration_s": 0.1,
                                    "message": "m", "check": None, "metrics": {"accuracy": 0.5}}
    writer.collection_errors.append("SyntaxError")
    writer.pytest_sessionfinish(None, 1)
    assert read_report(report)["tests"][0]["metrics"] == {"accuracy": 0.5}


def test_an_unusable_report_makes_an_error_verdict_in_one_line() -> None:
    verdict = judge(PytestRun(None, 0, 1.0, report_problem="tests is not a list"), "t.py::test_x", 10.0)
    assert verdict.outcome == "error"
    assert verdict.message == "pytest's result report could not be read (tests is not a list); see the output above"
