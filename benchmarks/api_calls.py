"""In-process API figures beside the original: `check_module_export` per call; the cost at 100 and 1,000 milestones.

Run by run_all.py; it starts this file as a worker (`python api_calls.py p50|scale ...`) so the
product and the original (loaded by path) share one fresh process with a throwaway HOME, and each
call of one is followed by the same call of the other. The product keeps its progress file in
TINYTORCH_HOME, the original in HOME/.tinytorch, so neither sees the other's file.

Synthetic milestones follow API.md's "Adding New Milestones" recipe: each is defined in
`MILESTONES` and appended to `MILESTONE_ORDER`, requires 00_setup, 01_tensor and a module of its
own (`105_synthetic_0000`, ...), so a course of N milestones has N + 3 modules.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from bench_env import BenchmarkError, Context, isolated_env, load_original
from hotspots import hottest
from goals import (CHECK_NEW_RATIO_MAX, CHECK_REPEAT_RATIO_MAX, SCALE_RATIO_MAX, SKIPPED, Row, Section, ms, times,
                   verdict)
from timing import interleaved, median_ms, run_json

SMALL, LARGE = 100, 1000
QUICK_SIZES = (10, 100)  # a --quick smoke run: the same code paths in seconds (not issue 15's sizes)
WORKER = Path(__file__).resolve()


# ---- the worker (runs in its own process) -------------------------------------------------------


def _timed(call: Callable[[], Any]) -> Callable[[], float]:
    def measure() -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start
    return measure


def _trackers(original_path: str | None) -> list[tuple[str, ModuleType, Path]]:
    """(name, tracker module, its progress file) for the product and, when given, the original."""
    import tinytorch_milestones

    found = [("product", tinytorch_milestones, Path(os.environ["TINYTORCH_HOME"]) / "progress.json")]
    if original_path:
        found.append(("original", load_original(Path(original_path)), Path.home() / ".tinytorch" / "progress.json"))
    return found


def _medians(names: list[str], samples: list[list[float]]) -> dict[str, float]:
    return {name: median_ms(values) for name, values in zip(names, samples)}


def worker_p50(original_path: str | None, rounds: int) -> dict[str, Any]:
    """Per call: a module not yet recorded (a write) and the same module again; every course module, `rounds` times."""
    from tinytorch_milestones.core.atomic_file import write_atomically

    trackers = _trackers(original_path)
    names = [name for name, _, _ in trackers]
    modules = sorted({module for definition in trackers[0][1].MILESTONES.values() for module in definition["requires"]})
    new: list[list[float]] = [[] for _ in trackers]
    repeat: list[list[float]] = [[] for _ in trackers]
    durable_write: list[float] = []
    product_file = trackers[0][2]
    alone = product_file.with_name("durable-write-alone.json")
    for _ in range(rounds):
        for _, _, progress_file in trackers:
            progress_file.unlink(missing_ok=True)
        for module in modules:
            calls = [_timed(lambda tracker=tracker: tracker.check_module_export(module)) for _, tracker, _ in trackers]
            for index, sample in enumerate(interleaved(1, *calls)):
                new[index] += sample
            written = product_file.read_bytes()
            durable_write.append(_timed(lambda: write_atomically(alone, written))())
            for index, sample in enumerate(interleaved(1, *calls)):
                repeat[index] += sample
    for name, _, progress_file in trackers:
        kept = json.loads(progress_file.read_text(encoding="utf-8"))["completed_modules"]
        if sorted(kept) != modules:
            raise BenchmarkError(f"the {name}'s progress file kept {kept}, not {modules}")
    product = trackers[0][1]
    cycle = itertools.cycle(modules)

    def record_next() -> None:
        module = next(cycle)
        if module == modules[0]:
            product_file.unlink(missing_ok=True)
        product.check_module_export(module)

    hot = {"new": hottest(record_next, 3 * len(modules)),
           "repeat": hottest(lambda: product.check_module_export(modules[-1]), 50)}
    return {"calls": rounds * len(modules), "new": _medians(names, new), "repeat": _medians(names, repeat),
            "durable_write": median_ms(durable_write), "hotspots": hot}


def _add_synthetic(milestones: dict[str, Any], order: list[str], total: int) -> list[tuple[str, str]]:
    """API.md's recipe until `order` holds `total` milestones; returns (id, own module) of each added one."""
    added = []
    for index in range(total - len(order)):
        milestone_id, module = f"synthetic_{index:04d}", f"{105 + index}_synthetic_{index:04d}"
        milestones[milestone_id] = {
            "name": f"{1900 + index % 100} - Synthetic breakthrough {index}",
            "requires": ["00_setup", "01_tensor", module],
            "test": f"test_synthetic_{index:04d}_learning",
            "description": f"Synthetic milestone {index} for the course-size benchmark",
            "unlock_message": "🎉 You can now measure a bigger course!",
        }
        order.append(milestone_id)
        added.append((milestone_id, module))
    return added


