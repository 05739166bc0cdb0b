"""Model artifacts as text, each with a SHA-256 beside it that is checked before loading.

Formats load without executing code: LightGBM's own text format, and JSON for the
logistic model, the encoders and the ensemble spec. ``model.txt`` is written with
``model.txt.sha256`` next to it (``<hex digest>  model.txt``, as ``sha256sum`` writes);
a file whose digest does not match is refused, naming the file.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from pathlib import PurePosixPath
from typing import Any, Generic, TypeVar

import fsspec
import lightgbm as lgb
from kedro.io.core import (
    AbstractVersionedDataset,
    DatasetError,
    Version,
    get_filepath_str,
    get_protocol_and_path,
)

from credit_risk.checksums import ChecksumMismatchError, sha256
from credit_risk.models.gbm import model_text

__all__ = ["ChecksumMismatchError", "sha256"]

T = TypeVar("T")


class _ChecksummedDataset(AbstractVersionedDataset[T, T], Generic[T]):
    """Writes text plus its ``.sha256``; verifies the digest before parsing on load."""

    def __init__(
        self,
        *,
        filepath: str,
        version: Version | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        protocol, path = get_protocol_and_path(filepath, version)
        self._protocol = protocol
        self._fs = fsspec.filesystem(protocol)
        self.metadata = metadata
        super().__init__(
            filepath=PurePosixPath(path),
            version=version,
            exists_function=self._fs.exists,
            glob_function=self._fs.glob,
        )

    @abstractmethod
    def _serialise(self, data: T) -> str: ...

    @abstractmethod
    def _deserialise(self, text: str) -> T: ...

    def save(self, data: T) -> None:
        """Write the artifact and its ``.sha256``.

        Args:
            data: The artifact.
        """
        path = get_filepath_str(self._get_save_path(), self._protocol)
        payload = self._serialise(data).encode("utf-8")
        self._fs.makedirs(str(PurePosixPath(path).parent), exist_ok=True)
        with self._fs.open(path, "wb") as file:
            file.write(payload)
        with self._fs.open(f"{path}.sha256", "w") as file:
            file.write(f"{sha256(payload)}  {PurePosixPath(path).name}\n")
        self._invalidate_cache()

    def load(self) -> T:
        """Read the artifact after checking its SHA-256.

        Returns:
            The artifact.

        Raises:
            ChecksumMismatchError: When the checksum is missing or does not match.
        """
        path = get_filepath_str(self._get_load_path(), self._protocol)
        with self._fs.open(path, "rb") as file:
            payload = file.read()
        try:
            with self._fs.open(f"{path}.sha256", "r") as file:
                expected = file.read().split()[0]
        except (FileNotFoundError, IndexError) as exc:
            raise ChecksumMismatchError(
                f"Refusing to load '{path}': its checksum file '{path}.sha256' is missing or "
                "empty, so the file cannot be verified. Re-run the pipeline that writes it."
            ) from exc
        actual = sha256(payload)
        if actual != expected:
            raise ChecksumMismatchError(
                f"Refusing to load '{path}': its SHA-256 is {actual}, but {expected} was "
                "recorded when it was written. The file changed since; re-run the pipeline "
                "that writes it, or restore the file."
            )
        return self._deserialise(payload.decode("utf-8"))

    def _exists(self) -> bool:
        try:
            path = get_filepath_str(self._get_load_path(), self._protocol)
        except DatasetError:
            return False
        return bool(self._fs.exists(path))

    def _release(self) -> None:
        super()._release()
        self._invalidate_cache()

    def _invalidate_cache(self) -> None:
        self._fs.invalidate_cache(get_filepath_str(self._filepath, self._protocol))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "version": self._version}


class JSONArtifactDataset(_ChecksummedDataset[dict[str, Any]]):
    """A JSON model spec (logistic model, encoder, ensemble) with its checksum."""

    def _serialise(self, data: dict[str, Any]) -> str:
        return json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n"

    def _deserialise(self, text: str) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(text)
        return loaded


class LightGBMModelDataset(_ChecksummedDataset[lgb.Booster]):
    """A LightGBM booster in LightGBM's own text format, with its checksum."""

    def _serialise(self, data: lgb.Booster) -> str:
        return model_text(data)

    def _deserialise(self, text: str) -> lgb.Booster:
        return lgb.Booster(model_str=text)
