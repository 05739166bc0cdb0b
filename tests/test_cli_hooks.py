"""A plain Kedro command starts quietly, and only the plugin's one warning is dropped."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from credit_risk.cli_hooks import PLUGIN_TYPE_HINT_WARNING, DropMessage, quiet_plugin_warnings

ROOT = Path(__file__).resolve().parents[1]


def test_only_the_plugins_message_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.quiet")
    logger.addFilter(DropMessage(PLUGIN_TYPE_HINT_WARNING))
    with caplog.at_level(logging.WARNING, logger="tests.quiet"):
        logger.warning("\x1b[33m%s to enable data validation\x1b[0m", PLUGIN_TYPE_HINT_WARNING)
        logger.warning("Add type hints to your own code")
        logger.warning("a real problem")
    assert [r.getMessage() for r in caplog.records] == [
        "Add type hints to your own code",
        "a real problem",
    ]


def test_installing_the_filter_twice_keeps_one() -> None:
    quiet_plugin_warnings()
    quiet_plugin_warnings()
    filters = logging.getLogger("py.warnings").filters
    assert sum(isinstance(f, DropMessage) for f in filters) == 1


def test_kedro_registry_list_prints_no_warning() -> None:
    kedro = Path(sys.executable).with_name("kedro")
    result = subprocess.run(
        [str(kedro), "registry", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert "- __default__" in output
    assert "- promotion" in output
    assert "WARNING" not in output, output
    assert "Warning" not in output, output
