"""Wall time of each milestone's verification on the reference tinytorch, and the runner's overhead.

For every milestone, medians of: `run_verification` (pytest in a child process, the default);
plain `python -m pytest NODE -q` from the same folder, as a student would type it; and plain pytest
with the runner's own arguments and environment but without its plugin, progress file or
streaming. The runner's overhead is its time minus the last. Also the whole five-milestone file
under plain pytest, and the component checks alone (`check_milestone`, in a child process that
imports the project's tinytorch once; the budget is under 1 s per milestone).

    .venv/bin/python benchmarks/verify_bench.py [--runs 5] [--project-dir PATH]

Without --project-dir the reference is exported from notebooks/ into a temporary folder. Progress
goes to a temporary TINYTORCH_HOME, never the real one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def export_reference(into: Path) -> Path:
    """Export notebooks/NN_*.ipynb into `into`; return the project folder."""
    from tinytorch_milestones.services.export import export_notebook

    into.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        export_notebook(notebook, package_root=into)
    return into


def plain_pytest_seconds(node_id: str, project: Path, same_as_runner: bool = False) -> float:
    """Wall time of pytest on NODE from the project folder; fails loudly if the test fails."""
    from tinytorch_milestones.services.verify.subprocess_run import child_environment
    from tinytorch_milestones.services.verify.target import pytest_arguments

    if same_as_runner:
        arguments, env = pytest_arguments(node_id), child_environment(project)
    else:
        arguments, env = [node_id, "-q", "-p", "no:cacheprovider"], {**os.environ, "PYTHONPATH": str(project)}
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "pytest", *arguments],
                               cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"plain pytest failed on {node_id}:\n{completed.stdout[-2000:]}")
    return elapsed


COMPONENT_TIMER = """
import statistics, sys, time
from tinytorch_milestones.services.verify.components import MILESTONE_COMPONENTS, check_milestone
for milestone in MILESTONE_COMPONENTS:
    times = []
    for run in range(int(sys.argv[1])):
        start = time.perf_counter()
        check_milestone(milestone, 1957 + run)
        times.append(time.perf_counter() - start)
    print(milestone, statistics.median(times))
"""


def component_check_seconds(project: Path, runs: int) -> dict[str, float]:
    """Median wall time of each milestone's component checks (tinytorch already imported)."""
    completed = subprocess.run([sys.executable, "-c", COMPONENT_TIMER, str(runs)], cwd=project,
                               env={**os.environ, "PYTHONPATH": str(project)}, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"component checks failed:\n{completed.stderr[-2000:]}")
    return {line.split()[0]: float(line.split()[1]) for line in completed.stdout.splitlines()}


def runner_seconds(milestone_id: str, project: Path) -> float:
    """Wall time of one `run_verification` call; fails loudly unless it passed."""
    from tinytorch_milestones.services.verify import run_verification

    start = time.perf_counter()
    result = run_verification(milestone_id, force=True, project_dir=project)
    elapsed = time.perf_counter() - start
    if not result.passed:
        raise SystemExit(f"verification failed:\n{result}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (the median is shown)")
    parser.add_argument("--project-dir", type=Path, default=None, help="folder holding an exported tinytorch/")
    args = parser.parse_args()

    from tinytorch_milestones.core.registry import milestones
    from tinytorch_milestones.services.verify.target import SHIPPED_TESTS, node_id_for

    with tempfile.TemporaryDirectory(prefix="verify-bench-") as scratch:
        os.environ["TINYTORCH_HOME"] = str(Path(scratch) / "home")
        project = args.project_dir.resolve() if args.project_dir else export_reference(Path(scratch) / "project")
        print(f"reference: {project / 'tinytorch'}   runs: {args.runs}   python {sys.version.split()[0]}   cores: {os.cpu_count()}")
        print(f"{'milestone':<12} {'runner':>8} {'plain pytest':>13} {'same args':>10} {'overhead':>9}   (seconds)")
        total_runner = 0.0
        for milestone in milestones():
            node_id = node_id_for(milestone, project)
            runner = statistics.median(runner_seconds(milestone.id, project) for _ in range(args.runs))
            plain = statistics.median(plain_pytest_seconds(node_id, project) for _ in range(args.runs))
            same = statistics.median(plain_pytest_seconds(node_id, project, same_as_runner=True) for _ in range(args.runs))
            total_runner += runner
            print(f"{milestone.id:<12} {runner:>8.2f} {plain:>13.2f} {same:>10.2f} {runner - same:>9.2f}")
        whole = statistics.median(plain_pytest_seconds(str(SHIPPED_TESTS), project) for _ in range(args.runs))
        print(f"five verifications through the runner, one after another: {total_runner:.2f} s")
        print(f"the whole learning-test file under plain pytest: {whole:.2f} s")
        for milestone_id, seconds in component_check_seconds(project, args.runs).items():
            print(f"component checks of {milestone_id:<12} {seconds:>6.3f} s (median)")


if __name__ == "__main__":
    main()
