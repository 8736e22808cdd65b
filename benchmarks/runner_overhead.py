"""The verification runner's overhead over the same pytest child.

A worker process (`python runner_overhead.py worker PROJECT RUNS`) adds one milestone by API.md's
recipe whose `test_file` is a one-assert test in PROJECT, then alternates: `run_verification(...,
force=True, project_dir=PROJECT)` (pytest in a child, live output, the attempt recorded) and plain
`python -m pytest test_overhead.py::test_passes -q -p no:cacheprovider` from PROJECT with
third-party plugin autoloading off, as the runner starts its child. A one-assert test keeps the
difference from drowning in a learning test's seconds; the overhead does not depend on the test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import importtime
from bench_env import BenchmarkError, Context, isolated_env
from goals import RUNNER_OVERHEAD_MAX_MS, Row, Section, ms, verdict
from timing import interleaved, median_ms, run_json

MILESTONE_ID = "runner_overhead"
TEST_FILE, TEST_NAME = "test_overhead.py", "test_passes"
TEST_SOURCE = "def test_passes():\n    assert sum(range(10)) == 45\n"


def worker(project: Path, runs: int) -> dict[str, Any]:
    """Medians (ms) of the runner and of plain pytest on the same test, interleaved after one warm-up each;
    then one more run of each under PYTHONPROFILEIMPORTTIME (the runner's child passes its stderr lines to
    `on_output`; a child started with `python -I` ignores the variable and shows none)."""
    import tinytorch_milestones
    from tinytorch_milestones.services.verify import run_verification

    tinytorch_milestones.MILESTONES[MILESTONE_ID] = {
        "name": "2026 - Runner overhead",
        "requires": ["00_setup"],
        "test": TEST_NAME,
        "test_file": TEST_FILE,
        "description": "A one-assert test, to time the runner around pytest",
        "unlock_message": "🎉 You can now time the runner!",
    }
    tinytorch_milestones.MILESTONE_ORDER.append(MILESTONE_ID)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

    def runner() -> float:
        start = time.perf_counter()
        result = run_verification(MILESTONE_ID, force=True, project_dir=project)
        elapsed = time.perf_counter() - start
        if not result.passed:
            raise BenchmarkError(f"the runner did not pass {TEST_FILE}: {result}")
        return elapsed

    def plain() -> float:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", f"{TEST_FILE}::{TEST_NAME}", "-q", "-p",
                               "no:cacheprovider"], cwd=project, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise BenchmarkError(f"plain pytest failed on {TEST_FILE}: {done.stdout.strip().splitlines()[-1:]}")
        return elapsed

    runner()
    plain()
    runner_samples, plain_samples = interleaved(runs, runner, plain)
    os.environ["PYTHONPROFILEIMPORTTIME"] = "1"
    child_lines: list[str] = []
    run_verification(MILESTONE_ID, force=True, project_dir=project, on_output=child_lines.append)
    plain_profile = subprocess.run([sys.executable, "-m", "pytest", f"{TEST_FILE}::{TEST_NAME}", "-q", "-p",
                                    "no:cacheprovider"], cwd=project, env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
                                   capture_output=True, text=True).stderr
    return {"runner": median_ms(runner_samples), "pytest": median_ms(plain_samples),
            "child_profile": "\n".join(child_lines), "plain_profile": plain_profile}


def runner_overhead(context: Context) -> Section:
    """One row: the runner's time, plain pytest's, and the difference against issue 15's bound."""
    runs = context.runs(9, 2)
    root = context.folder("runner")
    project = root / "project"
    project.mkdir()
    (project / TEST_FILE).write_text(TEST_SOURCE, encoding="utf-8")
    env = isolated_env(root)
    found = run_json([sys.executable, str(Path(__file__).resolve()), "worker", str(project), str(runs)], env,
                     cwd=project)
    overhead = found["runner"] - found["pytest"]
    section = Section(
        "Verification runner",
        f"`run_verification` of a milestone added by API.md's recipe whose `test_file` holds one passing "
        f"assert, against plain `python -m pytest {TEST_FILE}::{TEST_NAME} -q -p no:cacheprovider` (plugin "
        f"autoloading off, as in the runner's child) from the same folder; wall times in one process, "
        f"medians of {runs} interleaved runs after a warm-up of each.")
    difference = f"{'+' if overhead >= 0 else '-'}{ms(abs(overhead))}"
    section.rows.append(Row("verification runner over the same pytest child", ms(found["runner"]),
                            f"{ms(found['pytest'])} (plain pytest)", difference,
                            f"< {RUNNER_OVERHEAD_MAX_MS:g} ms over", verdict(overhead < RUNNER_OVERHEAD_MAX_MS)))
    if "import time:" in found["child_profile"]:
        section.where_time_goes = [("Where the time goes, `-X importtime`: what the runner's child imports and "
                                    "plain pytest does not:",
                                    importtime.extra(found["child_profile"], found["plain_profile"]))]
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description="worker of runner_overhead.py; prints one JSON line")
    sub = parser.add_subparsers(dest="mode", required=True)
    work = sub.add_parser("worker")
    work.add_argument("project", type=Path)
    work.add_argument("runs", type=int)
    args = parser.parse_args()
    print(json.dumps(worker(args.project, args.runs)))


if __name__ == "__main__":
    main()
