"""The project's configuration loader: soft-merged parameters, and which world a run is in.

Two rules on top of Kedro's ``OmegaConfigLoader``:

- Parameters merge softly (``merge_strategy: {parameters: soft}`` in ``settings.py``):
  an environment overriding one nested key keeps its siblings.
- Except the blocks in :data:`REPLACED_WHOLE`: an environment that defines
  ``data_contract`` replaces the base one entirely. A user's table shares no column with
  the demo's, so inheriting the demo's group column, monotone constraints or loan columns
  would be wrong, silently.

- Credentials always include ``conf/local``: ``--env team`` (or any other environment)
  reads ``conf/base``, then the environment, then the credentials of ``conf/local``,
  where Kedro keeps a machine's secrets (git ignores ``conf/**/*credentials*``). So a
  team's committed environment names ``credentials: optuna`` and each member's
  ``conf/local/credentials.yml`` holds the URL with their password.

The loader also remembers the last configuration it was built for, so the pipeline
registry can tell the demo's world (the credit demo's raw tables build ``model_table``)
from a user's (the catalog holds ``own_table``): see :func:`own_table_configured`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.config import MissingConfigException, OmegaConfigLoader

REPLACED_WHOLE = ("data_contract",)
OWN_TABLE = "own_table"
OWN_BATCH = "own_batch"

_current: dict[str, Any] = {}


class ProjectConfigLoader(OmegaConfigLoader):
    """``OmegaConfigLoader`` with :data:`REPLACED_WHOLE` blocks and world detection."""

    def __init__(self, conf_source: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(conf_source, *args, **kwargs)
        self._args = (conf_source, args, kwargs)
        world, batch = _world_of(self)
        if (_current.get("world"), _current.get("own_batch")) not in ((None, None), (world, batch)):
            _reset_pipelines()
        _current.update(world=world, own_batch=batch)

    def __getitem__(self, key: str) -> dict[str, Any]:
        """The merged configuration of ``key``; parameters with whole-replaced blocks.

        Args:
            key: A configuration type (``parameters``, ``catalog``, ...).

        Returns:
            The configuration.
        """
        if key == "credentials":
            local = self._local_credentials()
            try:
                config = super().__getitem__(key)
            except MissingConfigException:
                if not local:
                    raise
                config = {}
            return {**config, **local}
        config = super().__getitem__(key)
        if key != "parameters":
            return config
        own = self._run_env_parameters()
        for block in REPLACED_WHOLE:
            if block in own:
                config[block] = own[block]
        return config

    def _local_credentials(self) -> dict[str, Any]:
        """``conf/local``'s credentials when the run is in another environment.

        Read with this loader's own reader: a second ``OmegaConfigLoader`` would register
        its ``globals`` resolver over this one's (OmegaConf's resolvers are global).
        """
        env = self.env or self.default_run_env
        local = self.default_run_env
        if not local or env in (local, self.base_env):
            return {}
        folder = Path(self.conf_source) / local
        if not folder.is_dir():
            return {}
        return dict(
            self.load_and_merge_dir_config(
                str(folder),
                self.config_patterns["credentials"],
                "credentials",
                set(),
                read_environment_variables=True,
            )
        )

    def _run_env_parameters(self) -> dict[str, Any]:
        env = self.env or self.default_run_env
        if not env or env == self.base_env:
            return {}
        conf_source, _, kwargs = self._args
        only_env = OmegaConfigLoader(
            conf_source,
            env=env,
            base_env=env,
            default_run_env=env,
            runtime_params=kwargs.get("runtime_params"),
            config_patterns=kwargs.get("config_patterns"),
            custom_resolvers=kwargs.get("custom_resolvers"),
        )
        return dict(only_env["parameters"])


def _world_of(loader: OmegaConfigLoader) -> tuple[str, bool]:
    try:
        catalog = loader["catalog"]
    except Exception:
        return "demo", False
    return ("own_table" if OWN_TABLE in catalog else "demo"), OWN_BATCH in catalog


def _reset_pipelines() -> None:
    """Make Kedro build the pipelines again: the world changed within this process."""
    from kedro.framework.project import PACKAGE_NAME, pipelines  # noqa: PLC0415

    if PACKAGE_NAME:
        pipelines.configure(f"{PACKAGE_NAME}.pipeline_registry")


def own_table_configured() -> bool:
    """Whether the configuration last loaded points the loop at a user's own table.

    Returns:
        True when the catalog holds ``own_table`` (the run is in the user's world).
    """
    return _current.get("world") == "own_table"


def own_batch_configured() -> bool:
    """Whether the configuration last loaded holds a batch of the user's to score.

    Returns:
        True when the catalog holds ``own_batch``.
    """
    return bool(_current.get("own_batch"))


def forget() -> None:
    """Forget the configuration last loaded: the next registry call is the demo's world.

    For processes that load several environments in turn (tests, notebooks).
    """
    if _current:
        _current.clear()
        _reset_pipelines()
