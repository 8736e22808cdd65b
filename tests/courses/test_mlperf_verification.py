"""The MLPerf verification measures: a faithful package passes, and each kind of broken one fails on the
check that names its fault (run with the real CLI against a copy of the reference package)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import REFERENCE, run_cli, tinytorch_project

MODULES = ["1", "2", "3", "4", "5", "6", "8", "15", "16"]
BROKEN = {
    "float storage": ("perf/quantization.py", ".astype(np.int8)", ".astype(np.float32)", "int8 storage"),
    "wrong zero point": ("perf/quantization.py", "return Tensor(q), float(scale), zero_point",
                         "return Tensor(q), float(scale), zero_point + 40", "quantization round trip"),
    "prunes the largest": ("perf/compression.py", "np.abs(w.data) <= threshold", "np.abs(w.data) > threshold",
                           "pruned accuracy drop"),
    "prunes a copy": ("perf/compression.py", "w.data = np.where(", "pruned = np.where(", "sparsity"),
    "counts the non-zeros": ("perf/compression.py", "np.count_nonzero(w.data == 0)", "np.count_nonzero(w.data != 0)",
                             "reported sparsity error before pruning"),
}


def _project(tmp_path: Path) -> Path:
    project = tinytorch_project(tmp_path / "project")
    shutil.copytree(REFERENCE, project / "tinytorch")
    return project


def test_the_reference_passes_with_measured_figures(tmp_path: Path) -> None:
    project = _project(tmp_path)
    env = {"TINYTORCH_HOME": str(tmp_path / "home")}
    assert run_cli("complete", *MODULES, cwd=project, env=env).returncode == 0
    result = run_cli("run", "mlperf", cwd=project, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "size reduction 3.95" in result.stdout and "int8 bytes 2442" in result.stdout


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_broken_package_fails_on_the_check_naming_its_fault(fault: str, tmp_path: Path) -> None:
    project = _project(tmp_path)
    file, correct, broken, check = BROKEN[fault]
    path = project / "tinytorch" / file
    source = path.read_text(encoding="utf-8")
    assert correct in source
    path.write_text(source.replace(correct, broken), encoding="utf-8")
    env = {"TINYTORCH_HOME": str(tmp_path / "home")}
    assert run_cli("complete", *MODULES, cwd=project, env=env).returncode == 0
    result = run_cli("run", "06", cwd=project, env=env, timeout=600)
    assert result.returncode == 1, result.stdout[-3000:]
    assert f"What was checked: {check}" in result.stdout
