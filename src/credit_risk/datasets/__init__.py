"""Custom Kedro datasets: checksummed models, Optuna storage, registry, read-only inputs, CSV."""

from credit_risk.datasets.checksummed import (
    ChecksumMismatchError,
    JSONArtifactDataset,
    LightGBMModelDataset,
)
from credit_risk.datasets.csv import CSVDataset
from credit_risk.datasets.optuna_storage import OptunaStorageDataset
from credit_risk.datasets.read_only import ReadOnlyDataset
from credit_risk.datasets.registry import ChampionDataset, RegisteredModelDataset
from credit_risk.datasets.tracked import VersionedMlflowArtifactDataset

__all__ = [
    "CSVDataset",
    "ChampionDataset",
    "ChecksumMismatchError",
    "JSONArtifactDataset",
    "LightGBMModelDataset",
    "OptunaStorageDataset",
    "ReadOnlyDataset",
    "RegisteredModelDataset",
    "VersionedMlflowArtifactDataset",
]
