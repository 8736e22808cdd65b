"""A shipped course's TOML parse is kept where Python keeps bytecode, so a fresh process loads the
course without parsing TOML; an edited, damaged or unwritable kept parse never changes the course."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinytorch_milestones.core.courses import SHIPPED_COURSES, load_course_file, loader, toml_files
from tinytorch_milestones.core.errors import CourseError

LOAD_AND_REPORT = ("import sys, json\nfrom tinytorch_milestones.core import registry\n"
                   "print(json.dumps([registry.milestone_ids(), 'tomllib' in sys.modules]))")


def fresh_process(env: dict[str, str], cwd: Path) -> tuple[list[str], bool]:
    """The milestone ids a new interpreter in `cwd` (no project there) loads, and whether it imported tomllib."""
    done = subprocess.run([sys.executable, "-c", LOAD_AND_REPORT], capture_output=True, text=True, timeout=60,
                          env=env, cwd=cwd, check=True)
    ids, parsed = json.loads(done.stdout)
    return ids, parsed


def test_a_fresh_process_loads_a_shipped_course_without_parsing_toml_once_its_parse_is_kept(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kept = tmp_path / "pycache" / str(SHIPPED_COURSES["classic"].parent).lstrip(os.sep) / "classic.toml.json"

    first = fresh_process(env, tmp_path)
    assert kept.is_file()
    second = fresh_process(env, tmp_path)

    assert first == (["perceptron", "xor", "mlp_digits", "cnn", "transformer"], True)
    assert second == (first[0], False)


def test_nothing_is_kept_where_bytecode_is_not_written(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"), "PYTHONDONTWRITEBYTECODE": "1"}

    assert fresh_process(env, tmp_path) == (["perceptron", "xor", "mlp_digits", "cnn", "transformer"], True)
    assert not list(tmp_path.glob("pycache/**/*.json"))


@pytest.fixture
def shipped_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The classic course file, renamed "copied", in a folder this test treats as the shipped one."""
    folder = tmp_path / "courses"
    folder.mkdir()
    copy = folder / "classic.toml"
    copy.write_text(SHIPPED_COURSES["classic"].read_text(encoding="utf-8").replace('name = "classic"', 'name = "copied"'),
                    encoding="utf-8")
    monkeypatch.setattr(loader, "SHIPPED_FOLDER", folder)
    monkeypatch.setattr(loader, "_cache", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    return copy


def test_an_edited_course_file_is_parsed_again_and_its_new_parse_kept(shipped_copy: Path) -> None:
    load_course_file(shipped_copy)
    kept = toml_files.kept_parse_path(shipped_copy)
    assert kept == shipped_copy.parent / "__pycache__" / "classic.toml.json"
    before = kept.read_bytes()

    text = shipped_copy.read_text(encoding="utf-8")
    shipped_copy.write_text(text.replace("First learning algorithm", "The first learning algorithm"), encoding="utf-8")
    loader._cache.clear()
    course = load_course_file(shipped_copy)

    assert course.definitions["perceptron"]["description"].startswith("The first learning algorithm")
    assert kept.read_bytes() != before
    assert json.loads(kept.read_bytes())["data"]["milestones"][0]["description"].startswith("The first")


def test_an_edit_that_keeps_the_files_size_and_time_is_still_seen(shipped_copy: Path) -> None:
    load_course_file(shipped_copy)
    found = shipped_copy.stat()
    text = shipped_copy.read_text(encoding="utf-8")
    edited = text.replace('"02_autograd"]', '"02_autogrud"]', 1)  # same length, a module the course lacks
    assert len(edited) == len(text) and edited != text
    shipped_copy.write_text(edited, encoding="utf-8")
    os.utime(shipped_copy, ns=(found.st_atime_ns, found.st_mtime_ns))
    loader._cache.clear()

    with pytest.raises(CourseError, match="02_autogrud"):
        load_course_file(shipped_copy)


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 2, "text": "x", "data": {}}', b"[]",
                                    b'{"format": 1, "data": []}'])
def test_a_damaged_kept_parse_is_ignored_and_replaced(shipped_copy: Path, damage: bytes) -> None:
    expected = load_course_file(shipped_copy)
    kept = toml_files.kept_parse_path(shipped_copy)
    kept.write_bytes(damage)
    loader._cache.clear()

    assert load_course_file(shipped_copy) == expected
    assert json.loads(kept.read_bytes())["data"]["course"]["name"] == "copied"


def test_a_pipe_where_the_parse_is_kept_is_ignored_without_waiting(shipped_copy: Path) -> None:
    kept = toml_files.kept_parse_path(shipped_copy)
    kept.parent.mkdir()
    os.mkfifo(kept)

    assert load_course_file(shipped_copy).order == ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]


def test_a_folder_that_cannot_hold_the_parse_changes_nothing(shipped_copy: Path) -> None:
    (shipped_copy.parent / "__pycache__").write_text("a file where the folder would be\n")

    course = load_course_file(shipped_copy)

    assert course.order == ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]
    assert (shipped_copy.parent / "__pycache__").read_text() == "a file where the folder would be\n"


def test_a_course_file_of_ones_own_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    own = tmp_path / "mine.toml"
    own.write_text(SHIPPED_COURSES["classic"].read_text(encoding="utf-8").replace('name = "classic"', 'name = "mine"'),
                   encoding="utf-8")

    assert load_course_file(own).name == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.toml"]