def worker_scale(original_path: str | None, total: int, samples: int) -> dict[str, Any]:
    """status(), the progress table and check_module_export (new and repeated module) with `total` milestones.

    `samples` calls of each (a third as many tables, which take seconds at 1,000). Start: half the
    synthetic milestones' modules done (those milestones unlocked), a quarter completed.
    """
    trackers = _trackers(original_path)
    names = [name for name, _, _ in trackers]
    added = []
    for _, tracker, _ in trackers:
        added = _add_synthetic(tracker.MILESTONES, tracker.MILESTONE_ORDER, total)
    half, quarter = len(added) // 2, len(added) // 4
    state = {
        "completed_modules": ["00_setup", "01_tensor", "02_autograd", *(module for _, module in added[:half])],
        "unlocked_milestones": ["perceptron", *(milestone_id for milestone_id, _ in added[:half])],
        "completed_milestones": ["perceptron", *(milestone_id for milestone_id, _ in added[:quarter])],
    }
    for _, _, progress_file in trackers:
        progress_file.parent.mkdir(parents=True, exist_ok=True)
        progress_file.write_text(json.dumps(state, indent=2), encoding="utf-8")
    product = trackers[0][1]
    last_name = product.MILESTONES[added[-1][0]]["name"]

    def table(tracker: ModuleType) -> None:
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            tracker.show_progress()
        if last_name not in shown.getvalue():
            raise BenchmarkError(f"the progress table at {total} milestones does not show {last_name!r}")

    status = median_ms(interleaved(samples, _timed(lambda: product.MilestoneTracker().status()))[0])
    tables = interleaved(max(3, samples // 3),
                         *[_timed(lambda tracker=tracker: table(tracker)) for _, tracker, _ in trackers])
    new: list[list[float]] = [[] for _ in trackers]
    for milestone_id, module in added[half:half + samples]:
        for index, (name, tracker, _) in enumerate(trackers):
            start = time.perf_counter()
            result = tracker.check_module_export(module)
            new[index].append(time.perf_counter() - start)
            if result["newly_unlocked"] != [milestone_id]:
                raise BenchmarkError(f"the {name} unlocked {result['newly_unlocked']} for {module}, not {milestone_id}")
    repeat = interleaved(samples, *[_timed(lambda tracker=tracker: tracker.check_module_export("01_tensor"))
                                    for _, tracker, _ in trackers])
    hot = {"status": hottest(lambda: product.MilestoneTracker().status(), 5),
           "repeat": hottest(lambda: product.check_module_export("01_tensor"), 5),
           "table": hottest(lambda: table(product), 1)}
    return {"milestones": len(product.MILESTONE_ORDER), "status": {"product": status},
            "table": _medians(names, tables), "new": _medians(names, new), "repeat": _medians(names, repeat),
            "hotspots": hot}


def main() -> None:
    parser = argparse.ArgumentParser(description="worker of api_calls.py; prints one JSON line")
    parser.add_argument("--original", default=None)
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("p50").add_argument("rounds", type=int)
    scale = sub.add_parser("scale")
    scale.add_argument("total", type=int)
    scale.add_argument("samples", type=int)
    args = parser.parse_args()
    if args.mode == "p50":
        result = worker_p50(args.original, args.rounds)
    else:
        result = worker_scale(args.original, args.total, args.samples)
    print(json.dumps(result))


# ---- the sections (run in run_all.py's process, which never imports the product) ----------------


def _worker(context: Context, *arguments: str) -> dict[str, Any]:
    env = isolated_env(context.folder("api"))
    original = ["--original", str(context.original)] if context.original is not None else []
    return run_json([sys.executable, str(WORKER), *original, *arguments], env, cwd=Path(env["HOME"]))


def check_module_export_p50(context: Context) -> Section:
    """p50 of `check_module_export` for a new module and for a module already recorded."""
    rounds = context.runs(30, 3)
    found = _worker(context, "p50", str(rounds))
    section = Section(
        "`check_module_export` per call",
        f"In one process, `check_module_export(module)` on each of the course's modules in order, then the "
        f"same module again, product and original alternately, from an empty progress file, {rounds} times "
        f"({found['calls']} calls of each kind). The product keeps its lock, fsync and atomic replace; the "
        f"original writes in place. p50 of each. After each new module the product's durable write "
        f"(`core.atomic_file.write_atomically`) of the same bytes is timed on its own, beside the original's "
        f"whole call: what no faster code can go below, and what a slower disk flush makes slower.")
    for kind, label, max_ratio in (("new", "new module (a write)", CHECK_NEW_RATIO_MAX),
                                   ("repeat", "module already recorded", CHECK_REPEAT_RATIO_MAX)):
        product, original = found[kind]["product"], found[kind].get("original")
        what = f"`check_module_export`, {label}, p50"
        goal = f"≤ {max_ratio:g}x the original"
        if original is None:
            section.rows.append(Row(what, ms(product), "original not found", goal=goal, verdict=SKIPPED))
        else:
            section.rows.append(Row(what, ms(product), ms(original), times(product / original), goal,
                                    verdict(product / original <= max_ratio)))
        if kind == "new":
            alone = found["durable_write"]
            section.rows.append(Row("the product's durable write alone (temporary file, fsync, rename, fsync of the "
                                    "folder), same bytes, p50", ms(alone), ms(original) if original else "–",
                                    times(alone / original) if original else "–"))
        section.where_time_goes.append((f"Where the time goes, {label}: the product's functions with the most "
                                        f"own time under cProfile:", found["hotspots"][kind]))
    return section


def course_size(context: Context) -> Section:
    """status(), check_module_export and the progress table at 1,000 milestones against 100."""
    samples = context.runs(11, 3)
    small, large = (SMALL, LARGE) if not context.quick else QUICK_SIZES
    at_small = _worker(context, "scale", str(small), str(samples))
    at_large = _worker(context, "scale", str(large), str(samples))
    section = Section(
        f"Course size: {small:,} and {large:,} milestones",
        f"API.md's recipe adds synthetic milestones (each requiring 00_setup, 01_tensor and a module of its "
        f"own) up to {small:,} and {large:,}, each size in a fresh process; half are unlocked, a quarter "
        f"completed. Medians of {samples} calls: `MilestoneTracker().status()`; `check_module_export` of a "
        f"module not yet recorded (each unlocks one milestone) and of `01_tensor` again; and of "
        f"{max(3, samples // 3)} calls of `show_progress()` (the progress table, printed to a buffer). The "
        f"ratio is the time at {large:,} over the time at {small:,}; a linear cost gives about "
        f"{large // small}x.")
    measures = (("status", "`status()`"), ("new", "`check_module_export`, new module"),
                ("repeat", "`check_module_export`, module already recorded"), ("table", "progress table"))
    for key, label in measures:
        product_small, product_large = at_small[key]["product"], at_large[key]["product"]
        ratio = product_large / product_small
        original = "–"
        if "original" in at_small[key]:
            original_small, original_large = at_small[key]["original"], at_large[key]["original"]
            original = (f"{ms(original_small)} → {ms(original_large)} "
                        f"({times(original_large / original_small)})")
        section.rows.append(Row(f"{label} at {small:,} → {large:,} milestones",
                                f"{ms(product_small)} → {ms(product_large)}", original, times(ratio),
                                f"≤ {SCALE_RATIO_MAX:g}x", verdict(ratio <= SCALE_RATIO_MAX)))
        if key in at_large["hotspots"]:
            section.where_time_goes.append((f"Where the time goes, {label} at {large:,} milestones: the "
                                            f"product's functions with the most own time under cProfile:",
                                            at_large["hotspots"][key]))
    return section


if __name__ == "__main__":
    main()
