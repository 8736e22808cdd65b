"""`benchmarks/run_all.py --quick` still runs every benchmark and writes its results file (no timing is asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

RUN_ALL = Path(__file__).resolve().parents[2] / "benchmarks" / "run_all.py"
FIGURES = [
    "core cold import",
    "CLI `progress`, fresh process",
    "CLI `complete 01_tensor`, fresh process",
    "`check_module_export`, new module (a write), p50",
    "the product's durable write alone",
    "`check_module_export`, module already recorded, p50",
    "first `%milestones export`, fresh kernel, venv without JupyterLab",
    "first `%milestones export`, fresh kernel, venv with JupyterLab",
    "`status()` at",
    "`check_module_export`, new module at",
    "`check_module_export`, module already recorded at",
    "progress table at",
    "verification runner over the same pytest child",
]
RESULTS = {"PASS", "FAIL", "info", "skipped"}


def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUN_ALL), *arguments], cwd=cwd, env=dict(os.environ),
                          capture_output=True, text=True, timeout=600)


def test_quick_run_measures_every_figure_and_writes_the_results_table(tmp_path: Path) -> None:
    output = tmp_path / "out" / "RESULTS.md"
    done = _run("--quick", "--output", str(output), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = output.read_text(encoding="utf-8")
    assert "--quick" in text.splitlines()[2]
    assert re.search(r"CPython 3\.\d+\.\d+ on .+; \d+ cores, ", text)
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| what ")]
    for figure in FIGURES:
        matching = [row for row in rows if figure in row]
        assert len(matching) == 1, f"{figure!r} rows: {matching}"
        assert matching[0].rstrip(" |").rsplit("| ", 1)[1] in RESULTS, matching[0]
    assert len(rows) == len(FIGURES)
    assert re.search(r"\*\*\d+ of \d+ goals pass", text)
    for figure in FIGURES:
        assert figure in done.stdout
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_a_missing_original_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _run("--original", str(tmp_path / "nowhere.py"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith(f"--original {tmp_path / 'nowhere.py'}: no such file")
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []
