"""Fresh-process figures: the core's cold import and the CLI's `progress` and `complete 01_tensor`, beside the original.

Every figure is the wall time of a new interpreter, as a student or tito pays it; medians of
interleaved runs, after one untimed run of each command to warm the bytecode caches.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import importtime
from bench_env import (BenchmarkError, Context, isolated_env, original_import_code, original_progress_file,
                       product_progress_file)
from goals import CLI_RATIO_MAX, IMPORT_RATIO_MAX, SKIPPED, Row, Section, ms, times, verdict
from timing import interleaved, median_ms, stderr_of, wall_s

# API.md's progress file, halfway through the course's first milestone and just before 01_tensor.
MID_COURSE = {"completed_modules": ["00_setup", "01_tensor", "02_autograd"],
              "unlocked_milestones": ["perceptron"], "completed_milestones": []}
BEFORE_TENSOR = {"completed_modules": ["00_setup"], "unlocked_milestones": [], "completed_milestones": []}


def product_cli() -> list[str]:
    """The `tinytorch-milestones` command of this interpreter's environment (or `python -m tinytorch_milestones`)."""
    script = Path(sys.executable).parent / "tinytorch-milestones"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tinytorch_milestones"]


def ratio_row(what: str, product_ms: float, original_ms: float | None, max_ratio: float) -> Row:
    """A figure beside the original's, judged by `product / original <= max_ratio`."""
    goal = f"≤ {max_ratio:g}x the original"
    if original_ms is None:
        return Row(what, ms(product_ms), "original not found", goal=goal, verdict=SKIPPED)
    ratio = product_ms / original_ms
    return Row(what, ms(product_ms), ms(original_ms), times(ratio), goal, verdict(ratio <= max_ratio))


def cold_import(context: Context) -> Section:
    """`import tinytorch_milestones` against loading the original by path, each minus `python -c pass`."""
    env = isolated_env(context.folder("cold-import"))
    commands = [[sys.executable, "-c", "pass"], [sys.executable, "-c", "import tinytorch_milestones"]]
    if context.original is not None:
        commands.append([sys.executable, "-c", original_import_code(context.original)])
    for command in commands:
        wall_s(command, env)
    runs = context.runs(15, 3)
    samples = interleaved(runs, *[lambda command=command: wall_s(command, env) for command in commands])
    bare, product = median_ms(samples[0]), median_ms(samples[1])
    original = median_ms(samples[2]) - bare if context.original is not None else None
    section = Section(
        "Core cold import",
        f"Wall time of `python -c \"import tinytorch_milestones\"` and of `python -c` loading the original by "
        f"path with importlib, each minus `python -c pass` ({ms(bare)}); medians of {runs} interleaved rounds.")
    section.rows.append(ratio_row("core cold import, above `python -c pass`", product - bare, original,
                                  IMPORT_RATIO_MAX))
    profile = stderr_of([sys.executable, "-X", "importtime", "-c", "import tinytorch_milestones"], env)
    section.where_time_goes = [("Where the time goes, `python -X importtime -c \"import tinytorch_milestones\"`:",
                                importtime.costliest(profile))]
    return section


def _write(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=2), encoding="utf-8")


def _recorded_tensor(path: Path) -> None:
    if "01_tensor" not in json.loads(path.read_text(encoding="utf-8"))["completed_modules"]:
        raise BenchmarkError(f"`complete 01_tensor` left {path} without 01_tensor")


def _cli_pair(context: Context, arguments: list[str], state: dict,
              check: Callable[[Path], None] | None, runs: int) -> tuple[float, float | None]:
    """Median ms of the product's and the original's command; each run starts from `state`."""
    product_env = isolated_env(context.folder("cli-product"))
    original_env = isolated_env(context.folder("cli-original"))
    product_file, original_file = product_progress_file(product_env), original_progress_file(original_env)

    def product() -> float:
        _write(product_file, state)
        elapsed = wall_s([*product_cli(), *arguments], product_env, cwd=Path(product_env["HOME"]))
        if check is not None:
            check(product_file)
        return elapsed

    def original() -> float:
        _write(original_file, state)
        elapsed = wall_s([sys.executable, str(context.original), *arguments], original_env,
                         cwd=Path(original_env["HOME"]))
        if check is not None:
            check(original_file)
        return elapsed

    measures = [product] if context.original is None else [product, original]
    for measure in measures:
        measure()
    samples = interleaved(runs, *measures)
    return median_ms(samples[0]), (median_ms(samples[1]) if len(samples) > 1 else None)


def cli(context: Context) -> Section:
    """`tinytorch-milestones progress` and `complete 01_tensor` against the original's `progress` and `complete`."""
    runs = context.runs(11, 2)
    section = Section(
        "CLI in a fresh process",
        f"Wall time of `tinytorch-milestones progress` and `tinytorch-milestones complete 01_tensor` against "
        f"the original's own command line (`python original_milestone_tracker.py progress` / `complete "
        f"01_tensor`, API.md's \"Testing the API\"), output to a pipe; before each run the progress file is "
        f"reset to the same API.md state (00-02 done for `progress`; 00_setup done for `complete`, so "
        f"01_tensor is new and written); medians of {runs} interleaved rounds.")
    progress = _cli_pair(context, ["progress"], MID_COURSE, None, runs)
    section.rows.append(ratio_row("CLI `progress`, fresh process", *progress, CLI_RATIO_MAX))
    complete = _cli_pair(context, ["complete", "01_tensor"], BEFORE_TENSOR, _recorded_tensor, runs)
    section.rows.append(ratio_row("CLI `complete 01_tensor`, fresh process", *complete, CLI_RATIO_MAX))
    env = isolated_env(context.folder("cli-profile"))
    _write(product_progress_file(env), MID_COURSE)
    profile = stderr_of([sys.executable, "-X", "importtime", "-m", "tinytorch_milestones", "progress"], env,
                        cwd=Path(env["HOME"]))
    section.where_time_goes = [("Where the time goes, `python -X importtime -m tinytorch_milestones progress`:",
                                importtime.costliest(profile))]
    return section
