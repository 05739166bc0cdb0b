"""The registry datasets on a throwaway MLflow store: register, alias, promote, roll back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
import pytest
from kedro.io.core import DatasetError
from mlflow.exceptions import MlflowException
from mlflow.protos import databricks_pb2
from mlflow.tracking import MlflowClient

from credit_risk.checksums import ChecksumMismatchError
from credit_risk.datasets import ChampionDataset, RegisteredModelDataset, registry
from credit_risk.serving.bundle import ScoringModel

NAME = "credit_risk_test"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("mlflow")
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{root / 'mlflow.db'}")
    mlflow.set_registry_uri(f"sqlite:///{root / 'mlflow.db'}")
    experiment = mlflow.create_experiment("t", artifact_location=(root / "artifacts").as_uri())
    mlflow.set_experiment(experiment_id=experiment)
    yield root
    mlflow.set_tracking_uri(previous)
    mlflow.set_registry_uri(previous)


def _register(model: ScoringModel) -> int:
    with mlflow.start_run():
        RegisteredModelDataset(registered_model_name=NAME, alias="challenger").save(model)
    version = registry.version_by_alias(MlflowClient(), NAME, "challenger")
    assert version is not None
    return int(version.version)


def test_register_load_promote_and_roll_back(
    store: Path, scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    champion = ChampionDataset(registered_model_name=NAME)
    assert champion.load() == {}
    with pytest.raises(DatasetError, match=r"No version of registered model .* 'champion'"):
        RegisteredModelDataset(registered_model_name=NAME, alias="champion").load()

    first = _register(scoring_model)
    challenger = RegisteredModelDataset(registered_model_name=NAME, alias="challenger").load()
    test = splits["test"]
    assert np.array_equal(challenger.score(test), scoring_model.score(test))
    assert challenger.info["registry"]["version"] == first
    assert challenger.info["registry"]["metrics"] == {"roc_auc": 0.7}

    champion.save({"promote": False, "version": first})
    assert champion.load() == {}
    champion.save({"promote": True, "version": first})
    assert champion.load()["version"] == first

    second = _register(dataclasses.replace(scoring_model, threshold=0.3))
    assert champion.load()["version"] == first  # registering does not promote
    champion.save({"promote": True, "version": second})
    client = MlflowClient()
    assert int(registry.version_by_alias(client, NAME, "previous_champion").version) == first
    champion_model = RegisteredModelDataset(registered_model_name=NAME, alias="champion")
    served = champion_model.load()
    assert served.threshold == 0.3
    assert champion_model.load() is served  # one download and check per version

    # rollback: the previous champion serves again, and a second rollback undoes it
    assert registry.set_champion(client, NAME, first) == {
        "champion": first,
        "previous_champion": second,
    }
    assert champion_model.load().threshold == 0.2  # the alias moved: loaded afresh


def test_a_promotion_against_a_champion_that_moved_meanwhile_is_not_applied(
    store: Path, scoring_model: ScoringModel
) -> None:
    """Two runs decided against the same champion; the second to arrive must not win."""
    champion = ChampionDataset(registered_model_name=NAME)
    base = _register(scoring_model)
    registry.set_champion(MlflowClient(), NAME, base)
    first, second = _register(scoring_model), _register(scoring_model)
    champion.save({"promote": True, "version": first, "against_version": base})
    assert champion.load()["version"] == first
    with mlflow.start_run() as run:
        champion.save({"promote": True, "version": second, "against_version": base})
    assert champion.load()["version"] == first
    assert MlflowClient().get_run(run.info.run_id).data.tags["credit_risk.promotion"] == (
        "superseded"
    )
    # compared again with the new champion, the move applies
    champion.save({"promote": True, "version": second, "against_version": first})
    assert champion.load()["version"] == second


def test_a_tampered_registered_file_is_refused(store: Path, scoring_model: ScoringModel) -> None:
    _register(scoring_model)
    # the artifact store is a folder here: alter the registered LightGBM files in place
    files = [p for p in store.rglob("lightgbm_model.txt") if p.parent.name == "bundle"]
    originals = {p: p.read_bytes() for p in files}
    try:
        for path in files:
            path.write_bytes(path.read_bytes().replace(b"shrinkage=", b"shrinkage=9", 1))
        with pytest.raises(ChecksumMismatchError, match=r"lightgbm_model\.txt"):
            RegisteredModelDataset(registered_model_name=NAME, alias="challenger").load()
    finally:
        for path, data in originals.items():
            path.write_bytes(data)


def test_the_pyfunc_loads_from_code_and_scores(
    store: Path, scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    version = _register(scoring_model)
    model = mlflow.pyfunc.load_model(f"models:/{NAME}/{version}")
    test = splits["test"][scoring_model.features]
    out = model.predict(test)
    assert np.allclose(out["score"].to_numpy(), scoring_model.score(test))
    assert set(out["decision"]) <= {"approve", "decline"}
    assert (out["decision"] == "decline").tolist() == (out["score"] >= 0.2).tolist()


@pytest.mark.parametrize(
    ("code", "missing"),
    [
        (databricks_pb2.RESOURCE_DOES_NOT_EXIST, True),
        (databricks_pb2.INVALID_PARAMETER_VALUE, True),
        (databricks_pb2.INTERNAL_ERROR, False),
    ],
)
def test_only_a_missing_model_or_alias_reads_as_no_champion(code: int, missing: bool) -> None:
    """A registry that fails to answer must not look like "no champion yet"."""

    class Failing:
        def get_model_version_by_alias(self, name: str, alias: str) -> None:
            raise MlflowException("boom", error_code=code)

    client: Any = Failing()
    if missing:
        assert registry.version_by_alias(client, NAME, "champion") is None
    else:
        with pytest.raises(MlflowException, match="boom"):
            registry.version_by_alias(client, NAME, "champion")
