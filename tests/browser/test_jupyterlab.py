"""The notebook experience in a real browser: JupyterLab 4 in headless Chromium, driven by Playwright.

One story, step by step, as a student lives it: run the course notebooks (Run All), see each export
and its unlock card; open the progress view; watch it change when a terminal completes a module;
verify a milestone with its button, then fail one with a broken module; look at light and dark themes.
Screenshots land in a folder under the test's temp dir (its path is printed). A failing step says which
step did not appear, with a screenshot of that moment.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import Lab

pytestmark = pytest.mark.browser

STEP_TIMEOUT_MS = 90_000
VERIFY_TIMEOUT_MS = 240_000
# The course notebooks run in the browser, in order, and the unlock card each export shows.
# 12_attention is left for the terminal, so the open progress view has something to update.
COURSE = [
    ("00_setup", []),
    ("01_tensor", []),
    ("02_autograd", ["perceptron"]),
    ("03_nn", ["xor"]),
    ("04_training", ["mlp_digits"]),
    ("07_spatial", ["cnn"]),
    ("11_embeddings", []),
]
# True once an element's text colour is light (the dark theme's).
LIGHT_TEXT = "el => getComputedStyle(el).color.match(/\\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) > 3 * 128"
MILESTONE_IDS = ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]
# Counts, in the page, the streamed log lines that ever appeared in a row's live output area.
WATCH_STREAMING = """view => {
    window.ttStreamedLines = 0;
    const count = () => {
        for (const pre of view.querySelectorAll('.tt-verify-live pre')) {
            window.ttStreamedLines = Math.max(window.ttStreamedLines, pre.textContent.trim().split('\\n').filter(Boolean).length);
        }
    };
    new MutationObserver(count).observe(view, {subtree: true, childList: true, characterData: true});
}"""
PROGRESS_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "load", "metadata": {}, "outputs": [],
         "source": "%load_ext tinytorch_milestones"},
        {"cell_type": "code", "execution_count": None, "id": "progress", "metadata": {}, "outputs": [],
         "source": "%milestones progress"},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


class Student:
    """The browser page, with what a student does (menus, buttons) and a named step for each thing they expect."""

    def __init__(self, page, lab: Lab, shots: Path) -> None:
        self.page = page
        self.lab = lab
        self.shots = shots

    def screenshot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        """Fail with "step did not appear: `what`", a screenshot and the server log's tail, if the block fails."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            yield
        except (AssertionError, PlaywrightError) as error:
            slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:60]
            shot = self.screenshot(f"failed-{slug}")
            detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            pytest.fail(f"browser step did not appear: {what}\n  ({detail})\n  screenshot: {shot}\n"
                        f"  JupyterLab log:\n{self.lab.log_tail(15)}", pytrace=False)

    def open(self, notebook: str) -> None:
        self.page.goto(self.lab.page_url(notebook))
        with self.step(f"{notebook} opens with an idle kernel"):
            self.page.locator(".jp-Notebook").first.wait_for(timeout=STEP_TIMEOUT_MS)
            self.page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"ipykernel\)? \| Idle")).first.wait_for(
                timeout=STEP_TIMEOUT_MS)

    def menu(self, *labels: str) -> None:
        """Click through the menu bar: `menu("Run", "Run All Cells")`."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{labels[0]}$")).click()
        for label in labels[1:-1]:
            self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{label}$")).hover()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(labels[-1])}$")).click()

    def run_all(self, notebook: str) -> None:
        self.menu("Run", "Run All Cells")
        with self.step(f"every cell of {notebook} ran (Run All)"):
            last = self.page.locator(".jp-CodeCell").last.locator(".jp-InputPrompt")
            self.page.wait_for_function(
                "el => /\\[\\d+\\]/.test(el.textContent)", arg=last.element_handle(), timeout=STEP_TIMEOUT_MS * 2)
            errors = self.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, f"a cell wrote to stderr: {errors.first.inner_text()[:300]}"

    def last_output(self):
        return self.page.locator(".jp-CodeCell").last.locator(".jp-Cell-outputArea")


def write_progress_notebook(root: Path) -> str:
    (root / "progress.ipynb").write_text(json.dumps(PROGRESS_NOTEBOOK))
    return "progress.ipynb"


def break_the_optimizer(root: Path) -> None:
    """A broken module, as a student could export one: SGD.step that moves nothing."""
    exported = next(path for path in (root / "tinytorch").rglob("*.py") if "class SGD" in path.read_text())
    exported.write_text(exported.read_text() + "\n\nSGD.step = lambda self: None\n")


@pytest.fixture
def shots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    with capsys.disabled():
        print(f"\nbrowser test screenshots: {folder}")
    return folder


def test_a_student_runs_the_course_watches_progress_and_verifies_in_jupyterlab(page, lab: Lab, shots: Path) -> None:
    student = Student(page, lab, shots)

    for notebook, unlocks in COURSE:
        student.open(f"{notebook}.ipynb")
        student.run_all(notebook)
        output = student.last_output()
        with student.step(f"the export cell of {notebook} names the module"):
            assert notebook in output.inner_text(), output.inner_text()[:500]
        with student.step(f"the export cell of {notebook} shows the unlock card of {unlocks or 'nothing'}"):
            cards = output.locator(".tt-unlock-panel[data-milestone]")
            if unlocks:
                cards.first.wait_for(timeout=STEP_TIMEOUT_MS)
            assert [cards.nth(i).get_attribute("data-milestone") for i in range(cards.count())] == unlocks
        if notebook == "02_autograd":
            student.screenshot("01-export-unlocks-the-perceptron")
        lab.shut_down_kernels()

    student.open(write_progress_notebook(lab.root))
    student.run_all("progress.ipynb")
    view = page.locator(".tt-milestones-view.tt-view-progress")
    with student.step("the progress view shows five milestones with statuses and progress bars"):
        view.wait_for(timeout=STEP_TIMEOUT_MS)
        rows = view.locator(".tt-milestone-row")
        assert rows.count() == 5
        assert [view.locator(f".tt-milestone-{m} .tt-status").inner_text() for m in MILESTONE_IDS] == [
            "🔓 Unlocked", "🔓 Unlocked", "🔓 Unlocked", "🔓 Unlocked", "🔒 Locked"]
        assert view.locator(".widget-hprogress").count() == 5
        assert view.locator(".tt-milestone-transformer .tt-requirements-count").inner_text() == "6/7 modules"
        assert view.locator(".tt-verify-button:visible").count() == 4
    student.screenshot("02-progress-light")

    with student.step("the open view updates itself after `tinytorch-milestones complete 12_attention` in a terminal"):
        subprocess.run([sys.executable, "-m", "tinytorch_milestones", "complete", "12_attention"],
                       env=lab.env, check=True, capture_output=True)
        transformer = view.locator(".tt-milestone-transformer")
        transformer.locator(".tt-status", has_text="Unlocked").wait_for(timeout=STEP_TIMEOUT_MS)
        # the row's widgets update one model message at a time: wait for the count too
        transformer.locator(".tt-requirements-count", has_text="7/7 modules").wait_for(timeout=STEP_TIMEOUT_MS)

    perceptron = view.locator(".tt-milestone-perceptron")
    view.evaluate(WATCH_STREAMING)  # a quick run may stream and fold before a poll would see it
    perceptron.locator(".tt-verify-button").click()
    with student.step("the perceptron's verification streams its output"):
        page.wait_for_function("window.ttStreamedLines > 0", timeout=STEP_TIMEOUT_MS)
        student.screenshot("03-verify-streaming")
    with student.step("the perceptron's compact result line, completion card and Completed status"):
        result = perceptron.locator(".tt-verify-result")
        result.locator(".tinytorch-verification-passed").wait_for(timeout=VERIFY_TIMEOUT_MS)
        assert "1957 - The Perceptron" in result.inner_text()
        assert result.locator(".tt-completion-card").is_visible()
        perceptron.locator(".tt-status", has_text="Completed").wait_for(timeout=STEP_TIMEOUT_MS)
        assert not perceptron.locator(".tt-verify-live").is_visible()
        assert not perceptron.locator(".tt-verify-output").is_visible(), "the log should be folded"
    with student.step("the folded log opens on a click and shows the run's output"):
        perceptron.locator(".tt-verify-log .lm-AccordionPanel-title, .tt-verify-log .jupyter-widget-Collapse-header").first.click()
        perceptron.locator(".tt-verify-output").wait_for(timeout=STEP_TIMEOUT_MS)
        assert "epoch" in perceptron.locator(".tt-verify-output").inner_text()
        perceptron.locator(".tt-verify-log .lm-AccordionPanel-title, .tt-verify-log .jupyter-widget-Collapse-header").first.click()

    break_the_optimizer(lab.root)
    xor = view.locator(".tt-milestone-xor")
    xor.locator(".tt-verify-button").click()
    with student.step("a broken module fails XOR's verification with a one-line reason"):
        failed = xor.locator(".tt-verify-result .tinytorch-verification-failed")
        failed.wait_for(timeout=VERIFY_TIMEOUT_MS)
        reason = failed.locator(".tinytorch-verification-message").inner_text()
        assert "SGD: step() moved parameter" in reason and "\n" not in reason.strip(), reason
        assert xor.locator(".tt-status").inner_text() == "🔓 Unlocked"
    with student.step("the view with one folded log fits one screen"):
        box = view.bounding_box()
        assert box is not None and box["height"] < page.viewport_size["height"], box
        view.scroll_into_view_if_needed()
        student.screenshot("04-progress-after-verify-light")

    student.menu("Settings", "Theme", "JupyterLab Dark")
    with student.step("the dark theme shows the view in light text"):
        name = view.locator(".tt-milestone-perceptron .tt-milestone-header .tt-milestone-name")
        page.wait_for_function(LIGHT_TEXT, arg=name.element_handle(), timeout=STEP_TIMEOUT_MS)
        view.scroll_into_view_if_needed()
        student.screenshot("05-progress-after-verify-dark")
    lab.shut_down_kernels()
