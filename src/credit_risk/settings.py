"""Project settings: Kedro defaults except where noted."""

from kedro.config import OmegaConfigLoader

from credit_risk.hooks import RunContextHook

# Puts the run's id and git state in the catalog as `run_context` (model card lineage).
HOOKS = (RunContextHook(),)

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
}
