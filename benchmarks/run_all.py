"""Every figure of issue 15, the product beside the original tracker, judged against the issue's goals.

    .venv/bin/python benchmarks/run_all.py            # everything; writes benchmarks/RESULTS.md (a few minutes)
    .venv/bin/python benchmarks/run_all.py --quick    # a smoke run with few rounds and small sizes, no JupyterLab venv

The original is found as `shared/anchors/original_milestone_tracker.py` beside an ancestor folder of
this checkout (or given with --original); without it, only the product's figures are measured. All
progress files, kernels and IPython folders live in a temporary folder, never the real home.
The venv with JupyterLab (`benchmarks/.venv-lab`) is built on first use and reused after.

Exit status: 0 when every benchmark ran (whatever its goal says), 1 when one could not run, 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import api_calls
import first_export
import fresh_process
import report
import runner_overhead
from bench_env import BENCH, REPO, BenchmarkError, Context, copy_original, find_original, machine
from goals import ERROR, Row, Section

FULL_OUTPUT = BENCH / "RESULTS.md"
QUICK_OUTPUT = BENCH / "results" / "RESULTS-quick.md"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


BENCHMARKS: list[tuple[str, Callable[[Context], Section]]] = [
    ("core cold import", fresh_process.cold_import),
    ("CLI in a fresh process", fresh_process.cli),
    ("check_module_export per call", api_calls.check_module_export_p50),
    ("first %milestones export", lambda context: first_export.first_export(context, _say)),
    ("course size", api_calls.course_size),
    ("verification runner", runner_overhead.runner_overhead),
]


def _shown(path: Path) -> str:
    return os.path.relpath(path, Path.cwd()) if path.is_absolute() else str(path)


def run(context: Context) -> list[Section]:
    """Each benchmark in turn; one that cannot run becomes an ERROR row saying why, and the others go on."""
    sections = []
    for title, benchmark in BENCHMARKS:
        _say(f"== {title}")
        start = time.perf_counter()
        try:
            section = benchmark(context)
        except Exception as error:  # a broken benchmark is reported, and the rest still measured
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            section = Section(title, f"Could not run: {reason}", [Row(title, "–", verdict=ERROR)])
        _say(f"   {time.perf_counter() - start:.1f} s")
        sections.append(section)
    return sections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, small course sizes, no JupyterLab venv")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"where to write the results (default {_shown(FULL_OUTPUT)}, "
                             f"or {_shown(QUICK_OUTPUT)} with --quick)")
    parser.add_argument("--original", type=Path, default=None, metavar="PATH",
                        help="the original milestone_tracker.py (default: shared/anchors/ beside this checkout)")
    args = parser.parse_args(argv)
    try:
        original = find_original(args.original)
    except BenchmarkError as error:
        parser.error(str(error))
    output = args.output or (QUICK_OUTPUT if args.quick else FULL_OUTPUT)
    if output.is_dir():
        parser.error(f"--output {output}: is a folder; give a file path such as {output / 'RESULTS.md'}")
    started, start, load_before = datetime.now(timezone.utc), time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tinytorch-bench-") as scratch:
        copy = copy_original(original, Path(scratch)) if original is not None else None
        sections = run(Context(Path(scratch), copy, args.quick))
    command = " ".join([_shown(Path(sys.executable)), _shown(Path(__file__).resolve()), *(argv or sys.argv[1:])])
    details = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "duration": f"{time.perf_counter() - start:.0f} s",
        "load": f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        "original": (f"`{os.path.relpath(original, REPO)}` (MIT, loaded by path)" if original is not None
                     else "not found (only the product was measured)"),
        **machine(),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report.markdown(sections, details), encoding="utf-8")
    rows = [row for section in sections for row in section.rows]
    print(report.terminal(sections))
    print(f"\n{report.summary(rows)}; {details['duration']}; written to {_shown(output)}")
    for section in sections:
        if any(row.verdict == ERROR for row in section.rows):
            print(f"{section.title}: {section.method}", file=sys.stderr)
    return 1 if any(row.verdict == ERROR for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
