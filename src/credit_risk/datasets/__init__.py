"""Custom Kedro datasets: model artifacts with checksums, the Optuna study storage, the registry."""

from credit_risk.datasets.checksummed import (
    ChecksumMismatchError,
    JSONArtifactDataset,
    LightGBMModelDataset,
)
from credit_risk.datasets.optuna_storage import OptunaStorageDataset
from credit_risk.datasets.registry import ChampionDataset, RegisteredModelDataset
from credit_risk.datasets.tracked import VersionedMlflowArtifactDataset

__all__ = [
    "ChampionDataset",
    "ChecksumMismatchError",
    "JSONArtifactDataset",
    "LightGBMModelDataset",
    "OptunaStorageDataset",
    "RegisteredModelDataset",
    "VersionedMlflowArtifactDataset",
]
