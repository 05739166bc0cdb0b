"""Project settings: Kedro defaults except where noted."""

from kedro.config import OmegaConfigLoader

from credit_risk.hooks import MlflowRunStackHook, RunContextHook

# RunContextHook: run id, git state and environment (catalog, run record, MLflow tags).
# MlflowRunStackHook: no finished MLflow run left active after a run (see its docstring).
HOOKS = (RunContextHook(), MlflowRunStackHook())

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
}
