"""Project settings: Kedro defaults except where noted."""

from pathlib import Path

from kedro.utils import find_kedro_project

from credit_risk.config import ProjectConfigLoader
from credit_risk.hooks import ChartsPageHook, MlflowRunStackHook, RunContextHook
from credit_risk.run_status import RunStatusHook
from credit_risk.tracking_server import TrackingServerHook

# RunContextHook: run id, git state and environment (catalog, run record, MLflow tags).
# MlflowRunStackHook: no finished MLflow run left active after a run (see its docstring).
# RunStatusHook: interrupted runs end KILLED, orphans of killed processes FAILED.
# TrackingServerHook: a tracking server that does not answer stops the run at once.
HOOKS = (
    RunContextHook(),
    ChartsPageHook(),
    MlflowRunStackHook(),
    RunStatusHook(),
    TrackingServerHook(),
)


def project_root() -> str:
    """The Kedro project holding the working directory (``${project_root:}`` in config).

    Lets ``mlflow.yml`` name ``<project>/mlflow.db`` absolutely: a relative SQLite URL
    would follow the working directory (a subfolder, a notebook's folder), and MLflow
    caches stores by URL within a process.
    """
    return (find_kedro_project(Path.cwd()) or Path.cwd()).resolve().as_posix()


# Parameters merge softly: an environment overriding one key keeps its siblings, except
# data_contract, which an environment replaces whole (credit_risk.config).
CONFIG_LOADER_CLASS = ProjectConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "custom_resolvers": {"project_root": project_root},
    "merge_strategy": {"parameters": "soft"},
}
