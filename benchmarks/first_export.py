"""The first `%milestones export` in a fresh kernel, in a venv without JupyterLab and in one with it.

For each run: a new project folder (a `pyproject.toml` marker and a copy of the course's
`01_tensor.ipynb`), a new throwaway home, and a fresh kernel started by jupyter_client from the venv
being measured (`python first_export.py drive PROJECT`, run by that venv's Python). In the kernel,
after `%load_ext tinytorch_milestones`, one cell times `%milestones export 01_tensor.ipynb` with
`time.perf_counter()`. The run counts only if the module landed in `tinytorch/` and in the progress
file. With `--profile` the kernel runs under `PYTHONPROFILEIMPORTTIME`; the import lines the export
caused are read back from the kernel's captured stderr between two markers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import importtime
from bench_env import REPO, BenchmarkError, Context, isolated_env, lab_python, product_progress_file
from goals import EXPORT_LAB_MAX_MS, EXPORT_LAB_RATIO_MAX, SKIPPED, Row, Section, ms, times, verdict
from timing import interleaved, median_ms, run_json

NOTEBOOK = "01_tensor.ipynb"
START, END, ELAPSED, PREFIX = "<<bench-export-start>>", "<<bench-export-end>>", "<<bench-elapsed>>", "<<bench-prefix>>"
CELLS = [
    "%load_ext tinytorch_milestones",
    "import os as _os, time as _time\n"
    f"_os.write(2, b'{START}\\n')\n"
    "_bench_start = _time.perf_counter()\n"
    f"%milestones export {NOTEBOOK}\n"
    "_bench_elapsed = _time.perf_counter() - _bench_start\n"
    f"_os.write(2, b'{END}\\n')",
    f"import sys as _sys\n_time.sleep(0.3)\nprint('{ELAPSED}', _bench_elapsed)\nprint('{PREFIX}', _sys.prefix)",
]


# ---- the driver (runs under the measured venv's Python) -----------------------------------------


def drive(project: Path) -> dict:
    """Run the cells in a fresh kernel of this venv (jupyter_client, as a notebook server starts one).

    Returns the export's seconds as the kernel measured them, the kernel's `sys.prefix` and its stderr text.
    Exits with the cell's error if a cell fails.
    """
    from jupyter_client.manager import start_new_kernel

    streams: dict[str, list[str]] = {"stdout": [], "stderr": []}

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            streams[message["content"]["name"]].append(message["content"]["text"])

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(project))
    try:
        for source in CELLS:
            reply = client.execute_interactive(source, timeout=300, output_hook=collect)
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"cell {source.splitlines()[0]!r} failed: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    stdout = "".join(streams["stdout"])
    marked = dict(line.split(" ", 1) for line in stdout.splitlines() if line.startswith((ELAPSED, PREFIX)))
    if ELAPSED not in marked:
        raise SystemExit(f"the export cell printed no time; output: {stdout[-300:]!r}")
    return {"elapsed_s": float(marked[ELAPSED]), "prefix": marked.get(PREFIX, ""), "stderr": "".join(streams["stderr"])}


# ---- the section (runs in run_all.py's process) ---------------------------------------------------


def _project(context: Context, name: str) -> tuple[Path, dict[str, str]]:
    root = context.folder(name)
    project = root / "project"
    project.mkdir()
    marker = '[project]\nname = "student-project"\nversion = "0"\n'
    (project / "pyproject.toml").write_text(marker, encoding="utf-8")
    shutil.copy2(REPO / "notebooks" / NOTEBOOK, project / NOTEBOOK)
    return project, isolated_env(root)


def _export_once(context: Context, python: Path, name: str, profile: bool = False) -> dict:
    project, env = _project(context, name)
    if profile:
        env["PYTHONPROFILEIMPORTTIME"] = "1"
    found = run_json([str(python), str(Path(__file__).resolve()), "drive", str(project)], env, cwd=project)
    exported = list((project / "tinytorch").rglob("*.py")) if (project / "tinytorch").is_dir() else []
    progress = product_progress_file(env)
    state = json.loads(progress.read_text(encoding="utf-8")) if progress.is_file() else {}
    recorded = "01_tensor" in state.get("completed_modules", [])
    if Path(found["prefix"]).resolve() != python.parent.parent.resolve():
        raise BenchmarkError(f"the kernel ran in {found['prefix']!r}, not in the venv of {python}")
    if not exported or not recorded:
        raise BenchmarkError(f"`%milestones export` in {project} wrote {len(exported)} module files and "
                             f"{'recorded' if recorded else 'did not record'} 01_tensor")
    return found


def _between_markers(stderr: str) -> str:
    start, end = stderr.find(START), stderr.find(END)
    return stderr[start + len(START):end] if 0 <= start < end else ""


def first_export(context: Context, say: Callable[[str], None]) -> Section:
    """Rows for the export without JupyterLab (this venv) and with it (`benchmarks/.venv-lab`)."""
    runs = context.runs(5, 1)
    plain = Path(sys.executable)
    lab = None if context.quick else lab_python(say)
    section = Section(
        "First `%milestones export` in a fresh kernel",
        f"A fresh kernel per run (started by jupyter_client, as a notebook server does), a new project "
        f"folder and home each time; the time of the cell running `%milestones export {NOTEBOOK}` inside "
        f"the kernel (not the kernel's start). Without JupyterLab: this venv; with JupyterLab: "
        f"`benchmarks/.venv-lab` (JupyterLab from PyPI, this checkout editable). Medians of {runs} "
        f"interleaved runs.")
    pythons = [plain] if lab is None else [plain, lab]
    samples = interleaved(runs, *[lambda python=python: _export_once(context, python, "export")["elapsed_s"]
                                  for python in pythons])
    without = median_ms(samples[0])
    section.rows.append(Row("first `%milestones export`, fresh kernel, venv without JupyterLab", ms(without)))
    what = "first `%milestones export`, fresh kernel, venv with JupyterLab"
    goal = f"< {EXPORT_LAB_MAX_MS:g} ms and ≤ {EXPORT_LAB_RATIO_MAX:g}x without"
    if lab is None:
        section.rows.append(Row(what, "not run (--quick)", goal=goal, verdict=SKIPPED))
        return section
    with_lab = median_ms(samples[1])
    ratio = with_lab / without
    section.rows.append(Row(what, ms(with_lab), f"{ms(without)} (without JupyterLab)", times(ratio), goal,
                            verdict(with_lab < EXPORT_LAB_MAX_MS and ratio <= EXPORT_LAB_RATIO_MAX)))
    profiled = _export_once(context, lab, "export-profile", profile=True)
    section.where_time_goes = [("Where the time goes, `-X importtime` in the kernel: what the export imports "
                                "in the venv with JupyterLab:",
                                importtime.costliest(_between_markers(profiled["stderr"]), skip_start_up=False))]
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description="driver of first_export.py; prints one JSON line")
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("drive").add_argument("project", type=Path)
    args = parser.parse_args()
    print(json.dumps(drive(args.project)))


if __name__ == "__main__":
    main()
