"""The text of the generated module: header, `__all__`, then each exported cell, all compiled before use.

Every cell is parsed on its own first, so a syntax error names its cell and line; the whole module
is then compiled once, and an error only the compiler sees is traced back to its cell and line. `from __future__`
imports at the top of a cell are moved to the top of the module, where Python requires them.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from . import messages
from .cells import ExportedCell, cell_label
from .errors import ExportError
from .generated_file import AUTO_MARKER, CELL_MARKER, UNKNOWN_NOTEBOOK, Block, GeneratedModule, notebook_name
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
    except SyntaxError as error:
        raise _syntax_error(where, cell, error.lineno, error.msg) from None
    except ValueError as error:  # a NUL byte in the source
        raise _syntax_error(where, cell, None, str(error)) from None
    except (RecursionError, MemoryError):
        raise _syntax_error(where, cell, None, messages.CODE_TOO_DEEP) from None
    lines = code.split("\n")
    for number, line in enumerate(lines, start=1):
        if CELL_MARKER.match(line) or AUTO_MARKER.match(line):
            raise _syntax_error(where, cell, number, messages.MARKER_LINE_IN_CELL)
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


def _block_names(block: Block) -> list[str]:
    """The `__all__` names a kept block defines (parsed alone; a block that does not parse shows none)."""
    try:
        return public_names(ast.parse(block.code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


def _combined_names(own: list[str], existing: GeneratedModule, kept: list[Block], dropped: list[Block], first: bool) -> list[str]:
    """`__all__` of the combined module: the other notebooks' names as the old `__all__` listed them (so their
    `exporti` names stay out), minus names only this notebook's old cells defined, plus this notebook's names."""
    kept_defined = {name for block in kept for name in _block_names(block)}
    old_own = {name for block in dropped for name in _block_names(block)}
    listed = existing.all_names if existing.all_names is not None else [name for block in kept for name in _block_names(block)]
    others = [name for name in listed if name in kept_defined or name not in old_own]
    return list(dict.fromkeys([*own, *others] if first else [*others, *own]))


def _is_mine(block: Block, notebook_label: str, owner: bool) -> bool:
    """Whether a block of the old module is this notebook's: its file name, or unattributed code in the module it owns."""
    return block.notebook_name == notebook_name(notebook_label) or (owner and block.notebook_name == UNKNOWN_NOTEBOOK)


@dataclass(frozen=True)
class _Piece:
    """One cell of the module to write: its marker line and code, and the checked cell if it is this notebook's."""

    marker: str
    code: str
    notebook: str
    own: _CheckedCell | None = None


def _pieces(checked: list[_CheckedCell], notebook_label: str, existing: GeneratedModule | None, owner: bool) -> tuple[list[_Piece], bool]:
    """This notebook's cells put among the other notebooks' kept cells, and whether they come first.

    They go where this notebook's cells were before; in a new place, first for the notebook whose
    `default_exp` the module is, else after the others (nbdev appends them).
    """
    own = [_Piece(f"# %% {cell_label(notebook_label, item.cell.number)}", item.body, notebook_label, item) for item in checked]
    if existing is None:
        return own, True
    blocks = list(existing.blocks)
    mine = [_is_mine(block, notebook_label, owner) for block in blocks]
    kept = [_Piece(block.marker, block.code, block.notebook) for block, own in zip(blocks, mine) if not own]
    if any(mine):
        at = sum(1 for own in mine[: mine.index(True)] if not own)
    else:
        at = 0 if owner else len(kept)
    return [*kept[:at], *own, *kept[at:]], at == 0


def build_module_source(
    cells: tuple[ExportedCell, ...],
    notebook_label: str,
    shown: str,
    existing: GeneratedModule | None = None,
    owner: bool = True,
) -> ModuleSource:
    """The module text for `cells`; `notebook_label` is the notebook's path as the header names it.

    With `existing` (the module as an earlier export left it), the other notebooks' cells are kept
    and this notebook's earlier cells are replaced, so several notebooks can export into one module
    as with nbdev; `owner` says whether the module is this notebook's `default_exp`. Raises
    `ExportError` naming the cell (number and first line) and the line of a syntax error.
    """
    checked = [_checked(cell, shown) for cell in cells]
    pieces, first = _pieces(checked, notebook_label, existing, owner)
    own_names = list(dict.fromkeys(name for item in checked for name in item.names))
    if existing is None:
        names = own_names
    else:
        kept = [block for block in existing.blocks if not _is_mine(block, notebook_label, owner)]
        dropped = [block for block in existing.blocks if _is_mine(block, notebook_label, owner)]
        names = _combined_names(own_names, existing, kept, dropped, first)
    future = list(dict.fromkeys([*(existing.future_imports if existing else ()), *(f for item in checked for f in item.future_imports)]))
    notebooks = list(dict.fromkeys(piece.notebook for piece in pieces)) or [notebook_label]
    chunks = ["\n".join(messages.generated_header(notebooks[0], notebooks[1:]))]
    if future:
        chunks.append("\n".join(future))
    chunks.append(_all_statement(names))
    starts: list[tuple[int, _Piece]] = []
    for piece in pieces:
        lines_so_far = "\n\n".join(chunks).count("\n") + 1
        starts.append((lines_so_far + 3, piece))  # after a blank line and the cell marker
        chunks.append(f"{piece.marker}\n{piece.code}")
    text = "\n\n".join(chunks) + "\n"
    _check_whole_module(text, starts, shown)
    return ModuleSource(text=text, names=tuple(names))


def _check_whole_module(text: str, starts: list[tuple[int, _Piece]], shown: str) -> None:
    """Compile the module once (each cell was parsed on its own already); an error that only the compiler
    sees ('return' outside a function, a misplaced future import) is named by its cell and line."""
    try:
        _compile(text, shown)
    except (RecursionError, MemoryError):
        raise ExportError(messages.module_too_deep(shown)) from None
    except SyntaxError as error:
        line = error.lineno or 1
        start, piece = next((pair for pair in reversed(starts) if pair[0] <= line), starts[0])
        if piece.own is None:
            raise ExportError(messages.kept_cell_broken(shown, piece.marker.removeprefix("# %% "), error.msg)) from None
        item = piece.own
        cell_line = max(line - start, 0) + item.first_body_line
        raise _syntax_error(cell_label(shown, item.cell.number), item.cell, cell_line, error.msg) from None
