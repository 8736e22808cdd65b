"""The course end to end: every course notebook runs in a real kernel and exports itself, then the tour.

Notebooks run the way headless tools run them, so no kernel is told its notebook (no
`JPY_SESSION_NAME`): nbclient with its defaults in the flat layout (today's `notebooks/` folder), and
`jupyter execute` (nbclient's command line, what `jupyter nbconvert --execute` uses too) in the
real course's layout of one folder per module (`modules/02_autograd/02_autograd.ipynb`).
Afterwards the exported `tinytorch` imports in a fresh process, every milestone is unlocked, and every
verification passes against it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tinytorch_milestones.core.registry import milestone_ids, module_names

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CONTRACT_IMPORTS = """
from tinytorch import Tensor, Linear, ReLU, Sigmoid, SGD, BinaryCrossEntropyLoss, CrossEntropyLoss
from tinytorch.core.spatial import Conv2d, MaxPool2d
from tinytorch.text.embeddings import Embedding, PositionalEncoding
from tinytorch.core.attention import MultiHeadAttention
from tinytorch.core.transformer import LayerNorm
from tinytorch.data.loader import TensorDataset, DataLoader
print("contract ok")
"""


HOME_VARIABLES = ("TINYTORCH_HOME", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                  "MPLCONFIGDIR", "HOME")
JUPYTER = Path(sys.executable).with_name("jupyter")


def execute(notebook_path: Path, cwd: Path) -> nbformat.NotebookNode:
    """Run a notebook top to bottom as nbclient does by default, in a real kernel started in `cwd`; a failing cell raises."""
    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return notebook


def jupyter_execute(notebook_path: Path) -> nbformat.NotebookNode:
    """Run a notebook with `jupyter execute --inplace` from another folder, and read back what it saved."""
    done = subprocess.run([str(JUPYTER), "execute", "--inplace", "--timeout=300", str(notebook_path)],
                          cwd=notebook_path.anchor, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{notebook_path.name}:\n{done.stderr[-4000:]}"
    return nbformat.read(notebook_path, as_version=4)


def isolated_homes(patch: pytest.MonkeyPatch, root: Path) -> dict[str, str]:
    """Point every home folder at `root` and unset JPY_SESSION_NAME, as in a headless run; returns the environment."""
    for name in HOME_VARIABLES:
        patch.setenv(name, str(root / name.lower()))
    patch.delenv("JPY_SESSION_NAME", raising=False)
    patch.delenv("TINYTORCH_MILESTONES_DISABLE", raising=False)
    return dict(os.environ)


def plain_outputs(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook showed as text: streams and text/plain forms."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def course_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A temporary project in which every course notebook ran in order, then the tour.

    Module-scoped, so it isolates the home folders itself (for this process and the kernels).
    """
    root = tmp_path_factory.mktemp("course")
    project = root / "project"
    project.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, project / notebook.name)
    with pytest.MonkeyPatch.context() as patch:
        env = isolated_homes(patch, root)
        executed = {module: execute(project / f"{module}.ipynb", project) for module in module_names()}
        progress_file = Path(env["TINYTORCH_HOME"]) / "progress.json"
        progress_after_course = progress_file.read_text()
        executed["tour"] = execute(project / "tour.ipynb", project)
        yield {"project": project, "env": env, "executed": executed,
               "progress_after_course": progress_after_course, "progress_after_tour": progress_file.read_text()}


def test_every_course_notebook_ends_by_exporting_itself(course_run: dict) -> None:
    for module in module_names():
        text = plain_outputs(course_run["executed"][module])
        assert "Exported" in text and f"{module}.ipynb" in text, f"{module} did not export itself:\n{text[-2000:]}"
    assert (course_run["project"] / "tinytorch" / "core" / "transformer.py").is_file()


def test_the_exported_package_meets_the_contract_in_a_fresh_process(course_run: dict) -> None:
    done = subprocess.run([sys.executable, "-c", CONTRACT_IMPORTS], cwd=course_run["project"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "contract ok", done.stderr


def test_the_course_unlocks_every_milestone(course_run: dict) -> None:
    progress = json.loads(course_run["progress_after_course"])
    assert progress["completed_modules"] == module_names()
    assert progress["unlocked_milestones"] == milestone_ids()


def test_every_verification_passes_on_the_exported_code(course_run: dict) -> None:
    for milestone in milestone_ids():
        done = subprocess.run([sys.executable, "-m", "tinytorch_milestones", "run", milestone],
                              cwd=course_run["project"], env=course_run["env"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{milestone}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
    progress = json.loads((Path(course_run["env"]["TINYTORCH_HOME"]) / "progress.json").read_text())
    assert progress["completed_milestones"] == milestone_ids()


def test_the_tour_completes_every_milestone_in_its_own_throwaway_progress(course_run: dict) -> None:
    tour = course_run["executed"]["tour"]
    text = plain_outputs(tour)
    assert text.count("🔓 MILESTONE UNLOCKED!") == 5
    assert text.count("🏆 MILESTONE COMPLETED!") == 5
    assert "Every milestone is completed" in text
    errors = [o for cell in tour.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert course_run["progress_after_tour"] == course_run["progress_after_course"]


@pytest.fixture(scope="module")
def per_module_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The real course's layout: `<project>/modules/NN_name/NN_name.ipynb` under a project marker, each
    notebook run in order by `jupyter execute` (its kernel starts in the module's own folder)."""
    root = tmp_path_factory.mktemp("per-module")
    project = root / "my course"
    (project / "modules").mkdir(parents=True)
    shutil.copy(NOTEBOOKS / "settings.ini", project / "settings.ini")
    with pytest.MonkeyPatch.context() as patch:
        env = isolated_homes(patch, root)
        executed = {}
        for module in module_names():
            folder = project / "modules" / module
            folder.mkdir()
            shutil.copy(NOTEBOOKS / f"{module}.ipynb", folder / f"{module}.ipynb")
            executed[module] = jupyter_execute(folder / f"{module}.ipynb")
        yield {"project": project, "env": env, "executed": executed,
               "progress": json.loads((Path(env["TINYTORCH_HOME"]) / "progress.json").read_text())}


def test_one_folder_per_module_every_notebook_exports_itself_into_the_projects_package(per_module_run: dict) -> None:
    project = per_module_run["project"]
    for module in module_names():
        text = plain_outputs(per_module_run["executed"][module])
        assert f"{module}.ipynb" in text and "Exported " in text, f"{module} did not export itself:\n{text[-2000:]}"
    assert f"added {project} to sys.path so `import tinytorch` finds your package" in plain_outputs(per_module_run["executed"]["00_setup"])
    assert sorted(path.name for path in (project / "modules").rglob("tinytorch")) == []
    assert per_module_run["progress"]["completed_modules"] == module_names()
    assert per_module_run["progress"]["unlocked_milestones"] == milestone_ids()


def test_one_folder_per_module_the_exported_package_meets_the_contract(per_module_run: dict) -> None:
    done = subprocess.run([sys.executable, "-c", CONTRACT_IMPORTS], cwd=per_module_run["project"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "contract ok", done.stderr
