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
    ("zero_gradients", ALL, r"^Tensor.sum: d loss / d input of Tensor.sum differs from the numerical gradient "
                            r"\(relative error 1, tolerance 0.02\): sum\(\)'s backward"),
    ("noop_optimizer", ALL, r"^SGD: step\(\) moved parameter 1 off -lr \* grad .*: step\(\) should set p.data"),
    ("constant_loss", ["perceptron", "xor"],
     r"^BinaryCrossEntropyLoss: the forward pass does not compute the mean over the batch"),
    ("constant_loss", ["mlp_digits", "cnn", "transformer"],
     r"^CrossEntropyLoss: the forward pass does not compute the mean over the batch"),
    ("detached_linear_weight", ALL, r"^Linear: d loss / d weight of Linear is missing \(.grad stayed None"),
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
