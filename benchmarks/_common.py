"""What the benchmark scripts share: timing steps with their peak memory, and printing them.

Imported by the scripts in this folder (Python puts a script's folder on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import gc
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

GIB = 1024**3
PROJECT = Path(__file__).resolve().parents[1]


def copy_project(parent: Path) -> Path:
    """The project's configuration and examples with empty data folders, under ``parent``."""
    root = parent / "project"
    root.mkdir()
    shutil.copytree(PROJECT / "conf", root / "conf", ignore=shutil.ignore_patterns("local"))
    (root / "conf" / "local").mkdir()
    for name in ("pyproject.toml", ".telemetry"):
        shutil.copy(PROJECT / name, root / name)
    shutil.copytree(PROJECT / "examples", root / "examples")
    (root / "src").mkdir()  # the package is imported from the installed project
    return root


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # not Linux: the peak then covers every step so far
        Path("/proc/self/clear_refs").write_text("5")


class Steps:
    """Times steps and records their peak memory."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def run(self, name: str, rows: int, func: Callable[[], Any]) -> Any:
        """Run one step, recording its time and peak memory; return its result."""
        gc.collect()
        _reset_peak()
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        peak = _status("VmHWM:")
        self.rows.append(
            {
                "step": name,
                "seconds": seconds,
                "peak_gib": peak / GIB,
                "rows": rows,
                "rows_per_s": rows / seconds if seconds else float("nan"),
            }
        )
        return result

    def print(self, title: str) -> None:
        """Print the steps so far as a table."""
        frame = pd.DataFrame(self.rows)
        print(f"\n{title}")
        print(
            frame.to_string(
                index=False,
                formatters={
                    "seconds": "{:.2f}".format,
                    "peak_gib": "{:.2f}".format,
                    "rows": "{:,}".format,
                    "rows_per_s": "{:,.0f}".format,
                    "share": "{:.1%}".format,
                },
            )
        )
