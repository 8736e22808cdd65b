"""The text of the generated module: header, `__all__`, then each exported cell, all compiled before use.

Every cell is compiled on its own first, so a syntax error names its cell and line; the whole
module is compiled again for errors that only show once the cells are joined. `from __future__`
imports at the top of a cell are moved to the top of the module, where Python requires them.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from . import messages
from .cells import ExportedCell, cell_label
from .errors import ExportError
from .public_names import public_names

ALL_LINE_WIDTH = 100


@dataclass(frozen=True)
class ModuleSource:
    """The generated module's text and the names listed in its `__all__`."""

    text: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class _CheckedCell:
    cell: ExportedCell
    future_imports: tuple[str, ...]
    body: str
    first_body_line: int
    names: tuple[str, ...]


def _syntax_error(where: str, cell: ExportedCell, line: int | None, problem: str) -> ExportError:
    return ExportError(messages.cell_syntax_error(where, cell.first_line, line, problem))


def _compile(code: str, filename: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # Python repeats them when the module is imported
        compile(code, filename, "exec", dont_inherit=True)


def _leading_future_imports(tree: ast.Module) -> list[ast.ImportFrom]:
    """The `from __future__` imports a cell starts with, each on lines of its own (so they can be moved)."""
    found = []
    for node, following in zip(tree.body, [*tree.body[1:], None]):
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        if following is not None and following.lineno <= node.end_lineno:
            break
        found.append(node)
    return found


def _checked(cell: ExportedCell, shown: str) -> _CheckedCell:
    where = cell_label(shown, cell.number)
    code = cell.code.replace("\r\n", "\n").replace("\r", "\n")
    try:
        tree = ast.parse(code, filename=where)
        _compile(code, where)
    except SyntaxError as error:
        raise _syntax_error(where, cell, error.lineno, error.msg) from None
    except ValueError as error:  # a NUL byte in the source
        raise _syntax_error(where, cell, None, str(error)) from None
    lines = code.split("\n")
    future: list[str] = []
    for node in _leading_future_imports(tree):
        future.append("\n".join(lines[node.lineno - 1:node.end_lineno]).strip())
        lines[node.lineno - 1:node.end_lineno] = [""] * (node.end_lineno - node.lineno + 1)
    names = public_names(tree) if cell.public else []
    code = "\n".join(lines).rstrip()
    body = code.lstrip("\n")
    return _CheckedCell(
        cell=cell, future_imports=tuple(future), body=body, first_body_line=len(code) - len(body) + 1, names=tuple(names),
    )


def _all_statement(names: list[str]) -> str:
    one_line = f"__all__ = [{', '.join(repr(name) for name in names)}]"
    if len(one_line) <= ALL_LINE_WIDTH:
        return one_line
    return "__all__ = [\n" + "".join(f"    {name!r},\n" for name in names) + "]"


def build_module_source(cells: tuple[ExportedCell, ...], notebook_label: str, shown: str) -> ModuleSource:
    """The module text for `cells`; `notebook_label` is the notebook's path as the header names it.

    Raises `ExportError` naming the cell (number and first line) and the line of a syntax error.
    """
    checked = [_checked(cell, shown) for cell in cells]
    names = list(dict.fromkeys(name for item in checked for name in item.names))
    future = list(dict.fromkeys(line for item in checked for line in item.future_imports))
    chunks = ["\n".join(messages.generated_header(notebook_label))]
    if future:
        chunks.append("\n".join(future))
    chunks.append(_all_statement(names))
    cell_starts: list[tuple[int, _CheckedCell]] = []
    for item in checked:
        lines_so_far = "\n\n".join(chunks).count("\n") + 1
        cell_starts.append((lines_so_far + 3, item))  # after a blank line and the cell marker
        chunks.append(f"# %% {cell_label(notebook_label, item.cell.number)}\n{item.body}")
    text = "\n\n".join(chunks) + "\n"
    _check_whole_module(text, cell_starts, shown)
    return ModuleSource(text=text, names=tuple(names))


def _check_whole_module(text: str, cell_starts: list[tuple[int, _CheckedCell]], shown: str) -> None:
    try:
        _compile(text, shown)
    except SyntaxError as error:
        line = error.lineno or 1
        start, item = next((pair for pair in reversed(cell_starts) if pair[0] <= line), cell_starts[0])
        cell_line = max(line - start, 0) + item.first_body_line
        raise _syntax_error(cell_label(shown, item.cell.number), item.cell, cell_line, error.msg) from None
