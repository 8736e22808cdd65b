"""Every sentence the exporter says: one-line errors naming what and where, the generated header, the summary.

Frontends (the magic, the CLI, tito) show these texts and word nothing about exports themselves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.messages import quoted_list

if TYPE_CHECKING:
    from .api import ExportResult
    from .fresh_imports import FreshImports

MAX_SHOWN = 60
EXPORT_HINT = "%milestones export, or tinytorch-milestones export"
UNSAVED_EDITS_REMINDER = "Exporting the notebook as last saved: save it first (Ctrl+S) so unsaved edits are included."


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` on one line, cut to `limit` characters with "..." when longer."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# --- the notebook file --------------------------------------------------------

def notebook_missing(notebook: Any) -> str:
    return f"no such notebook: {os.fspath(notebook)}"


def notebook_is_folder(notebook: Any) -> str:
    return f"{os.fspath(notebook)} is a folder, not a notebook (.ipynb) file"


def notebook_not_a_regular_file(notebook: Any) -> str:
    return f"{os.fspath(notebook)} is not a regular file (a pipe or a device), so it is not read as a notebook"


def not_a_notebook_file(notebook: Any) -> str:
    return f"{os.fspath(notebook)} is not a notebook: expected a .ipynb file"


def notebook_unreadable(shown: str, reason: str) -> str:
    return f"cannot read {shown}: {reason}"


def notebook_not_utf8(shown: str, position: int) -> str:
    return f"{shown} is not UTF-8 text (undecodable byte at offset {position}), so it is not a notebook"


def notebook_invalid_json(shown: str, line: int, column: int, problem: str) -> str:
    return f"{shown} is not valid JSON (line {line}, column {column}: {problem}), so it is not a notebook"


def notebook_without_format(shown: str) -> str:
    return f"{shown} is JSON but not a Jupyter notebook (it has no 'nbformat' version)"


def notebook_unsupported_format(shown: str, version: Any, supported: int) -> str:
    return (
        f"{shown} uses notebook format {shorten(repr(version))}; only format {supported} can be exported "
        f"(open and save it in Jupyter to upgrade it)"
    )


def notebook_too_deep(shown: str) -> str:
    return f"{shown} is JSON nested too deeply to read, so it is not a notebook"


CELLS_NOT_A_LIST = "is not a list of cells"
CELL_NOT_AN_OBJECT = "is not a cell object"
NOT_AN_OBJECT = "is not an object"


def bad_cell_type(value: Any, valid: Sequence[str]) -> str:
    return f"{shorten(repr(value))} is not a cell type (valid: {quoted_list(valid)})"


def missing_field(name: str) -> str:
    return f"{name!r} is missing"


def source_not_text(value: Any) -> str:
    return f"{shorten(repr(value))} is neither text nor a list of lines"


def notebook_invalid(shown: str, where: str, problem: str) -> str:
    return f"{shown} is not a valid notebook: {where}: {problem}"


# --- the module name for the tracker ------------------------------------------

NAME_GIVEN = "the module name given"
NAME_FROM_METADATA = "the module name in the notebook's metadata (metadata.tinytorch.module)"
NAME_FROM_FILE_NAME = "the module name taken from the file name"


def bad_module_name(shown: str, source: str, reason: str) -> str:
    return f"{shown}: {source} is not a course module: {reason} (pass --module NAME / module=NAME to choose one)"


# --- directives and targets ---------------------------------------------------

def no_default_exp(shown: str) -> str:
    return f"{shown} has no '#| default_exp' cell, so there is no module to export to (add a cell like '#| default_exp core.tensor')"


def nothing_to_export(shown: str) -> str:
    return f"{shown} has no cell marked '#| export' or '#| exporti' at its top, so there is nothing to export"


def default_exp_needs_one_name(where: str, args: Sequence[str]) -> str:
    return f"{where}: '#| default_exp' needs exactly one module name like core.tensor, got {shorten(' '.join(args)) or 'none'}"


def default_exp_conflict(where: str, value: str, earlier: str, earlier_cell: int) -> str:
    return f"{where}: '#| default_exp {shorten(value)}' contradicts '#| default_exp {shorten(earlier)}' in cell {earlier_cell}"


def export_to_several_modules(where: str, directive: str, args: Sequence[str]) -> str:
    return (
        f"{where}: '#| {directive} {shorten(' '.join(args))}' names more than one module: "
        f"a cell is exported to one module, like '#| {directive} core.transformer'"
    )


def bad_target_module(where: str, directive: str, value: str) -> str:
    return (
        f"{where}: '#| {directive} {shorten(value)}' is not a module inside the package: "
        f"use dotted Python names like core.tensor (no paths, '..', or keywords)"
    )


def package_root_missing(package_root: Any) -> str:
    return f"package root {os.fspath(package_root)} is not an existing folder (it should hold, or will hold, tinytorch/)"


def target_is_package(folder: Path, dotted_name: str) -> str:
    return f"cannot export {dotted_name} as a file: {folder} is a package folder of that name (export to {dotted_name.removeprefix('tinytorch.')}.__init__ instead)"


def target_is_folder(path: Path, dotted_name: str) -> str:
    return f"cannot export {dotted_name}: {path} is a folder, not a module file"


def package_folder_is_file(path: Path, dotted_name: str) -> str:
    return f"cannot export {dotted_name}: {path} is a file where a package folder has to go"


def module_beside_package(module_file: Path, dotted_name: str) -> str:
    return f"cannot export {dotted_name}: {module_file} exists, and a package folder of the same name would hide it"


def link_leaves_package(link: Path, leads_to: Path, package_root: Path) -> str:
    return (
        f"will not export through {link}: it is a symbolic link to {leads_to}, outside the package root {package_root}; "
        f"exports stay inside the package (replace the link with a real folder or file)"
    )


def link_loop(link: Path, dotted_name: str) -> str:
    return f"cannot export {dotted_name}: the symbolic link {link} leads round in a loop (remove it)"


def cell_syntax_error(where: str, first_line: str, line: int | None, problem: str) -> str:
    at_line = f", line {line}" if line else ""
    return f"{where} ({shorten(first_line, 40)!r}){at_line}: {shorten(problem, 120)}"


# --- writing --------------------------------------------------------------------

GENERATED_MARKER = "AUTOGENERATED! DO NOT EDIT!"  # nbdev's words: an export may replace a file whose header has them


def generated_header(notebook_label: str, other_notebooks: Sequence[str] = ()) -> list[str]:
    """The comment lines at the top of every exported module; `other_notebooks` also export cells into it."""
    lines = [
        f"# {GENERATED_MARKER} File to edit: {notebook_label}",
        f"# Written by tinytorch-milestones from that notebook's exported cells; edit the notebook and export again ({EXPORT_HINT}).",
    ]
    if other_notebooks:
        lines.append(f"# Cells also come from {', '.join(other_notebooks)}: each cell below names its notebook.")
    return lines


CODE_TOO_DEEP = "the code is nested too deeply for Python to compile"


def module_too_deep(shown: str) -> str:
    return f"{shown}: the exported code is nested too deeply for Python to compile"


MARKER_LINE_IN_CELL = "a line like '# %% name.ipynb 3' marks the cells of an exported module: reword this comment"


def kept_cell_broken(shown: str, cell: str, problem: str) -> str:
    return (
        f"{shown}: its cells would break the module that other notebooks export into, at {shorten(cell)}: "
        f"{shorten(problem, 120)}"
    )


def target_hand_written(path: Path, marker: str) -> str:
    return (
        f"will not overwrite {path}: it was not written by an export (no {marker!r} comment at its top, "
        f"after an optional docstring); move it away first"
    )


def module_not_utf8(path: Path, position: int) -> str:
    return f"cannot export into {path}: it is not UTF-8 text (undecodable byte at offset {position}); move it away first"


def module_unreadable(path: Path, reason: str) -> str:
    return f"cannot read {path}: {reason}"


def write_failed(path: Any, reason: str) -> str:
    return f"cannot write {os.fspath(path)}: {reason}"


# --- finding the current notebook ---------------------------------------------

PASS_A_PATH = "pass the notebook's path to export (export NOTEBOOK.ipynb)"


def notebook_not_found(folder: Path, notebooks: Sequence[str]) -> str:
    if notebooks:
        return (
            f"cannot tell which notebook to export: {folder} holds several ({quoted_list(notebooks)}) "
            f"and none holds the code this kernel ran; {PASS_A_PATH}"
        )
    return f"cannot tell which notebook this is and {folder} holds none: {PASS_A_PATH}"


def notebook_ambiguous(folder: Path, matching: Sequence[str]) -> str:
    return (
        f"cannot tell which notebook to export: in {folder}, {quoted_list(matching)} hold the code this kernel ran "
        f"equally well; {PASS_A_PATH}"
    )


def notebook_folder_unreadable(folder: Path, reason: str) -> str:
    return f"cannot look for the notebook in {folder}: {reason}; {PASS_A_PATH}"


# --- after an export ----------------------------------------------------------

def exported(result: ExportResult) -> str:
    """One line saying what was exported where."""
    parts = [
        f"{module.cell_count} cell{'s' if module.cell_count != 1 else ''} to {module.target} "
        f"({module.import_name}; __all__: {quoted_list(module.names)})"
        for module in result.modules
    ]
    return f"Exported {' and '.join(parts)} from {result.notebook.name}." if len(parts) > 1 else (
        f"Exported {parts[0].replace(' to ', f' of {result.notebook.name} to ', 1)}."
    )


def added_to_sys_path(folder: Path) -> str:
    return f"added {folder} to sys.path so `import tinytorch` finds your package"


def fresh_imports_advice(fresh: FreshImports) -> str | None:
    """What the user should do so the kernel runs the exported code, or what was done for it; None when nothing."""
    if fresh.added_to_sys_path is not None:
        return added_to_sys_path(fresh.added_to_sys_path)
    if not fresh.imports_exported_code:
        if fresh.imports_from is None:
            return (
                f"`import tinytorch` will not find {fresh.exported_to}: add its parent folder to sys.path "
                f"(sys.path.insert(0, {str(fresh.exported_to.parent)!r})) or install the package."
            )
        return f"`import tinytorch` loads {fresh.imports_from}, not the exported {fresh.exported_to}: put {fresh.exported_to.parent} first on sys.path."
    if fresh.purged:
        return (
            f"Dropped the {len(fresh.purged)} tinytorch modules imported before the export: "
            f"re-run your tinytorch imports so your names use the new code."
        )
    return None
