"""SHA-256 digests, and the error for a file that changed after it was written."""

from __future__ import annotations

import hashlib

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
