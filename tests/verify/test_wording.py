"""All wording in one place per layer: each service words only in its own messages.py."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import tinytorch_milestones.services as services
from tinytorch_milestones.core import messages
from tinytorch_milestones.frontends.cli import main
from tinytorch_milestones.services import verify

SERVICES = Path(services.__file__).parent
TWO_WORDS = re.compile(r"[A-Za-z]{2,}[^\w\n]*\s[^\w\n]*[A-Za-z]{2,}")  # "two words", "{}: epoch {}/{}  loss"
HTML_TAG = re.compile(r"</?[a-z]+[\s>]")


def _docstrings(tree: ast.Module) -> set[int]:
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def _texts(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every string literal outside docstrings; an f-string whole, its placeholders as "{}"."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
            yield node.lineno, "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _worded(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(SERVICES)}:{line}: {text!r}" for line, text in _texts(tree)
            if TWO_WORDS.search(text) and not HTML_TAG.search(text)]


def test_no_service_module_words_a_message_outside_its_messages() -> None:
    worded = [found for path in sorted(SERVICES.rglob("*.py")) if path.name != "messages.py" for found in _worded(path)]
    assert worded == []


def test_an_interrupted_run_says_what_the_notebook_button_says(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(verify, "run_verification", interrupted)
    assert main(["run", "perceptron"]) == 130
    assert capsys.readouterr().out == messages.VERIFY_INTERRUPTED + "\n"
