"""kedro-mlflow's artifact dataset, with Kedro's own versioning of the wrapped file.

``MlflowArtifactDataset`` builds its wrapped dataset itself, so a ``versioned: true``
inside ``dataset:`` gets a save version of its own, not the run's, and Kedro 1.x refuses
the catalog ("All datasets in the catalog must have the same save version"). Here
``versioned: true`` sits on the outer entry: Kedro hands the run's version to this class,
which gives it to the wrapped dataset. Everything else is kedro-mlflow's.
"""

from __future__ import annotations

from typing import Any

from kedro.io.core import Version
from kedro_mlflow.io.artifacts import MlflowArtifactDataset


class VersionedMlflowArtifactDataset(MlflowArtifactDataset):  # type: ignore[misc]
    """Log the saved file to the active MLflow run; keep it versioned like any Kedro file."""

    def __new__(
        cls,
        dataset: str | dict[str, Any],
        run_id: str | None = None,
        artifact_path: str | None = None,
        credentials: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        version: Version | None = None,
    ) -> Any:
        """Build kedro-mlflow's wrapper around ``dataset``, versioned as the run is.

        Args:
            dataset: The wrapped dataset's type, or its configuration.
            run_id: Log to this MLflow run instead of the active one.
            artifact_path: Folder of the artifact in the run.
            credentials: Passed to the wrapped dataset.
            metadata: Kedro-viz and other metadata.
            version: Given by Kedro when the entry says ``versioned: true``.

        Returns:
            The wrapping dataset.
        """
        instance = MlflowArtifactDataset.__new__(
            MlflowArtifactDataset,
            dataset=dataset,
            run_id=run_id,
            artifact_path=artifact_path,
            credentials=credentials,
            metadata=metadata,
        )
        # Kedro strips ``version`` from a nested configuration, so it is set here.
        if version is not None:
            if not hasattr(instance, "_version"):
                raise TypeError(
                    f"versioned: true needs a versioned dataset, got {type(instance).__name__}"
                )
            instance._version = version
        return instance
