"""Headless Chromium (Debian's `chromium`) for the browser tests.

`.ci/run` installs Chromium when it is missing and sets CREDIT_RISK_REQUIRE_BROWSER=1, so
in CI the browser tests run; elsewhere they are skipped when no Chromium is found. With
CREDIT_RISK_UPDATE_SCREENSHOTS=1 their screenshots are written to docs/images/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import PROJECT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The flags a root, offline, screenless machine needs (no sandbox, no background calls).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
    "--virtual-time-budget=15000",
    "--window-size=1600,1000",
]


def chromium(url: str, *action: str) -> str:
    """Run headless Chromium on ``url`` with ``action`` (--dump-dom or --screenshot=...)."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *action, url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


def screenshot_path(name: str, tmp_path: Path) -> Path:
    if os.environ.get("CREDIT_RISK_UPDATE_SCREENSHOTS") == "1":
        return PROJECT / "docs" / "images" / name
    return tmp_path / name


def require_chromium() -> None:
    """Skip without Chromium, unless CI said it must be there."""
    if CHROMIUM is None:
        if os.environ.get("CREDIT_RISK_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here: apt-get install chromium")
        pytest.skip("no Chromium here (apt-get install chromium)")
