"""Project hooks: what a run records about itself."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import DataCatalog

logger = logging.getLogger(__name__)


def git_state(path: Path) -> dict[str, Any]:
    """The commit checked out at ``path`` and whether the tree has uncommitted changes.

    Args:
        path: Any folder inside the repository.

    Returns:
        ``{"git_commit": sha or None, "git_dirty": bool or None}``.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=path, capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"git_commit": commit, "git_dirty": None if status is None else bool(status)}


class RunContextHook:
    """Puts ``run_context`` (run id, pipelines, git state) in the catalog for the card."""

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], catalog: DataCatalog) -> None:
        """Record the run's identity before any node runs.

        Args:
            run_params: Kedro's run parameters (run id, pipeline names, project path).
            catalog: The run's catalog.
        """
        project = Path(run_params.get("project_path") or ".")
        context = {
            "run_id": run_params.get("run_id"),
            "pipelines": run_params.get("pipeline_names") or ["__default__"],
            **git_state(project),
        }
        catalog["run_context"] = context
        logger.info(
            "Run %s at commit %s%s",
            context["run_id"],
            context["git_commit"],
            " (uncommitted changes)" if context["git_dirty"] else "",
        )
