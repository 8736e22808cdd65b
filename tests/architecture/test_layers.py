"""Imports point down: the core imports no service or frontend; services import no frontend (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tinytorch_milestones

PACKAGE = Path(tinytorch_milestones.__file__).parent
FORBIDDEN = {"core": ("services", "frontends"), "services": ("frontends",)}


def _imported_layers(path: Path) -> set[str]:
    """The top-level layers of `tinytorch_milestones` that `path` imports, relative or absolute."""
    package_parts = path.relative_to(PACKAGE).parts[:-1]
    layers = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [target] if target else [[alias.name] for alias in node.names]
            elif node.module and node.module.startswith("tinytorch_milestones."):
                names = [node.module.split(".")[1:]]
            else:
                continue
            layers.update(parts[0] for parts in names if parts)
        elif isinstance(node, ast.Import):
            layers.update(alias.name.split(".")[1] for alias in node.names
                          if alias.name.startswith("tinytorch_milestones."))
    return layers


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    upward = [f"{path.relative_to(PACKAGE)} imports {above}"
              for path in sorted((PACKAGE / layer).rglob("*.py"))
              for above in sorted(_imported_layers(path) & set(FORBIDDEN[layer]))]
    assert upward == []


def test_the_check_reads_relative_imports() -> None:
    module = PACKAGE / "core" / "registry.py"
    assert "services" not in _imported_layers(module)
    assert {"core"} <= _imported_layers(PACKAGE / "services" / "verify" / "runner.py")
