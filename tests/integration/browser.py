"""Headless Chromium (Debian's `chromium`) for the browser tests.

`.ci/run` installs Chromium when it is missing and sets CREDIT_RISK_REQUIRE_BROWSER=1, so
in CI the browser tests run; elsewhere they are skipped when no Chromium is found. With
CREDIT_RISK_UPDATE_SCREENSHOTS=1 their screenshots are written to docs/images/.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

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


class DevTools:
    """Headless Chromium driven over the DevTools protocol on a pipe (no extra package).

    ``--remote-debugging-pipe`` makes Chromium read JSON commands from its fd 3 and write
    replies and events to its fd 4, each message ending in a NUL byte.
    """

    def __init__(self, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child, before exec: the pipes become fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        flags = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]
        self._process = subprocess.Popen(
            [str(CHROMIUM), *flags, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            preexec_fn=wire,  # noqa: PLW1509  (single-threaded test process)
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply (events in between are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, session=True, **params)

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page and return its value."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self) -> None:
        """End Chromium the way a user would, so its helpers stop writing to the profile."""
        with contextlib.suppress(OSError, RuntimeError):  # already gone
            self.call("Browser.close")
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=30)
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def clean_screenshot(url: str, path: Path, storage: str, prepare: str, ready: str) -> None:
    """Screenshot ``url`` as a returning visitor sees it: no first-visit pop-ups.

    Opens the page, runs ``storage`` (JavaScript setting the page's local storage, as a
    visitor's earlier choices would have), opens it again, runs ``prepare`` (dismissing
    what storage cannot), then captures it.

    Args:
        url: The page.
        path: Where the PNG goes.
        storage: JavaScript run on the first visit.
        prepare: JavaScript run on the second visit, before the capture.
        ready: A JavaScript condition the page meets once drawn.
    """
    # helper processes may still flush the profile for a moment after the browser exits
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        tools = DevTools(profile)
        try:
            tools.page(
                "Emulation.setDeviceMetricsOverride",
                width=1600,
                height=1000,
                deviceScaleFactor=1,
                mobile=False,
            )
            tools.page("Page.navigate", url=url)
            _wait_for(tools, ready, url)
            tools.evaluate(storage)
            tools.page("Page.navigate", url=url)
            _wait_for(tools, ready, url)
            for _ in range(12):  # pop-ups come late: dismiss them as they appear
                tools.evaluate(prepare)
                time.sleep(0.5)
            time.sleep(4)  # passing notices fade
            data = tools.page("Page.captureScreenshot", format="png")["data"]
            path.write_bytes(base64.b64decode(data))
        finally:
            tools.close()


def _wait_for(tools: DevTools, ready: str, url: str) -> None:
    deadline = time.monotonic() + 60
    while not tools.evaluate(f"Boolean({ready})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} never met: {ready}")
        time.sleep(0.5)
