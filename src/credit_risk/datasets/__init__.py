"""Custom Kedro datasets: model artifacts with checksums, and the Optuna study storage."""

from credit_risk.datasets.checksummed import (
    ChecksumMismatchError,
    JSONArtifactDataset,
    LightGBMModelDataset,
    OptionalJSONDataset,
)
from credit_risk.datasets.optuna_storage import OptunaStorageDataset

__all__ = [
    "ChecksumMismatchError",
    "JSONArtifactDataset",
    "LightGBMModelDataset",
    "OptionalJSONDataset",
    "OptunaStorageDataset",
]
