"""The public names an exported cell defines at its top level, which go into the module's `__all__`."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def _bound_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound_names(element)
    elif isinstance(target, ast.Starred):
        yield from _bound_names(target.value)


def defined_names(tree: ast.Module) -> Iterator[str]:
    """Names bound by top-level `def`, `class` and assignments (not imports, not `x: int` without a value)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _bound_names(target)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            yield from _bound_names(node.target)


def declared_all(tree: ast.Module) -> Iterator[str]:
    """The names a top-level `_all_ = [...]` lists (strings or bare names), as nbdev adds them to `__all__`
    even when private or imported."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_all_" for t in node.targets):
            if isinstance(node.value, (ast.List, ast.Tuple)):
                for element in node.value.elts:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        yield element.value
                    elif isinstance(element, ast.Name):
                        yield element.id


def public_names(tree: ast.Module) -> list[str]:
    """The defined names that do not start with `_`, then those `_all_` lists, each once, in order."""
    public = (name for name in defined_names(tree) if not name.startswith("_"))
    return list(dict.fromkeys([*public, *declared_all(tree)]))
