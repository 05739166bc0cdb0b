"""SHA-256 digests, and the error for a file that changed after it was written."""

from __future__ import annotations

import hashlib

import pandas as pd
from kedro.io.core import DatasetError


class ChecksumMismatchError(DatasetError):
    """A model file changed after it was written."""


def sha256(data: bytes) -> str:
    """Hex SHA-256 digest.

    Args:
        data: Bytes to hash.

    Returns:
        The digest.
    """
    return hashlib.sha256(data).hexdigest()


def content_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's column names, dtypes and values (not its index).

    Args:
        frame: Any frame.

    Returns:
        A hex digest that changes when any value, column or dtype changes.
    """
    digest = hashlib.sha256()
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
