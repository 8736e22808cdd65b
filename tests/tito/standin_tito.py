"""A stand-in for tito, built the way COURSES.md describes the real one: commands are classes with
`add_arguments(parser)` and `run(args) -> int` printing through a rich Console; `module complete NN`
writes `<project root>/progress.json` and then calls the milestones hook, the "Fail gracefully" way.

    python standin_tito.py module complete 01
    python standin_tito.py milestones status
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

console = Console(width=120)


class ModuleCommand:
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["complete"])
        parser.add_argument("number")

    def run(self, args: argparse.Namespace) -> int:
        root = next((f for f in (Path.cwd(), *Path.cwd().parents) if (f / "pyproject.toml").exists()), Path.cwd())
        progress = root / "progress.json"
        state = json.loads(progress.read_text()) if progress.exists() else {"completed_modules": []}
        if args.number not in state["completed_modules"]:
            state["completed_modules"].append(args.number)
        progress.write_text(json.dumps(state))
        console.print(f"tito: module {args.number} complete")
        try:
            from tinytorch_milestones.tito import module_completed
        except ImportError:
            module_completed = None
        if module_completed is not None:
            module_completed(args.number, console=console)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tito")
    commands = parser.add_subparsers(dest="command", required=True)
    handlers = {"module": ModuleCommand()}
    try:
        from tinytorch_milestones.tito import MilestonesCommand

        handlers["milestones"] = MilestonesCommand(config=None, console=console)
    except ImportError:
        pass
    for name, handler in handlers.items():
        handler.add_arguments(commands.add_parser(name))
    args = parser.parse_args(argv)
    return handlers[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
