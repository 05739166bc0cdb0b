"""Project hooks: what a run records about itself, locally and in the MLflow run.

kedro-mlflow's hook starts the MLflow run before this one runs and ends it after; this
hook's ``after_pipeline_run`` is ``tryfirst`` so that the record lands in the open run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import DataCatalog

from credit_risk.environment import environment

logger = logging.getLogger(__name__)


def _mlflow() -> ModuleType:
    """MLflow, imported when a hook first needs it: importing settings stays light."""
    import mlflow  # noqa: PLC0415

    return mlflow


class RunContextHook:
    """Records each run: its identity, code, lock file, packages, machine and data versions.

    Before the run, ``run_context`` (run id, pipelines, git state) is put in the catalog for
    the model card. After it, ``run_record`` is saved with the environment and the version
    of every versioned dataset the run loaded or saved.

    When an MLflow run is active (kedro-mlflow's hook, registered by the plugin after the
    project's hooks, runs first and starts it), the same goes to it: the environment as
    ``env.*`` tags, every parameter flattened and as ``environment/parameters.json``,
    content hashes and dataset versions as ``data.*`` tags.
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
        if _mlflow().active_run() is not None:
            _mlflow().set_tags(environment_tags(self._context))
            parameters = catalog.load("parameters") if "parameters" in catalog else {}
            _log_params(flatten(parameters))
            # the exact values, types kept: what `kedro reproduce RUN_ID` runs again with
            _mlflow().log_dict(plain(parameters), "environment/parameters.json")
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
        """Note which outputs were written; tag the MLflow run with content hashes in them.

        Args:
            dataset_name: The dataset.
            data: Reports that carry ``content_sha256`` (the validation report, the
                feature table's metadata) give their hashes to the run's tags.
        """
        self._used.setdefault(dataset_name, set()).add("saved")
        hashes = content_hashes(dataset_name, data)
        if hashes and _mlflow().active_run() is not None:
            _mlflow().set_tags({f"data.{name}.sha256": digest for name, digest in hashes.items()})

    @hook_impl(tryfirst=True)
    def after_pipeline_run(self, catalog: DataCatalog) -> None:
        """Save ``run_record``: the environment and the versions of versioned datasets.

        The versions also become tags of the MLflow run (``data.<dataset>.version``).

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
        if _mlflow().active_run() is not None:
            _mlflow().set_tags(
                {
                    f"data.{name}.version": v["version"]
                    for name, v in versions.items()
                    if v["version"] is not None
                }
            )
        catalog.save("run_record", {**self._context, "dataset_versions": versions})


class ChartsPageHook:
    """Log every chart a run saved to its MLflow run as one HTML page, ``charts/charts.html``.

    The ``*_chart`` datasets are plotly JSON (kedro-viz draws them; MLflow's UI shows JSON
    as text). After the run, the figures it saved go on one page with plotly.js embedded
    once, which the MLflow UI renders, offline too.
    """

    def __init__(self) -> None:
        self._figures: dict[str, Any] = {}

    @hook_impl
    def before_pipeline_run(self) -> None:
        """Start each run with no figure."""
        self._figures = {}

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any) -> None:
        """Keep a saved plotly figure.

        Args:
            dataset_name: The dataset.
            data: Kept when it is a plotly figure.
        """
        if type(data).__module__.startswith("plotly."):
            self._figures[dataset_name.removesuffix("_chart")] = data

    @hook_impl(tryfirst=True)
    def after_pipeline_run(self) -> None:
        """Log the page to the open MLflow run (kedro-mlflow's ends it after this)."""
        if not self._figures or _mlflow().active_run() is None:
            return
        from credit_risk.evaluation.charts import page  # noqa: PLC0415 (plotly: at run time)

        _mlflow().log_text(page(self._figures, "Charts of this run"), "charts/charts.html")


ENVIRONMENT_TAGS = (
    "run_id",
    "git_commit",
    "git_dirty",
    "uv_lock_sha256",
    "python",
    "os",
    "cpu_model",
    "cpu_count",
    "memory_gib",
    "accelerator",
)


def environment_tags(context: dict[str, Any]) -> dict[str, str]:
    """The run's identity, code and machine as MLflow tags (``env.<key>``).

    Package versions are in the ``run_record`` artifact; the lock file's hash pins them.
    Unknown values (no git, no lock file) are left out.

    Args:
        context: The hook's record of the run.

    Returns:
        Tag name -> value.
    """
    tags = {
        f"env.{key}": str(context[key]) for key in ENVIRONMENT_TAGS if context.get(key) is not None
    }
    tags["env.pipelines"] = ",".join(context.get("pipelines") or [])
    for package in ("kedro", "lightgbm", "optuna", "pandas", "scikit-learn", "mlflow"):
        version = context.get("packages", {}).get(package)
        if version is not None:
            tags[f"env.package.{package}"] = str(version)
    return tags


def flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as ``a.b.c`` keys, the way MLflow shows them best.

    Args:
        params: Parameters (nested dictionaries or pydantic models).
        prefix: Key prefix.

    Returns:
        Flat key -> leaf value.
    """
    flat: dict[str, Any] = {}
    for key, raw in params.items():
        name = f"{prefix}{key}"
        # typed parameters arrive validated, as pydantic models
        value = raw.model_dump(mode="json") if hasattr(raw, "model_dump") else raw
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON-ready values (typed parameters arrive as pydantic models).

    Args:
        params: Parameters.

    Returns:
        The same, with every model dumped to JSON types.
    """
    return {
        k: v.model_dump(mode="json")
        if hasattr(v, "model_dump")
        else plain(v)
        if isinstance(v, dict)
        else v
        for k, v in params.items()
    }


def content_hashes(name: str, data: Any) -> dict[str, str]:
    """Content hashes a saved report carries: its own and those of the tables it describes.

    Args:
        name: The dataset saved.
        data: Its data.

    Returns:
        Table name -> SHA-256, from every ``content_sha256`` in the report.
    """
    if not isinstance(data, dict):
        return {}
    found = {}
    if isinstance(data.get("content_sha256"), str):
        found[str(data.get("dataset") or name)] = data["content_sha256"]
    for value in data.values():
        if isinstance(value, dict):
            for key, inner in content_hashes(name, value).items():
                found.setdefault(key, inner)
    return found


def _log_params(flat: dict[str, Any]) -> None:
    limit = 6_000  # MLflow's longest parameter value
    params = {k: str(v) for k, v in flat.items() if len(str(v)) <= limit}
    longer = {k: str(v) for k, v in flat.items() if len(str(v)) > limit}
    _mlflow().log_params(params)
    if longer:
        _mlflow().set_tags({f"param.{k}": v[:limit] for k, v in longer.items()})


def _resolve(dataset: Any, method: str) -> str | None:
    try:
        value = getattr(dataset, method)()
    except Exception:
        return None
    return str(value) if value is not None else None


class MlflowRunStackHook:
    """Leaves no finished MLflow run on the active-run stack after a Kedro run.

    kedro-mlflow 2.0.3 re-opens the pipeline's run before every node (for threaded
    runners); with MLflow 3 each re-opening stacks the run again and the final
    ``end_run`` pops only one entry. In one process (a notebook, the tests) the next
    ``session.run`` would then log into the finished run ("Changing param values is not
    allowed"). Runs last, after kedro-mlflow has ended the run.
    """

    @hook_impl(trylast=True)
    def after_pipeline_run(self) -> None:
        """Pop the finished run's leftover entries."""
        _pop_finished_runs()

    @hook_impl(trylast=True)
    def on_pipeline_error(self) -> None:
        """Same after a failed run."""
        _pop_finished_runs()


def _pop_finished_runs() -> None:
    client = _mlflow().MlflowClient()
    while (run := _mlflow().active_run()) is not None:
        status = client.get_run(run.info.run_id).info.status
        if status == "RUNNING":
            return
        _mlflow().end_run(status)
