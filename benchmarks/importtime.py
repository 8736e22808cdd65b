"""Where import time goes: read `python -X importtime` output and name the costliest third-party imports.

Each line of that output is `import time: self [us] | cumulative | name`, the name indented two
spaces per nesting level, and a module's line comes after the lines of what it imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OWN_PACKAGES = ("tinytorch_milestones", "milestone_tracker")
_PREFIX = "import time:"


@dataclass
class Entry:
    """One imported module: its own time, its time with everything it imported, and those imports."""

    name: str
    self_us: int
    cumulative_us: int
    children: list[Entry] = field(default_factory=list)

    @property
    def own(self) -> bool:
        """Whether this is a module of our package."""
        return self.name.split(".")[0] in OWN_PACKAGES


def parse(text: str) -> list[Entry]:
    """The top-level imports of `-X importtime` output, each with its tree; other lines are ignored."""
    pending: dict[int, list[Entry]] = {}
    for line in text.splitlines():
        if not line.startswith(_PREFIX):
            continue
        fields = line[len(_PREFIX):].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue
        raw = fields[2].rstrip()
        level = (len(raw) - len(raw.lstrip()) - 1) // 2
        entry = Entry(raw.strip(), int(fields[0]), int(fields[1]), pending.pop(level + 1, []))
        pending.setdefault(level, []).append(entry)
    return pending.get(0, [])


def _bullet(entry: Entry, importer: str) -> str:
    source = f"imported by `{importer}`" if importer else "a top-level import"
    return f"- `{entry.name}` {entry.cumulative_us / 1000:.1f} ms ({source})"


def costliest(text: str, limit: int = 6, skip_start_up: bool = True) -> list[str]:
    """Markdown bullets: the `limit` costliest imports that are not ours, each with the module of ours that
    pulled it in, then the total. With `skip_start_up`, top-level imports before our package's first
    (the interpreter's own start-up, paid by `python -c pass` too) are left out."""
    roots = parse(text)
    if skip_start_up:
        first_own = next((index for index, root in enumerate(roots) if root.own), len(roots))
        roots = roots[first_own:]
    found: list[tuple[Entry, str]] = []
    own_self_us = 0

    def walk(entry: Entry, importer: str) -> None:
        nonlocal own_self_us
        if entry.own:
            own_self_us += entry.self_us
            for child in entry.children:
                walk(child, entry.name)
        else:
            found.append((entry, importer))

    for root in roots:
        walk(root, "")
    total_us = sum(root.cumulative_us for root in roots)
    found.sort(key=lambda pair: pair[0].cumulative_us, reverse=True)
    lines = [_bullet(entry, importer) for entry, importer in found[:limit]]
    heaviest = sorted(_descendants([entry for entry, _ in found]), key=lambda entry: entry.self_us, reverse=True)
    lines.append("- the most own time: " + ", ".join(f"`{entry.name}` {entry.self_us / 1000:.1f} ms"
                                                    for entry in heaviest[:3]))
    lines.append(f"- our own modules' code: {own_self_us / 1000:.1f} ms; all imports measured: "
                 f"{total_us / 1000:.1f} ms (`-X importtime` inflates times a little)")
    return lines


def _descendants(entries: list[Entry]) -> list[Entry]:
    found = []
    for entry in entries:
        found.append(entry)
        found += _descendants(entry.children)
    return found


def _names(entries: list[Entry]) -> set[str]:
    names = set()
    for entry in entries:
        names.add(entry.name)
        names |= _names(entry.children)
    return names


def extra(text: str, baseline: str, limit: int = 6) -> list[str]:
    """Markdown bullets: the costliest imports not ours in `text` that `baseline` (another process's output)
    does not make, each with the module of ours that pulled it in, then our own modules' time."""
    known = _names(parse(baseline))
    found: list[tuple[Entry, str]] = []
    own_self_us = 0

    def walk(entry: Entry, importer: str) -> None:
        nonlocal own_self_us
        if entry.own and entry.name not in known:
            own_self_us += entry.self_us
        if entry.own or entry.name in known:
            for child in entry.children:
                walk(child, entry.name if entry.own else importer)
        else:
            found.append((entry, importer))

    for root in parse(text):
        walk(root, "")
    found.sort(key=lambda pair: pair[0].cumulative_us, reverse=True)
    total_us = sum(entry.cumulative_us for entry, _ in found)
    return [*(_bullet(entry, importer) for entry, importer in found[:limit]),
            f"- our own modules' code: {own_self_us / 1000:.1f} ms; other imports the baseline does not make: "
            f"{total_us / 1000:.1f} ms"]
