"""The grading cache's keys: what changes a student's package hash and what does not, on real folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tinytorch_milestones.core.errors import MilestoneError
from tinytorch_milestones.services.classroom.grading import checked_cache_path
from tinytorch_milestones.services.classroom.grading_cache import GradingCache, package_hash, verification_hash


def test_the_package_hash_follows_the_code_not_its_bytecode_and_ends_on_hostile_links(tmp_path: Path,
                                                                                        reference_package: Path) -> None:
    project = tmp_path / "student"
    shutil.copytree(reference_package, project / "tinytorch")
    first = package_hash(project)
    (project / "tinytorch" / "__pycache__").mkdir(exist_ok=True)
    (project / "tinytorch" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"bytecode")
    assert package_hash(project) == first
    (project / "tinytorch" / "zeros").symlink_to("/dev/zero")
    os.mkfifo(project / "tinytorch" / "pipe")
    with_link = package_hash(project)
    assert with_link != first
    (project / "tinytorch" / "core" / "tensor.py").write_text("# changed\n", encoding="utf-8")
    assert package_hash(project) != with_link
    assert package_hash(tmp_path / "nobody") is None


def test_the_verification_hash_changes_with_the_limits() -> None:
    assert verification_hash("perceptron", 600.0, 2**31) == verification_hash("perceptron", 600.0, 2**31)
    assert verification_hash("perceptron", 60.0, 2**31) != verification_hash("perceptron", 600.0, 2**31)
    assert verification_hash("xor", 600.0, 2**31) != verification_hash("perceptron", 600.0, 2**31)


def test_a_damaged_cache_is_reported_and_ignored_and_an_unwritable_one_once(tmp_path: Path) -> None:
    warnings: list[str] = []
    damaged = tmp_path / "cache.json"
    damaged.write_text('{"format": 1, "cells": {"k": {"verified": "yes"}}', encoding="utf-8")
    cache = GradingCache(damaged, warnings.append)
    assert cache.get("k") is None and len(warnings) == 1 and "could not be read" in warnings[0]
    cache.put("k", True, None, "passed")
    assert json.loads(damaged.read_text())["cells"]["k"]["verified"] is True
    blocked = GradingCache(tmp_path / "file-not-folder" / "cache.json", warnings.append)
    (tmp_path / "file-not-folder").write_text("a file where the folder should be")
    blocked.put("a", False, "failed: x", "failed")
    blocked.put("b", False, "failed: y", "failed")
    assert len(warnings) == 2 and "grading goes on without caching" in warnings[1]
    assert blocked.get("b") == {"verified": False, "reason": "failed: y", "outcome": "failed"}


def test_a_cache_path_that_is_a_folder_or_inside_a_submission_is_refused(tmp_path: Path) -> None:
    student = tmp_path / "subs" / "ann"
    (student / "tinytorch").mkdir(parents=True)
    with pytest.raises(MilestoneError, match="is not a file"):
        checked_cache_path(tmp_path, [student])
    with pytest.raises(MilestoneError, match="inside the submission"):
        checked_cache_path(student / "tinytorch" / "c.json", [student])
    assert checked_cache_path(None, [student]) == tmp_path / "subs" / ".tinytorch-grading-cache.json"
