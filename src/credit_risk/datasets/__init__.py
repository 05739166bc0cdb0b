"""Custom Kedro datasets: checksummed models, the Optuna storage, the registry, read-only inputs."""

from credit_risk.datasets.checksummed import (
    ChecksumMismatchError,
    JSONArtifactDataset,
    LightGBMModelDataset,
)
from credit_risk.datasets.optuna_storage import OptunaStorageDataset
from credit_risk.datasets.read_only import ReadOnlyDataset
from credit_risk.datasets.registry import ChampionDataset, RegisteredModelDataset
from credit_risk.datasets.tracked import VersionedMlflowArtifactDataset

__all__ = [
    "ChampionDataset",
    "ChecksumMismatchError",
    "JSONArtifactDataset",
    "LightGBMModelDataset",
    "OptunaStorageDataset",
    "ReadOnlyDataset",
    "RegisteredModelDataset",
    "VersionedMlflowArtifactDataset",
]
