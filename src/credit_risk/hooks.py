"""Project hooks: what a run records about itself."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import DataCatalog

from credit_risk.environment import environment

logger = logging.getLogger(__name__)


class RunContextHook:
    """Records each run: its identity, code, lock file, packages, machine and data versions.

    Before the run, ``run_context`` (run id, pipelines, git state) is put in the catalog for
    the model card. After it, ``run_record`` is saved with the environment and the version
    of every versioned dataset the run loaded or saved.
    """

    def __init__(self) -> None:
        self._context: dict[str, Any] = {}
        self._used: dict[str, set[str]] = {}

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], catalog: DataCatalog) -> None:
        """Record the run's identity and environment before any node runs.

        Args:
            run_params: Kedro's run parameters (run id, pipeline names, project path).
            catalog: The run's catalog.
        """
        project = Path(run_params.get("project_path") or ".")
        self._used = {}
        self._context = {
            "run_id": run_params.get("run_id"),
            "pipelines": run_params.get("pipeline_names") or ["__default__"],
            **environment(project),
        }
        catalog["run_context"] = {
            k: self._context[k] for k in ("run_id", "pipelines", "git_commit", "git_dirty")
        }
        logger.info(
            "Run %s at commit %s%s",
            self._context["run_id"],
            self._context["git_commit"],
            " (uncommitted changes)" if self._context["git_dirty"] else "",
        )

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any) -> None:
        """Note which inputs were read (their versions are resolved after the run).

        Args:
            dataset_name: The dataset.
            data: Unused.
        """
        self._used.setdefault(dataset_name, set()).add("loaded")

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any) -> None:
        """Note which outputs were written.

        Args:
            dataset_name: The dataset.
            data: Unused.
        """
        self._used.setdefault(dataset_name, set()).add("saved")

    @hook_impl
    def after_pipeline_run(self, catalog: DataCatalog) -> None:
        """Save ``run_record``: the environment and the versions of versioned datasets.

        Args:
            catalog: The run's catalog.
        """
        if "run_record" not in catalog:
            return
        versions = {}
        for name, uses in sorted(self._used.items()):
            dataset = catalog.get(name)
            if dataset is None or getattr(dataset, "_version", None) is None:
                continue
            method = "resolve_save_version" if "saved" in uses else "resolve_load_version"
            versions[name] = {"used": sorted(uses), "version": _resolve(dataset, method)}
        catalog.save("run_record", {**self._context, "dataset_versions": versions})


def _resolve(dataset: Any, method: str) -> str | None:
    try:
        value = getattr(dataset, method)()
    except Exception:
        return None
    return str(value) if value is not None else None
