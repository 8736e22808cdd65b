"""The independent TinyTorch (minitorch.py) against the shipped learning tests, in pytest child processes.

Every defect must fail every milestone it touches with the component it lives in named first in
the message; the correct implementation, each harmless variant and the current course's layout
must pass all five. The many-seed sweep of the correct ones is `python -m tests.verify.broken.sweep`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinytorch_milestones.core.registry import MILESTONE_ORDER

from .package import DEFECTS, VARIANTS, learning_results, touched_milestones, write_package


def test_the_suite_has_twenty_defects_and_five_harmless_variants() -> None:
    assert len(DEFECTS) >= 20 and len(VARIANTS) >= 5
    source = (Path(__file__).parent / "minitorch.py").read_text(encoding="utf-8")
    for defect in DEFECTS:
        assert f'DEFECT == "{defect}"' in source, defect
    for variant in VARIANTS:
        assert f'"{variant}" in VARIANTS' in source, variant


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_fails_every_milestone_it_touches_naming_its_component(defect: str, tmp_path: Path) -> None:
    component = DEFECTS[defect][0]
    milestones = touched_milestones(defect)
    results = learning_results(write_package(tmp_path, defect=defect), milestones)
    assert sorted(results) == sorted(milestones)
    for milestone, result in results.items():
        assert result["outcome"] == "failed", (milestone, result)
        assert result["message"].startswith((f"{component}: d loss / d ", f"{component}: step()",
                                             f"{component}: after zero_grad()", f"{component}: the forward pass")), (
            milestone, result["message"])
        assert result["check"]["check"] == f"component {component}"
        assert "Traceback" not in result["message"]


@pytest.mark.parametrize(("name", "variants", "layout"), [
    ("default", (), "classic"),
    *[(variant, (variant,), "classic") for variant in VARIANTS],
    ("current-layout", (), "current"),
])
def test_correct_implementations_pass_every_milestone(name: str, variants: tuple[str, ...], layout: str,
                                                      tmp_path: Path) -> None:
    results = learning_results(write_package(tmp_path, variants=variants, layout=layout), MILESTONE_ORDER)
    assert sorted(results) == sorted(MILESTONE_ORDER)
    for milestone, result in results.items():
        assert result["outcome"] == "passed", (milestone, result["message"])
        assert result["metrics"]["components_checked"] >= 5
    if "float64" in variants:
        assert all(result["metrics"]["worst_gradient_error"] < 1e-5 for result in results.values())


def test_through_the_runner_the_current_layout_completes_and_a_defect_is_recorded_as_failed(
        tmp_path: Path, unlock, progress_file: Path) -> None:
    from tinytorch_milestones.services.verify import run_verification

    unlock("transformer")
    current = run_verification("transformer", project_dir=write_package(tmp_path / "current", layout="current"))
    assert current.outcome == "passed", str(current)
    assert current.newly_completed and current.metrics["components_checked"] == 10
    broken = run_verification("mlp_digits", project_dir=write_package(tmp_path / "broken", defect="ce_grad_not_averaged"))
    assert broken.outcome == "failed" and not broken.newly_completed
    assert broken.message.startswith("CrossEntropyLoss: d loss / d logits of CrossEntropyLoss differs from the "
                                     "numerical gradient (relative error ")
    assert broken.check["check"] == "component CrossEntropyLoss" and broken.check["threshold"] == 0.02
    progress = json.loads(progress_file.read_text(encoding="utf-8"))
    assert progress["completed_milestones"] == ["transformer"]
    assert progress["verifications"]["mlp_digits"][0]["outcome"] == "failed"
