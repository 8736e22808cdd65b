"""The result plugin's report file: written through the one atomic-write routine, read back defensively."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinytorch_milestones.core import atomic_file
from tinytorch_milestones.services.verify import plugin


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
