"""In-kernel mode: `pytest.main` in this process, stale modules purged, and the same results and records."""

from __future__ import annotations

import json
import sys
import textwrap
import types
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tinytorch_milestones.services.export import purge_package_modules
from tinytorch_milestones.services.verify import run_verification


def attempts(progress_file: Path, milestone_id: str) -> list[dict]:
    return json.loads(progress_file.read_text(encoding="utf-8"))["verifications"].get(milestone_id, [])


@pytest.fixture(autouse=True)
def forget_tinytorch():
    """This process imports the test project's tinytorch: drop it again afterwards."""
    yield
    purge_package_modules()


@pytest.fixture
def notebook_milestone(project: Path, add_milestone):
    """A recipe milestone whose test file the 'notebook' writes; returns a function that (re)writes it."""
    test_file = project / "test_in_notebook.py"
    add_milestone("notebook", "test_from_notebook", test_file=str(test_file), requires=["00_setup"])

    def write(body: str) -> None:
        test_file.write_text(textwrap.dedent(body), encoding="utf-8")

    return write


def test_in_kernel_run_uses_the_project_code_not_a_stale_import(project: Path, unlock, progress_file: Path) -> None:
    sys.modules["tinytorch"] = types.ModuleType("tinytorch")
    path_before = list(sys.path)
    unlock("perceptron")
    lines: list[str] = []
    result = run_verification("perceptron", project_dir=project, in_kernel=True, on_output=lines.append)
    assert result.passed and result.newly_completed, str(result)
    assert result.mode == "in-kernel"
    assert Path(result.tinytorch_file).is_relative_to(project)
    assert any(line.startswith("perceptron: epoch 100/100") for line in lines)
    assert attempts(progress_file, "perceptron")[0]["mode"] == "in-kernel"
    assert sys.path == path_before


def test_in_kernel_failure_names_the_check(broken_project, unlock) -> None:
    project = broken_project("noop_optimizer")
    unlock("xor")
    result = run_verification("xor", project_dir=project, in_kernel=True, on_output=lambda line: None)
    assert result.outcome == "failed"
    assert result.check["check"] == "component SGD"
    assert result.message.endswith("step() should set p.data = p.data - lr * p.grad.data for every parameter with a gradient")


def test_a_test_rewritten_in_the_notebook_is_run_afresh(project: Path, notebook_milestone) -> None:
    notebook_milestone("def test_from_notebook():\n    assert True\n")
    assert run_verification("notebook", project_dir=project, in_kernel=True, force=True, on_output=print).passed
    notebook_milestone("def test_from_notebook():\n    assert 1 == 2, 'the second version'\n")
    result = run_verification("notebook", project_dir=project, in_kernel=True, force=True, on_output=print)
    assert result.outcome == "failed"
    assert result.message.startswith("AssertionError: the second version")


def test_interrupting_an_in_kernel_run_records_nothing(project: Path, notebook_milestone, progress_file: Path) -> None:
    notebook_milestone("def test_from_notebook():\n    raise KeyboardInterrupt\n")
    with pytest.raises(KeyboardInterrupt):
        run_verification("notebook", project_dir=project, in_kernel=True, force=True, on_output=lambda line: None)
    assert not progress_file.exists()


def test_both_modes_stream_into_a_real_kernel_and_show_the_card(project: Path, unlock, progress_file: Path) -> None:
    unlock("perceptron")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "from tinytorch_milestones.services.verify import run_verification\n"
            f"run_verification('perceptron', project_dir={str(project)!r}, in_kernel=True)"),
        nbformat.v4.new_code_cell(
            f"run_verification('perceptron', project_dir={str(project)!r}, on_output=print)"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(project)}}).execute()
    for cell, mode in zip(notebook.cells, ["in-kernel", "subprocess"]):
        streamed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        [card] = [out for out in cell.outputs if out.output_type == "execute_result"]
        assert "perceptron: epoch 100/100" in streamed and "PASSED" in streamed
        assert "tinytorch-verification-passed" in card["data"]["text/html"]
        heading = card["data"]["text/plain"].splitlines()[0]
        assert heading.startswith("✅ Verification passed: 1957 - The Perceptron · ") and heading.endswith(" s")
        assert mode not in card["data"]["text/plain"]
    assert [a["mode"] for a in attempts(progress_file, "perceptron")] == ["in-kernel", "subprocess"]
