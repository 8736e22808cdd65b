"""Where the benchmarks run: throwaway homes, the machine's description, the original tracker, the JupyterLab venv.

Standard library only: every benchmark script imports this, including the drivers that run in
the JupyterLab venv.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
LAB_VENV = BENCH / ".venv-lab"
LAB_PACKAGES = ("jupyterlab",)
ORIGINAL_FILE = "original_milestone_tracker.py"
ORIGINAL_MODULE = "original_milestone_tracker"
_STAMP = "tinytorch-bench.stamp"


class BenchmarkError(RuntimeError):
    """A benchmark could not do the work it measures; the message is one line saying why."""


def isolated_env(root: Path) -> dict[str, str]:
    """This process's environment with every folder a tracker, IPython or a kernel writes to under `root`.

    HOME is `root/home` (the original keeps `~/.tinytorch/progress.json`), TINYTORCH_HOME is
    `root/tinytorch-home`, so a product and an original sharing one environment never share a
    progress file; other TINYTORCH_*, JPY_* and PYTEST_*
    variables are dropped so the caller's settings cannot change a figure. Rich gets 100 columns.
    """
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("TINYTORCH_", "JPY_", "PYTEST_", "PYTHONPROFILEIMPORTTIME"))}
    home = root / "home"
    folders = {
        "HOME": home,
        "TINYTORCH_HOME": root / "tinytorch-home",
        "IPYTHONDIR": root / "ipython",
        "JUPYTER_CONFIG_DIR": root / "jupyter-config",
        "JUPYTER_DATA_DIR": root / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": root / "jupyter-runtime",
        "MPLCONFIGDIR": root / "mpl",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["COLUMNS"] = "100"
    return env


def product_progress_file(env: dict[str, str]) -> Path:
    """The product's progress file in an `isolated_env`."""
    return Path(env["TINYTORCH_HOME"]) / "progress.json"


def original_progress_file(env: dict[str, str]) -> Path:
    """The original's progress file (`~/.tinytorch/progress.json`) in an `isolated_env`."""
    return Path(env["HOME"]) / ".tinytorch" / "progress.json"


def machine() -> dict[str, str]:
    """Python version, OS, core count and CPU model (from /proc/cpuinfo where there is one)."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
    }


def find_original(explicit: Path | None = None) -> Path | None:
    """The original tracker: `explicit`, else `shared/anchors/original_milestone_tracker.py` beside an
    ancestor of this repository (the shared folder sits beside the repo and its worktrees); None if absent."""
    if explicit is not None:
        if not explicit.is_file():
            raise BenchmarkError(f"--original {explicit}: no such file")
        return explicit.resolve()
    for folder in REPO.parents:
        candidate = folder / "shared" / "anchors" / ORIGINAL_FILE
        if candidate.is_file():
            return candidate
    return None


def copy_original(original: Path, scratch: Path) -> Path:
    """A copy of the original in `scratch`, so its bytecode cache lands there and not in the shared folder."""
    folder = scratch / "original"
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(original, folder / ORIGINAL_FILE))


def load_original(path: Path) -> ModuleType:
    """Import the original tracker from `path` with importlib (never by name from the product's path)."""
    spec = importlib.util.spec_from_file_location(ORIGINAL_MODULE, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def original_import_code(path: Path) -> str:
    """Python source that loads the original from `path` by importlib, for `python -c`."""
    return ("import importlib.util as u; "
            f"s = u.spec_from_file_location({ORIGINAL_MODULE!r}, {str(path)!r}); "
            "m = u.module_from_spec(s); s.loader.exec_module(m)")


def _lab_fingerprint() -> str:
    recipe = "\n".join([str(REPO), *LAB_PACKAGES, (REPO / "pyproject.toml").read_text(encoding="utf-8")])
    return hashlib.sha256(recipe.encode()).hexdigest()


def lab_python(say: Callable[[str], None]) -> Path:
    """The Python of `benchmarks/.venv-lab`: JupyterLab from PyPI, this checkout installed editable.

    Reused while this checkout's pyproject.toml is unchanged; otherwise (re)installed, which takes
    about half a minute. `say` gets one progress line. Raises `BenchmarkError` if pip fails.
    """
    python = LAB_VENV / "bin" / "python"
    stamp = LAB_VENV / _STAMP
    wanted = _lab_fingerprint()
    if python.is_file() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    say(f"building {LAB_VENV.relative_to(REPO)} (JupyterLab from PyPI; once, about 30-60 s)")
    if not python.is_file():
        subprocess.run([sys.executable, "-m", "venv", str(LAB_VENV)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *LAB_PACKAGES, "-e", str(REPO)], capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BenchmarkError(f"pip could not build {LAB_VENV}: {tail}")
    stamp.write_text(wanted)
    return python


@dataclass(frozen=True)
class Context:
    """What every benchmark gets: a scratch folder, the original's copy (None when absent), and the mode."""

    scratch: Path
    original: Path | None
    quick: bool

    def runs(self, full: int, quick: int) -> int:
        """How many rounds to measure: `quick` in a --quick smoke run, else `full`."""
        return quick if self.quick else full

    def folder(self, name: str) -> Path:
        """A new, empty folder in the scratch folder (`name`, `name-2`, ...)."""
        candidate, number = self.scratch / name, 1
        while candidate.exists():
            number += 1
            candidate = self.scratch / f"{name}-{number}"
        candidate.mkdir(parents=True)
        return candidate
