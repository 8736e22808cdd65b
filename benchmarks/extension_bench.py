"""Notebook extension timings: `%load_ext tinytorch_milestones` in a fresh process, and building the progress view.

Run: python benchmarks/extension_bench.py   (uses a throwaway TINYTORCH_HOME; never the real one)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

RUNS = 7
WARM_ROUNDS = 50

_FRESH_PROCESS = textwrap.dedent("""
    import time
    from IPython.core.interactiveshell import InteractiveShell
    from tinytorch_milestones.core.tracker import MilestoneTracker
    for module in ("00_setup", "01_tensor", "02_autograd"):
        MilestoneTracker().mark_module_complete(module)
    shell = InteractiveShell.instance()
    start = time.perf_counter()
    shell.run_line_magic("load_ext", "tinytorch_milestones")
    loaded = time.perf_counter()
    from tinytorch_milestones.frontends.views.milestones_view import MilestonesView
    view = MilestonesView("progress", mode="widgets")
    view._repr_mimebundle_()
    built = time.perf_counter()
    print(loaded - start, built - loaded)
""")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_fresh_process(home: str) -> tuple[float, float]:
    """Median ms of `%load_ext` and of the first progress view (widget, HTML, text) in a fresh interpreter."""
    loads, builds = [], []
    for _ in range(RUNS):
        completed = subprocess.run([sys.executable, "-c", _FRESH_PROCESS], capture_output=True, text=True, check=True,
                                   env={**os.environ, "TINYTORCH_HOME": home})
        load, build = map(float, completed.stdout.split())
        loads.append(load)
        builds.append(build)
    return _median_ms(loads), _median_ms(builds)


def bench_warm_view() -> tuple[float, float, float]:
    """Median ms, in a warm process, to build a progress view with all three forms, to refresh it, and to find it unchanged."""
    from tinytorch_milestones.core.tracker import MilestoneTracker
    from tinytorch_milestones.frontends.views.milestones_view import MilestonesView

    builds, refreshes, checks = [], [], []
    for _ in range(WARM_ROUNDS):
        start = time.perf_counter()
        view = MilestonesView("progress", mode="widgets", live=False)
        view._repr_mimebundle_()
        builds.append(time.perf_counter() - start)
        MilestoneTracker().reset()
        start = time.perf_counter()
        view.refresh_if_stale()
        refreshes.append(time.perf_counter() - start)
        start = time.perf_counter()
        view.refresh_if_stale()
        checks.append(time.perf_counter() - start)
        view.widget.close()
    return _median_ms(builds), _median_ms(refreshes), _median_ms(checks)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TINYTORCH_HOME"] = home
        load, first_build = bench_fresh_process(home)
        build, refresh, check = bench_warm_view()
    print(f"%load_ext tinytorch_milestones, fresh process:             median {load:.1f} ms over {RUNS} runs")
    print(f"first progress view (widget+HTML+text), fresh process:     median {first_build:.1f} ms over {RUNS} runs")
    print(f"progress view (widget+HTML+text), warm process:            median {build:.2f} ms over {WARM_ROUNDS} builds")
    print(f"live refresh after the progress file changed:              median {refresh:.2f} ms over {WARM_ROUNDS} refreshes")
    print(f"live check of an unchanged progress file (per view, tick): median {check * 1000:.0f} µs over {WARM_ROUNDS} checks")


if __name__ == "__main__":
    main()
