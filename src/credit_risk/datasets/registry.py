"""The MLflow model registry as Kedro datasets: register a challenger, load by alias, promote.

A node never calls MLflow; these datasets do. :class:`RegisteredModelDataset` saves a
:class:`~credit_risk.serving.bundle.ScoringModel` as a new version of a registered model
(an MLflow pyfunc logged from code, whose files are the bundle with its checksums) and
points an alias at it; loading resolves an alias, downloads the version and verifies
every file before parsing it. :class:`ChampionDataset` reads the champion's record and,
on save, moves the ``champion`` alias (keeping the previous one as
``previous_champion``), which is how a positive promotion decision takes effect.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import mlflow
from kedro.io.core import AbstractDataset, DatasetError
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from credit_risk.serving import bundle
from credit_risk.serving.bundle import ScoringModel

logger = logging.getLogger(__name__)

CHAMPION = "champion"
CHALLENGER = "challenger"
PREVIOUS = "previous_champion"
_PYFUNC = Path(__file__).resolve().parents[1] / "serving" / "pyfunc_model.py"
_REQUIREMENTS = ("lightgbm", "numpy", "pandas", "pyarrow", "mlflow")


def version_by_alias(client: MlflowClient, name: str, alias: str) -> ModelVersion | None:
    """The version an alias points at, or ``None`` when the model or alias does not exist.

    Args:
        client: MLflow client.
        name: Registered model name.
        alias: Alias.

    Returns:
        The model version, or ``None``.

    Raises:
        MlflowException: Any other failure (a registry that does not answer is not "no
            champion yet": a decision made on that would promote the baseline).
    """
    try:
        return client.get_model_version_by_alias(name, alias)
    except MlflowException as error:
        # what MLflow answers for a model, or an alias, that does not exist
        if error.error_code in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return None
        raise


def record(version: ModelVersion) -> dict[str, Any]:
    """What the registry knows of a version: number, run, candidate, metrics, digest.

    Args:
        version: A registered model version.

    Returns:
        ``{"version", "run_id", "candidate", "metrics", "manifest_sha256"}``.
    """
    tags = dict(version.tags or {})
    return {
        "version": int(version.version),
        "run_id": version.run_id,
        "candidate": tags.get("candidate"),
        "metrics": {
            k.removeprefix("metric."): float(v) for k, v in tags.items() if k.startswith("metric.")
        },
        "manifest_sha256": tags.get("manifest_sha256"),
    }


def set_champion(client: MlflowClient, name: str, version: int) -> dict[str, Any]:
    """Point ``champion`` at ``version``; the version it left becomes ``previous_champion``.

    Args:
        client: MLflow client.
        name: Registered model name.
        version: The version to serve.

    Returns:
        ``{"champion": new version, "previous_champion": old version or None}``.
    """
    current = version_by_alias(client, name, CHAMPION)
    if current is not None and int(current.version) != version:
        client.set_registered_model_alias(name, PREVIOUS, current.version)
    client.set_registered_model_alias(name, CHAMPION, str(version))
    previous = None if current is None else int(current.version)
    logger.info("Registered model '%s': champion is now version %d", name, version)
    return {"champion": version, "previous_champion": previous}


class RegisteredModelDataset(AbstractDataset[ScoringModel, ScoringModel]):
    """One alias of a registered model: save registers a new version, load verifies it."""

    def __init__(
        self,
        *,
        registered_model_name: str,
        alias: str,
        artifact_path: str = "model",
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Point at ``registered_model_name@alias``.

        Args:
            registered_model_name: The model's name in the registry.
            alias: The alias to load, and to set on each saved version.
            artifact_path: Where the model goes in the run's artifacts.
            metadata: Kedro-viz and other metadata.
        """
        self._name = registered_model_name
        self._alias = alias
        self._artifact_path = artifact_path
        self.metadata = metadata
        # (version, manifest digest) -> model: a run's nodes share one download and check
        self._loaded: tuple[tuple[str, str | None], ScoringModel] | None = None

    def load(self) -> ScoringModel:
        """Download the version the alias points at and verify its files.

        Within one process, a version already downloaded and verified by this dataset is
        not fetched again while the alias still points at it (the inference's nodes
        both read the champion).

        Returns:
            The scoring model, its ``info`` completed with the registry version.

        Raises:
            DatasetError: No version has the alias.
            ChecksumMismatchError: A file differs from the one registered.
        """
        client = MlflowClient()
        version = version_by_alias(client, self._name, self._alias)
        if version is None:
            raise DatasetError(
                f"No version of registered model '{self._name}' has the alias "
                f"'{self._alias}' (registry {mlflow.get_registry_uri()}). Run "
                "`uv run kedro run` to train, evaluate and promote one, or point the alias "
                f"at a version: `uv run kedro model promote N`."
            )
        key = (str(version.version), (version.tags or {}).get("manifest_sha256"))
        if self._loaded is not None and self._loaded[0] == key:
            return self._loaded[1]
        with tempfile.TemporaryDirectory() as tmp:
            local = mlflow.artifacts.download_artifacts(
                artifact_uri=f"models:/{self._name}/{version.version}", dst_path=tmp
            )
            model = bundle.read(Path(local) / "artifacts" / "bundle", manifest_sha256=key[1])
        info = {**model.info, "registry": {"name": self._name, **record(version)}}
        logger.info(
            "Loaded '%s@%s': version %s (%s)",
            self._name,
            self._alias,
            version.version,
            model.candidate,
        )
        served = dataclasses.replace(model, info=info)
        self._loaded = (key, served)
        return served

    def save(self, data: ScoringModel) -> None:
        """Log the bundle as an MLflow pyfunc (from code), register it, set the alias.

        Args:
            data: The model to register.
        """
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "bundle"
            manifest_sha256 = bundle.write(data, folder)
            info = mlflow.pyfunc.log_model(
                name=self._artifact_path,
                python_model=str(_PYFUNC),
                artifacts={"bundle": str(folder)},
                pip_requirements=_pins(),
                registered_model_name=self._name,
                metadata={"candidate": data.candidate, "manifest_sha256": manifest_sha256},
            )
        client = MlflowClient()
        version = str(info.registered_model_version)
        tags = {
            "candidate": data.candidate,
            "manifest_sha256": manifest_sha256,
            "threshold": str(data.threshold),
            **{f"metric.{k}": str(v) for k, v in data.info.get("metrics", {}).items()},
        }
        for key, value in tags.items():
            client.set_model_version_tag(self._name, version, key, value)
        client.set_registered_model_alias(self._name, self._alias, version)
        logger.info(
            "Registered '%s' version %s (%s) as '%s'; manifest sha256 %s",
            self._name,
            version,
            data.candidate,
            self._alias,
            manifest_sha256,
        )

    def _describe(self) -> dict[str, Any]:
        return {"registered_model_name": self._name, "alias": self._alias}


class ChampionDataset(AbstractDataset[dict[str, Any], dict[str, Any]]):
    """The champion's registry record; saving a promotion moves the ``champion`` alias."""

    def __init__(
        self, *, registered_model_name: str, metadata: dict[str, Any] | None = None
    ) -> None:
        """Point at ``registered_model_name@champion``.

        Args:
            registered_model_name: The model's name in the registry.
            metadata: Kedro-viz and other metadata.
        """
        self._name = registered_model_name
        self.metadata = metadata

    def load(self) -> dict[str, Any]:
        """The champion's record.

        Returns:
            :func:`record` of the champion, or ``{}`` when there is none yet.
        """
        version = version_by_alias(MlflowClient(), self._name, CHAMPION)
        return {} if version is None else record(version)

    def save(self, data: dict[str, Any]) -> None:
        """Apply a promotion: ``{"promote": true, "version": N}`` makes N the champion.

        A decision made against one champion (``against_version``) moves the alias only
        while that version is still the champion: when another run promoted in between,
        this run's version stays registered as the challenger, the champion it did not
        beat keeps serving, and the run is tagged ``credit_risk.promotion: superseded``.
        Of two runs that would both promote, the first to reach the registry wins; the
        other is compared again by rerunning ``promotion``. (MLflow has no atomic
        compare-and-set on aliases: the check and the move are two requests apart.)

        Args:
            data: From the ``update_champion`` node; nothing moves when ``promote`` is false.
        """
        if not data.get("promote"):
            logger.info("Registered model '%s': champion unchanged", self._name)
            return
        client = MlflowClient()
        if "against_version" in data:
            current = version_by_alias(client, self._name, CHAMPION)
            now = None if current is None else int(current.version)
            if now != data["against_version"]:
                logger.warning(
                    "Registered model '%s': version %s was promoted against champion %s, "
                    "but version %s became champion meanwhile (another run); the champion "
                    "is left as it is. Rerun `uv run kedro run --pipelines promotion` (with "
                    "the run's --env) to compare with it.",
                    self._name,
                    data["version"],
                    data["against_version"],
                    now,
                )
                if mlflow.active_run() is not None:
                    mlflow.set_tag("credit_risk.promotion", "superseded")
                return
        set_champion(client, self._name, int(data["version"]))

    def _describe(self) -> dict[str, Any]:
        return {"registered_model_name": self._name, "alias": CHAMPION}


def _pins() -> list[str]:
    pins = []
    for package in _REQUIREMENTS:
        try:
            pins.append(f"{package}=={importlib_metadata.version(package)}")
        except importlib_metadata.PackageNotFoundError:
            continue
    return pins


def dump(data: dict[str, Any]) -> str:
    """JSON text of a registry record, for the command line.

    Args:
        data: Any JSON-ready record.

    Returns:
        Indented JSON.
    """
    return json.dumps(data, indent=2, sort_keys=True)
