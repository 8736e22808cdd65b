"""JupyterLab and headless Chromium for the browser test, each started as our own process and stopped by its id.

Chromium is Debian's (`scripts/install-browser` installs it when missing; never `playwright install`);
Playwright drives it over the DevTools protocol. JupyterLab serves a copy of the course notebooks on
127.0.0.1 with the test's own TINYTORCH_HOME, Jupyter and IPython folders (see tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("TINYTORCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop `process` and the children it started (its own process group, by its id): SIGTERM, then SIGKILL."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium, installed by scripts/install-browser if missing; the test skips only if it cannot be."""
    if not CHROMIUM.exists():
        installed = subprocess.run(["bash", str(REPO / "scripts" / "install-browser")], capture_output=True, text=True)
        if installed.returncode != 0 or not CHROMIUM.exists():
            reason = installed.stderr.strip().splitlines()[-1:] or [f"{CHROMIUM} is missing"]
            pytest.skip(f"Chromium cannot be installed here: {reason[0]}")
    return CHROMIUM


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its root folder, address, token and log."""

    root: Path
    url: str
    token: str
    log: Path
    env: dict[str, str]

    def page_url(self, notebook: str) -> str:
        """The address that opens `notebook` alone (a fresh workspace, so earlier tabs do not come back)."""
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session (and its kernel), as closing the notebooks would."""
        for session in self.api("GET", "/api/sessions"):  # type: ignore[union-attr]
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


LAB_SETTINGS = {
    # No news or update pop-ups over the screenshots.
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Start the notebook's own kernel without asking (the "Select Kernel" dialog's checkbox), and keep
    # every cell in the page (JupyterLab 4 otherwise renders only the cells near the screen).
    "notebook-extension/tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
}


def _lab_settings(folder: Path) -> Path:
    """JupyterLab user settings for an unattended run."""
    for plugin, settings in LAB_SETTINGS.items():
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    return folder


@pytest.fixture
def lab(tmp_path: Path, isolated_home: Path) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 serving a copy of the course notebooks, stopped (with its kernels) by its process id."""
    root = tmp_path / "course"
    root.mkdir()
    for source in (REPO / "notebooks").iterdir():
        if source.suffix == ".ipynb" or source.name == "settings.ini":
            (root / source.name).write_bytes(source.read_bytes())
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ,
           "JUPYTERLAB_SETTINGS_DIR": str(_lab_settings(tmp_path / "lab-settings")),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces")}
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", f"--port={port}",
             "--ServerApp.port_retries=0", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
             "--allow-root"],
            env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Lab(root, f"http://127.0.0.1:{port}", token, log, env)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                running.api("GET", "/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on {running.url}:\n{running.log_tail()}")
                time.sleep(0.3)
        yield running
    finally:
        stop_process_group(server)


@pytest.fixture
def page(chromium: Path, tmp_path: Path) -> Iterator[object]:
    """A Playwright page in our own headless Chromium process (connected over DevTools), stopped by its id."""
    from playwright.sync_api import sync_playwright

    browser_log = tmp_path / "chromium.log"
    with browser_log.open("w") as out:
        process = subprocess.Popen(
            [str(chromium), *CHROMIUM_ARGS, "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'chromium-profile'}",
             "about:blank"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        endpoint = _devtools_endpoint(browser_log, process)
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(endpoint)
            context = browser.new_context(viewport=VIEWPORT)
            yield context.new_page()
            context.close()
            browser.close()
    finally:
        stop_process_group(process)


def _devtools_endpoint(log: Path, process: subprocess.Popen) -> str:
    """The DevTools address Chromium prints once it listens."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        found = re.search(r"DevTools listening on (ws://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"Chromium did not start:\n{log.read_text(errors='replace')[-2000:]}")
