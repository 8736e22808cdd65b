"""The verification child: run as a script by `python -I -u -X utf8 child.py PACKAGE_PARENT PYTEST_ARGS...`.

Isolated from the student's environment (`-I`: no `PYTHON*` variables, no user site-packages, no
folder of the student's on the import path, so no `sitecustomize.py` of theirs), it reads its
settings as one line of JSON on stdin (which is then closed): the descriptor of the results pipe,
the project folder, and a memory limit. The results descriptor is moved to a fresh number that
child processes do not inherit; neither it nor the project folder appears in argv or the
environment. Only `tinytorch` is imported from the project folder (a finder for that one package),
so files beside it (a `pytest.py`, a `numpy.py`) change nothing.
"""

from __future__ import annotations

import json
import os
import sys


def _settings() -> dict:
    """The runner's settings from stdin; stdin then reads as empty."""
    line = sys.stdin.readline()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return json.loads(line)


def _hidden_channel(fd: int) -> int:
    """`fd` moved to a fresh, non-inheritable descriptor number."""
    moved = os.dup(fd)
    os.close(fd)
    return moved


def _limit_memory(limit: int | None) -> None:
    if limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _project_package_only(project_dir: str) -> None:
    """Make `tinytorch` (and only it) importable from `project_dir`."""
    from importlib.machinery import PathFinder

    class ProjectPackageFinder:
        @staticmethod
        def find_spec(name: str, path: object = None, target: object = None):
            return PathFinder.find_spec(name, [project_dir]) if name == "tinytorch" else None

    sys.meta_path.insert(0, ProjectPackageFinder)


def main() -> None:
    """Run pytest on the arguments after the package parent; the results go down the hidden channel."""
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    sys.path.append(sys.argv[1])
    settings = _settings()
    channel = _hidden_channel(settings["fd"])
    _limit_memory(settings.get("memory_limit_bytes"))
    _project_package_only(settings["project_dir"])
    import pytest

    from tinytorch_milestones.services.verify.plugin import ChannelWriter

    arguments = sys.argv[2:]
    sys.argv[1:] = []
    sys.exit(int(pytest.main(arguments, plugins=[ChannelWriter(channel)])))


if __name__ == "__main__":
    main()
