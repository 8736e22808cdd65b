"""Fixtures for the exporter: notebooks built with nbformat, a fresh Python to import the exported package,
and a snapshot of a folder to prove that a failed export wrote nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tinytorch_milestones.services.export import purge_package_modules

Cell = str | tuple[str, str]
MakeNotebook = Callable[..., Path]


def markdown(text: str) -> tuple[str, str]:
    """A markdown cell for `make_notebook`; plain strings are code cells."""
    return ("markdown", text)


def build_notebook(cells: list[Cell], metadata: dict | None = None) -> nbformat.NotebookNode:
    """An nbformat v4 notebook of `cells` (strings are code cells, `markdown(...)` are markdown cells)."""
    built = [new_markdown_cell(cell[1]) if isinstance(cell, tuple) else new_code_cell(cell) for cell in cells]
    return new_notebook(cells=built, metadata=metadata or {})


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A course folder: notebooks are written here (or below) and the package is exported here."""
    folder = tmp_path / "course"
    folder.mkdir()
    return folder


@pytest.fixture
def make_notebook(workspace: Path) -> MakeNotebook:
    """Write a notebook of `cells` as `name` (relative to the workspace) and return its path."""

    def make(name: str, cells: list[Cell], metadata: dict | None = None) -> Path:
        path = workspace / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_notebook(cells, metadata), path)
        return path

    return make


def run_python(cwd: Path, code: str) -> str:
    """Run `code` in a fresh interpreter in `cwd` (which is on its sys.path) and return its output."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to compare before and after."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def clean_imports() -> Iterator[None]:
    """Restore sys.path and forget any `tinytorch` a test imported in this process."""
    saved_path = list(sys.path)
    purge_package_modules()
    yield
    sys.path[:] = saved_path
    purge_package_modules()


@pytest.fixture
def make_notebook_in() -> MakeNotebook:
    """Write a notebook of `cells` at an absolute `path` (its folder is created) and return the path."""

    def make(path: Path, cells: list[Cell], metadata: dict | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_notebook(cells, metadata), path)
        return path

    return make
