"""The Optuna storage a study lives in, as a read-only catalog entry.

``sqlite:///data/06_models/optuna.db`` by default; any SQLAlchemy URL (PostgreSQL for
studies shared across machines, with its driver installed) works unchanged, and
``journal:///path/to/file.log`` gives a journal file that several local processes can
write at once. Trials are written by Optuna as they run, so the dataset is only loaded.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kedro.io.core import AbstractDataset, DatasetError
from optuna.storages import BaseStorage, JournalStorage, RDBStorage
from optuna.storages.journal import JournalFileBackend
from sqlalchemy.exc import IntegrityError, OperationalError

_JOURNAL = "journal:///"
_OPEN_ATTEMPTS = 5


def _open_rdb(url: str, heartbeat_interval: int, grace_period: int) -> RDBStorage:
    """Open an RDB storage, waiting out another worker that is creating its tables.

    Two workers started at once on a new database both create Optuna's schema; one of
    them meets the other's half-written version table (``UNIQUE constraint failed:
    alembic_version``). Opening again once the other has finished finds the tables.
    """
    for attempt in range(1, _OPEN_ATTEMPTS):
        try:
            return RDBStorage(url, heartbeat_interval=heartbeat_interval, grace_period=grace_period)
        except (IntegrityError, OperationalError):
            time.sleep(0.5 * attempt)
    return RDBStorage(url, heartbeat_interval=heartbeat_interval, grace_period=grace_period)


class OptunaStorageDataset(AbstractDataset[Any, BaseStorage]):
    """Open Optuna storage from a URL (or ``credentials: {url: ...}`` for secrets)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        credentials: dict[str, Any] | None = None,
        heartbeat_interval: int = 60,
        grace_period: int = 180,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Remember where the storage is; nothing is opened until load.

        Args:
            url: A SQLAlchemy URL, or ``journal:///<path>``.
            credentials: ``{"url": ...}`` from credentials.yml, taking precedence.
            heartbeat_interval: Seconds between a running trial's heartbeats (RDB only);
                a trial whose process died is marked failed after ``grace_period``.
            grace_period: Seconds without heartbeat before a trial counts as dead.
            metadata: Free-form, for kedro-viz.
        """
        chosen = (credentials or {}).get("url") or url
        if not chosen:
            raise DatasetError("OptunaStorageDataset needs 'url' or credentials with 'url'")
        self._url: str = str(chosen)
        self._heartbeat_interval = heartbeat_interval
        self._grace_period = grace_period
        self.metadata = metadata

    def load(self) -> BaseStorage:
        """Open the storage, creating a SQLite or journal file's folder when needed.

        Returns:
            The storage.
        """
        url = self._url
        if url.startswith(_JOURNAL):
            path = Path(url.removeprefix(_JOURNAL))
            path.parent.mkdir(parents=True, exist_ok=True)
            return JournalStorage(JournalFileBackend(str(path)))
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return _open_rdb(url, self._heartbeat_interval, self._grace_period)

    def save(self, data: Any) -> None:
        """Refuse: trials are written by Optuna as they run.

        Args:
            data: Ignored.

        Raises:
            DatasetError: Always.
        """
        raise DatasetError("The Optuna storage is written by the study itself, not saved")

    def _describe(self) -> dict[str, Any]:
        # The URL may hold a password: show only its scheme.
        return {"scheme": self._url.split(":", 1)[0]}
