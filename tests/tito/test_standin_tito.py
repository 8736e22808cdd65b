"""tito on our core: its hook records modules and shows unlocks, its `milestones` command reads the same
progress as notebooks, and nothing inside our package can break tito's own workflow."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .conftest import tito

HEAVY = ("IPython", "ipywidgets", "nbformat", "pytest")


def test_tito_pulls_in_no_notebook_or_test_machinery(project: Path) -> None:
    code = ("import sys, standin_tito\n"
            "standin_tito.main(['module', 'complete', '01'])\n"
            "standin_tito.main(['milestones', 'status'])\n"
            "standin_tito.main(['milestones', 'info', 'mlp'])\n"
            f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])\n")
    result = tito(cwd=project, code=code)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


def test_a_module_completed_in_tito_unlocks_its_milestones(project: Path, progress_file: Path) -> None:
    for number in ("01", "02", "03", "04", "05"):
        assert tito("module", "complete", number, cwd=project).returncode == 0
    last = tito("module", "complete", "6", cwd=project)
    assert last.returncode == 0, last.stderr
    assert "MILESTONE UNLOCKED" in last.stdout and "1957 - Perceptron" in last.stdout and "1969 - XOR Crisis" in last.stdout
    state = json.loads(progress_file.read_text(encoding="utf-8"))
    assert state["unlocked_milestones"] == ["01", "02"] and state["course"] == "tinytorch"
    assert json.loads((project / "progress.json").read_text())["completed_modules"] == ["01", "02", "03", "04", "05", "6"]


def _kernel(cells: list[str], cwd: Path) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute(env=dict(os.environ))
    return "\n".join(output.get("text", "") or output.get("data", {}).get("text/plain", "")
                     for cell in notebook.cells for output in cell.get("outputs", []))


def test_notebook_progress_shows_in_tito_and_the_reverse(project: Path) -> None:
    shown = _kernel(["%load_ext tinytorch_milestones", "%milestones complete 01 02 03 04 05 06"], project)
    assert "01" in shown
    status = tito("milestones", "status", "--json", cwd=project)
    assert status.returncode == 0, status.stderr
    rows = {row["id"]: row["status"] for row in json.loads(status.stdout)["milestones"]}
    assert rows == {"01": "unlocked", "02": "unlocked", "03": "locked", "04": "locked", "05": "locked", "06": "locked"}

    assert tito("module", "complete", "08", cwd=project).returncode == 0
    shown = _kernel(["%load_ext tinytorch_milestones", "%milestones status --json"], project)
    assert '"08_dataloader"' in shown
    assert tito("milestones", "progress", cwd=project).stdout.count("Unlocked") == 3


def test_tito_shows_a_bad_id_in_one_line(project: Path) -> None:
    result = tito("milestones", "info", "7", cwd=project)
    assert result.returncode == 2
    assert result.stdout.strip().splitlines() == [
        "tinytorch-milestones: error: unknown milestone '7'. Valid milestones: 01, 02, 03, 04, 05, 06"]


def test_a_failure_inside_our_package_never_breaks_tito(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the progress folder should be")
    for env in ({"TINYTORCH_HOME": str(blocked)}, {"TINYTORCH_COURSE": "nope"}):
        result = tito("module", "complete", "01", cwd=project, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == "tito: module 01 complete"
        assert len(lines) == 2 and lines[1].startswith("milestones: could not record module '01'")
    assert json.loads((project / "progress.json").read_text())["completed_modules"] == ["01"]


def test_tito_without_this_package_goes_on_silently(project: Path) -> None:
    code = ("import sys; sys.modules['tinytorch_milestones'] = None\n"
            "import standin_tito\n"
            "sys.exit(standin_tito.main(['module', 'complete', '01']))\n")
    result = tito(cwd=project, code=code)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.strip() == "tito: module 01 complete"


API_MD_PATTERN = """
import sys
{block}
try:
    from milestone_tracker import check_module_export
    print(check_module_export("{module}", None)["newly_unlocked"])
except ImportError:
    pass  # Skip silently - don't break the workflow
print("workflow goes on")
"""


def test_api_md_fail_gracefully_pattern_with_and_without_the_package(project: Path) -> None:
    for number in ("01", "02", "03", "04", "05"):
        assert tito("module", "complete", number, cwd=project).returncode == 0
    installed = tito(cwd=project, code=API_MD_PATTERN.format(block="", module="06_optimizers"))
    assert installed.stdout.splitlines() == ["['01', '02']", "workflow goes on"], installed.stderr
    absent = tito(cwd=project, code=API_MD_PATTERN.format(
        block="sys.modules['milestone_tracker'] = None; sys.modules['tinytorch_milestones'] = None", module="06"))
    assert absent.returncode == 0 and absent.stdout.splitlines() == ["workflow goes on"] and absent.stderr == ""


def test_without_a_course_setting_tito_numbers_are_the_current_courses(tmp_path: Path, progress_file: Path) -> None:
    folder = tmp_path / "TinyTorch"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[project]\nname = "tinytorch"\n', encoding="utf-8")
    assert tito("module", "complete", "02", cwd=folder).returncode == 0
    state = json.loads(progress_file.read_text(encoding="utf-8"))
    assert state["completed_modules"] == ["02_activations"] and state["course"] == "tinytorch"

