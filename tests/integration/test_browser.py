"""kedro-viz served on 127.0.0.1 and opened in headless Chromium (see browser.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .browser import chromium, clean_screenshot, require_chromium, screenshot_path

pytestmark = pytest.mark.integration

# A returning visitor's settings: feature hints (the first-visit tour) off.
HINTS_OFF = """
const saved = JSON.parse(localStorage.getItem('KedroViz') || '{}');
localStorage.setItem('KedroViz', JSON.stringify({...saved, showFeatureHints: false}));
"""
# Offline, kedro-viz 12.5 cannot ask for its latest version and announces "Kedro-Viz None
# is here!"; the banner keeps no state, so it is dismissed on the page, as is the tour.
DISMISS_REMINDER = """
for (const b of document.querySelectorAll('.update-reminder-unexpanded button')) {
  if (b.textContent.trim() === 'Dismiss') b.click();
}
for (const close of document.querySelectorAll('.feature-hints__close')) close.click();
"""


def _free_port() -> int:
    """A free port below 49152: kedro-viz refuses the ephemeral range."""
    for port in range(41_410, 49_000):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port between 41410 and 49000 on 127.0.0.1")


def test_kedro_viz_shows_the_named_nodes(project: Path, tmp_path: Path) -> None:
    require_chromium()
    port = _free_port()
    log = (tmp_path / "viz.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kedro",
            "viz",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-browser",
        ],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # kedro-viz serves from a child process: stop the group
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_served(f"{url}/api/main", server, tmp_path / "viz.log")
        dom = chromium(f"{url}/?pid=training", "--dump-dom")
        for name in ("tune_lightgbm_with_optuna", "refit_lightgbm", "build_leaderboard"):
            assert f">{name}</text>" in dom, name
        shot = screenshot_path("kedro-viz-training.png", tmp_path)
        clean_screenshot(
            f"{url}/?pid=training",
            shot,
            storage=HINTS_OFF,
            prepare=DISMISS_REMINDER,
            ready="document.querySelectorAll('.pipeline-node').length > 5",
        )
        assert shot.stat().st_size > 10_000
    finally:
        _stop_group(server)
        log.close()


def _stop_group(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and the worker it spawned, which outlives a terminated parent."""
    group = server.pid  # start_new_session: the server leads its own process group
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)  # anyone left in the group?
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(group, signal.SIGKILL)


def _wait_until_served(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"kedro viz did not serve {url}:\n{log.read_text()[-3000:]}")
            time.sleep(1)
