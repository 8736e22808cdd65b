"""The five learning verifications against the reference tinytorch and against deliberately broken copies.

Each run goes through the real runner (a pytest child process) and the real progress file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tinytorch_milestones.core.registry import MILESTONE_ORDER
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.services.verify import run_verification

ALL = ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]


def attempts(progress_file: Path, milestone_id: str) -> list[dict]:
    return json.loads(progress_file.read_text(encoding="utf-8"))["verifications"].get(milestone_id, [])


def completed(progress_file: Path) -> list[str]:
    return MilestoneTracker(progress_file).progress["completed_milestones"]


def test_the_shipped_tests_cover_every_milestone() -> None:
    assert MILESTONE_ORDER == ALL


@pytest.mark.parametrize("milestone_id", ALL)
def test_reference_passes_and_completes_the_milestone(milestone_id: str, project: Path, unlock, progress_file: Path) -> None:
    unlock(milestone_id)
    lines: list[str] = []
    result = run_verification(milestone_id, project_dir=project, on_output=lines.append)
    assert result.outcome == "passed", str(result)
    assert result.newly_completed and result.completion_text
    assert Path(result.tinytorch_file).is_relative_to(project)
    assert completed(progress_file) == [milestone_id]
    [attempt] = attempts(progress_file, milestone_id)
    assert attempt["outcome"] == "passed" and attempt["mode"] == "subprocess" and attempt["message"] is None
    assert attempt["metrics"]["params_updated"] == attempt["metrics"]["params_total"] > 0
    assert any(f"{milestone_id}: epoch" in line for line in lines)
    assert any("PASSED" in line for line in lines)


BROKEN = [
    ("zero_gradients", ALL, r"^the gradients of all \d+ parameters were all zeros at every step: check Tensor.backward"),
    ("noop_optimizer", ALL, r"^none of the \d+ parameters changed during training .*: check SGD.step"),
    ("constant_loss", ["perceptron", "xor"],
     r"^loss of near-perfect predictions 0.6931 is not below the loss of uninformed predictions 0.6931: check BinaryCrossEntropyLoss"),
    ("constant_loss", ["mlp_digits", "cnn", "transformer"],
     r"^loss of near-perfect predictions 0.6931 is not below the loss of uninformed predictions 0.6931: check CrossEntropyLoss"),
    ("detached_linear_weight", ["perceptron"], r"^no gradient reached linear.weight: check Linear's backward$"),
    ("detached_linear_weight", ["xor", "mlp_digits"], r"^no gradient reached fc1.weight: check Linear's backward$"),
    ("detached_linear_weight", ["cnn"], r"^no gradient reached fc.weight: check Linear's backward$"),
    ("detached_linear_weight", ["transformer"], r"^no gradient reached (attention\.parameters\(\)\[0\]|hidden\.weight): check \w+'s backward$"),
]


@pytest.mark.parametrize(("variant", "milestones", "message"), BROKEN, ids=[f"{v}-{'+'.join(m)}" for v, m, _ in BROKEN])
def test_broken_variant_fails_with_the_right_message_and_completes_nothing(
        variant: str, milestones: list[str], message: str, broken_project, unlock, progress_file: Path) -> None:
    project = broken_project(variant)
    for milestone_id in milestones:
        unlock(milestone_id)
        result = run_verification(milestone_id, project_dir=project)
        assert result.outcome == "failed", str(result)
        assert result.message and re.search(message, result.message), result.message
        assert result.check and result.check["hint"] in result.message
        assert not result.newly_completed
        [attempt] = attempts(progress_file, milestone_id)
        assert attempt["outcome"] == "failed" and attempt["message"] == result.message
    assert completed(progress_file) == []
