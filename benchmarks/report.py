"""The results as Markdown (benchmarks/RESULTS.md) and as a plain table on the terminal."""

from __future__ import annotations

from goals import FAIL, PASS, Row, Section

HEADER = ("what", "product", "original / baseline", "ratio", "goal (issue 15)", "result")


def _cells(row: Row) -> tuple[str, ...]:
    return (row.what, row.product, row.baseline, row.ratio, row.goal, row.verdict)


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def markdown(sections: list[Section], run: dict[str, str]) -> str:
    """RESULTS.md: when, how and where it ran, one table of every figure, then method and import costs per section."""
    rows = [row for section in sections for row in section.rows]
    lines = [
        "# Benchmarks: tinytorch-milestones beside the original tracker",
        "",
        f"Measured {run['date']} with `{run['command']}` in {run['duration']}.",
        f"{run['python']} on {run['os']}; {run['cores']} cores, {run['cpu']}; load average {run['load']}.",
        f"Original: {run['original']}.",
        "Wall-clock medians of interleaved runs (product, original, product, original, ...). "
        "Goals are issue 15's; `info` rows have none of their own.",
        "",
        f"**{summary(rows)}**",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
        *("| " + " | ".join(_escape(cell) for cell in _cells(row)) + " |" for row in rows),
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", "", section.method, ""]
        for heading, bullets in section.where_time_goes:
            lines += [heading, "", *bullets, ""]
    return "\n".join(lines).rstrip() + "\n"


def summary(rows: list[Row]) -> str:
    """"N of M goals pass" plus the failing and broken figures."""
    judged = [row for row in rows if row.verdict in (PASS, FAIL)]
    passed = sum(row.verdict == PASS for row in judged)
    text = f"{passed} of {len(judged)} goals pass"
    others = sorted({row.verdict for row in rows} - {PASS, FAIL, "info"})
    return text + "".join(f"; {sum(row.verdict == other for row in rows)} {other}" for other in others)


def terminal(sections: list[Section]) -> str:
    """The table as aligned plain text, the result first so a failing goal stands out."""
    shown = [(cells[-1], *cells[:-1]) for cells in [HEADER, *(_cells(row) for s in sections for row in s.rows)]]
    widths = [max(len(cells[index]) for cells in shown) for index in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in shown)
