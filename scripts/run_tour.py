"""Execute notebooks/tour.ipynb headless, print what each cell showed, and save the executed copy.

Everything the kernel writes (progress, IPython and Jupyter folders) goes to a throwaway folder.
The saved copy keeps each output's HTML and text but no widget state: static renderers (nbconvert's
HTML, GitHub) then show the views' HTML, which needs no network, and the file stays small.
Usage: .venv/bin/python scripts/run_tour.py [OUTPUT.ipynb]   (default: demo-output/tour.ipynb)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
TOUR = REPO / "notebooks" / "tour.ipynb"


def kernel_environment(scratch: Path) -> dict[str, str]:
    """The kernel's environment: ours, with every folder it could write to moved into `scratch`."""
    folders = ("TINYTORCH_HOME", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "MPLCONFIGDIR")
    return {**os.environ, **{name: str(scratch / name.lower()) for name in folders}}


def shown_text(output: dict) -> str:
    """What a terminal can show of one cell output: its plain text or stream text."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}\n"
    return output.get("data", {}).get("text/plain", "") + "\n"


def execute(notebook: nbformat.NotebookNode, path: Path, session_name: Path | None = None) -> None:
    """Run every cell of `notebook` in a fresh kernel working in `path`, in place; no widget state is stored.

    `session_name` tells the kernel which notebook it runs (as JupyterLab does); headless runs say nothing.
    """
    with tempfile.TemporaryDirectory(prefix="tinytorch-tour-kernel-") as scratch:
        client = NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=False,
                                resources={"metadata": {"path": str(path)}})
        kernel_log = Path(scratch) / "kernel.log"
        env = kernel_environment(Path(scratch))
        if session_name is not None:
            env["JPY_SESSION_NAME"] = str(session_name)
        with kernel_log.open("w") as log:  # the kernel's own log lines, shown only if the run fails
            try:
                client.execute(env=env, stderr=log)
            except Exception:
                print(kernel_log.read_text(), file=sys.stderr)
                raise


def main() -> int:
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "demo-output" / "tour.ipynb"
    notebook = nbformat.read(TOUR, as_version=4)
    execute(notebook, TOUR.parent, TOUR)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            print(f"\n>>> {cell.source}")
            print("".join(shown_text(output) for output in cell.outputs).rstrip())
    destination.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, destination)
    size_kb = destination.stat().st_size / 1024
    print(f"\nThe executed tour ({size_kb:.0f} KB; its views as HTML and text) is at {destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
