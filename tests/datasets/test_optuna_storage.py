from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from kedro.io.core import DatasetError
from optuna.storages import JournalStorage, RDBStorage

from credit_risk.datasets import OptunaStorageDataset


def test_sqlite_storage_is_created_and_persists(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/nested/optuna.db"
    storage = OptunaStorageDataset(url=url).load()
    assert isinstance(storage, RDBStorage)
    optuna.create_study(storage=storage, study_name="s").optimize(lambda t: 1.0, n_trials=2)
    again = optuna.load_study(storage=OptunaStorageDataset(url=url).load(), study_name="s")
    assert len(again.trials) == 2


def test_journal_storage_for_several_processes(tmp_path: Path) -> None:
    storage = OptunaStorageDataset(url=f"journal:///{tmp_path}/optuna.log").load()
    assert isinstance(storage, JournalStorage)


def test_credentials_url_wins_and_is_not_shown(tmp_path: Path) -> None:
    dataset = OptunaStorageDataset(
        url="sqlite:///unused.db", credentials={"url": f"sqlite:///{tmp_path}/secret.db"}
    )
    dataset.load()
    assert (tmp_path / "secret.db").exists()
    assert "secret" not in str(dataset)


def test_storage_is_read_only() -> None:
    with pytest.raises(DatasetError, match="written by the study itself"):
        OptunaStorageDataset(url="sqlite:///:memory:").save({"trials": []})
