"""The instructors' commands at class scale: the class view over 1,000 progress files, and grading.

Class view: 1,000 progress files (complete, partial, every 25th damaged) read by `class_rows`, cold
(first read) and warm (median of 5; wall and this process's CPU time, which a busy machine
inflates less), plus `tinytorch-milestones class --json` as a whole process.

Grading: N synthetic submissions (copies of the reference package exported from notebooks/, each
made unique by a comment so none shares a verification; every 10th hand-edited so its optimizer never
updates) graded for one milestone with `--jobs J`: the total wall time, the time of the
verification alone (median of 3 direct calls), the per-submission overhead of grading over it
(total x jobs / N - verification), a re-run from the cache, and the same grading on a local Dask
cluster (127.0.0.1, J single-threaded worker processes) with a check that its results are identical.

    .venv/bin/python benchmarks/grading_bench.py [--submissions 200] [--jobs 2] [--milestone perceptron]
                                                 [--class-files 1000] [--no-dask]

Everything happens in a temporary folder; progress goes to a temporary TINYTORCH_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BROKEN = "\nSGD.step = lambda self: None  # hand-edited: the optimizer never updates\n"


def export_reference(into: Path) -> Path:
    """Export notebooks/NN_*.ipynb into `into`; return its `tinytorch/` folder."""
    from tinytorch_milestones.services.export import export_notebook

    into.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        export_notebook(notebook, package_root=into)
    return into / "tinytorch"


def _progress(index: int) -> bytes:
    from tinytorch_milestones.core.registry import milestone_ids, module_names

    if index % 25 == 0:
        return b'{"completed_modules": ["00_set'
    modules = module_names()[: 1 + index % len(module_names())]
    completed = milestone_ids()[: index % (len(milestone_ids()) + 1)]
    stamp = "2026-12-01T09:30:00+00:00"
    return json.dumps({"completed_modules": modules, "unlocked_milestones": completed, "completed_milestones": completed,
                       "schema_version": 2, "timestamps": {"modules": {m: stamp for m in modules}, "unlocked": {},
                                                            "completed": {m: stamp for m in completed}},
                       "verifications": {m: [{"time": stamp, "outcome": "passed"}] for m in completed}}).encode()


def bench_class_view(root: Path, files: int) -> None:
    from tinytorch_milestones.services.classroom.class_view import class_rows

    homes = root / "home"
    for index in range(files):
        file = homes / f"student{index:04d}" / ".tinytorch" / "progress.json"
        file.parent.mkdir(parents=True)
        file.write_bytes(_progress(index))
    pattern = str(homes / "*" / ".tinytorch" / "progress.json")
    start = time.perf_counter()
    rows = class_rows([pattern])
    cold = time.perf_counter() - start
    warm, warm_cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        class_rows([pattern])
        warm.append(time.perf_counter() - start)
        warm_cpu.append(time.process_time() - start_cpu)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tinytorch_milestones", "class", pattern, "--json"],
                          capture_output=True, text=True)
    process = time.perf_counter() - start
    assert done.returncode == 0 and len(json.loads(done.stdout)) == files, done.stderr
    problems = sum(row.problem is not None for row in rows)
    print(f"class view, {files} files ({problems} damaged): cold {cold:.3f} s, warm median {statistics.median(warm):.3f} s "
          f"(min {min(warm):.3f}; CPU {statistics.median(warm_cpu):.3f} s); `class --json` as a process {process:.3f} s; "
          f"load average {os.getloadavg()[0]:.1f}")


def make_submissions(root: Path, reference: Path, count: int) -> list[Path]:
    folders = []
    for index in range(count):
        folder = root / f"student{index:03d}"
        shutil.copytree(reference, folder / "tinytorch", ignore=shutil.ignore_patterns("__pycache__"))
        with (folder / "tinytorch" / "core" / "autograd.py").open("a") as stream:
            stream.write(f"\n# submission {index}\n" + (BROKEN if index % 10 == 0 else ""))
        folders.append(folder)
    return folders


def verification_alone(project: Path, milestone: str, runs: int = 3) -> float:
    from tinytorch_milestones.services.classroom.grading_cell import verify_milestone

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = verify_milestone(milestone, project, timeout=600)
        times.append(time.perf_counter() - start)
        assert result.passed, result
    return statistics.median(times)


def grade_cli(root: Path, milestone: str, jobs: int, cache: Path, executor: str | None = None) -> tuple[float, list]:
    command = [sys.executable, "-m", "tinytorch_milestones", "grade", str(root / "student*"), "--milestone", milestone,
               "--jobs", str(jobs), "--cache", str(cache), "--json"]
    if executor:
        command += ["--executor", executor]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading failed:\n{done.stderr[-3000:]}")
    return elapsed, json.loads(done.stdout)


def bench_grading(root: Path, reference: Path, count: int, jobs: int, milestone: str, dask: bool) -> None:
    submissions = root / "submissions"
    folders = make_submissions(submissions, reference, count)
    alone = verification_alone(folders[1], milestone)
    total, rows = grade_cli(submissions, milestone, jobs, root / "cache-local.json")
    failed = sum(row["milestones"][milestone]["verified"] is False for row in rows)
    per_submission = total * jobs / count
    print(f"grading {count} submissions ({milestone}, --jobs {jobs}): {total:.1f} s total, {failed} not verified; "
          f"verification alone {alone:.2f} s; per submission {per_submission:.2f} s of a worker, "
          f"overhead {per_submission - alone:+.2f} s")
    again, cached_rows = grade_cli(submissions, milestone, jobs, root / "cache-local.json")
    assert cached_rows == rows
    print(f"re-run from the cache: {again:.2f} s, identical results")
    if not dask:
        return
    from distributed import LocalCluster

    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        url = cluster.scheduler_address.replace("tcp://", "dask://")
        on_dask, dask_rows = grade_cli(submissions, milestone, jobs, root / "cache-dask.json", executor=url)
    print(f"Dask LocalCluster ({jobs} workers): {on_dask:.1f} s total; results identical to the local pool: "
          f"{dask_rows == rows}")
    assert dask_rows == rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--milestone", default="perceptron")
    parser.add_argument("--class-files", type=int, default=1000)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as folder:
        root = Path(folder)
        os.environ["TINYTORCH_HOME"] = str(root / "tinytorch-home")
        os.environ["MPLCONFIGDIR"] = str(root / "mpl")
        bench_class_view(root, args.class_files)
        reference = export_reference(root / "reference")
        bench_grading(root, reference, args.submissions, args.jobs, args.milestone, not args.no_dask)
    return 0


if __name__ == "__main__":
    sys.exit(main())
