"""Wall time of each milestone's component checks (numerical gradients, the optimizer's contract) on the
reference tinytorch; issue 9's budget is under 1 s per milestone.

    .venv/bin/python benchmarks/component_checks_bench.py [--runs 5] [--project-dir PATH]

Without --project-dir the reference is exported from notebooks/ into a temporary folder. The checks
run in a child process from the project folder that imports its tinytorch once; figures are medians.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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


def export_reference(into: Path) -> Path:
    """Export notebooks/NN_*.ipynb into `into`; return the project folder."""
    from tinytorch_milestones.services.export import export_notebook

    into.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        export_notebook(notebook, package_root=into)
    return into


def component_check_seconds(project: Path, runs: int) -> dict[str, float]:
    """Median wall time of each milestone's component checks (tinytorch already imported)."""
    completed = subprocess.run([sys.executable, "-c", COMPONENT_TIMER, str(runs)], cwd=project,
                               env={**os.environ, "PYTHONPATH": str(project)}, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"component checks failed:\n{completed.stderr[-2000:]}")
    return {line.split()[0]: float(line.split()[1]) for line in completed.stdout.splitlines()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per milestone (median reported)")
    parser.add_argument("--project-dir", type=Path, default=None, help="folder holding an exported tinytorch/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="component-bench-") as scratch:
        os.environ["TINYTORCH_HOME"] = str(Path(scratch) / "home")
        project = args.project_dir.resolve() if args.project_dir else export_reference(Path(scratch) / "project")
        print(f"reference: {project / 'tinytorch'}   runs: {args.runs}   python {sys.version.split()[0]}   cores: {os.cpu_count()}")
        for milestone_id, seconds in component_check_seconds(project, args.runs).items():
            print(f"component checks of {milestone_id:<12} {seconds:>6.3f} s (median; budget 1 s)")


if __name__ == "__main__":
    main()
