"""Where the time of an in-process call goes: the functions with the most own time under cProfile."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path


def hottest(call: Callable[[], object], calls: int, limit: int = 5) -> list[str]:
    """Markdown bullets: the `limit` functions with the most own time over `calls` calls, per call.

    cProfile slows small functions down; read the list as an order, not as exact times.
    """
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:limit]
    lines = []
    for (file, line, function), (_, call_count, own_s, cumulative_s, _) in ranked:
        where = f" ({Path(file).parent.name}/{Path(file).name}:{line})" if line else ""
        lines.append(f"- `{function}`{where}: {own_s / calls * 1000:.3f} ms own, "
                     f"{cumulative_s / calls * 1000:.3f} ms with callees, called {call_count / calls:g}x per call")
    return lines
