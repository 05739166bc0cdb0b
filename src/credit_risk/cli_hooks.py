"""Kedro CLI plugin of this project: loaded before any command, to keep start-up quiet.

MLflow 3 warns, on every Kedro command, that kedro-mlflow's own pipeline model has no
type hints on ``predict``. The class is the plugin's, not this project's (whose
``ScoringModel`` wrapper is typed), and nobody running ``kedro registry list`` can act on
it. A warnings filter cannot drop it (MLflow wraps the check in its own
``simplefilter("once")``), but Kedro routes warnings through the ``py.warnings`` logger,
so a logging filter there can. Kedro imports the plugins' commands before the project's
settings, so the filter is installed earlier: Kedro loads ``kedro.cli_hooks`` entry points
first (see ``[project.entry-points."kedro.cli_hooks"]`` in ``pyproject.toml``). Only that
one message is dropped; every other warning still shows.
"""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.cli.hooks import cli_hook_impl

PLUGIN_TYPE_HINT_WARNING = "Add type hints to the `predict` method"


class DropMessage(logging.Filter):
    """Drops records whose message contains a fixed text.

    Args:
        contains: The text that marks a record to drop.
    """

    def __init__(self, contains: str) -> None:
        super().__init__()
        self.contains = contains

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but those holding ``contains``."""
        return self.contains not in record.getMessage()


def quiet_plugin_warnings() -> None:
    """Install the filter on ``py.warnings`` once (idempotent)."""
    warnings_logger = logging.getLogger("py.warnings")
    if not any(isinstance(f, DropMessage) for f in warnings_logger.filters):
        warnings_logger.addFilter(DropMessage(PLUGIN_TYPE_HINT_WARNING))


quiet_plugin_warnings()


class QuietStartup:
    """Keeps the filter in place for each command (logging may have been reconfigured)."""

    @cli_hook_impl
    def before_command_run(self, project_metadata: Any, command_args: list[str]) -> None:
        """Install the filter again if a logging reconfiguration dropped it."""
        quiet_plugin_warnings()


cli_hooks = QuietStartup()
