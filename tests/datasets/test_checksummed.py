from __future__ import annotations

from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest
from kedro.io.core import Version

from credit_risk.datasets import (
    ChecksumMismatchError,
    JSONArtifactDataset,
    LightGBMModelDataset,
)


def _booster() -> tuple[lgb.Booster, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 4))
    y = (x[:, 0] + rng.normal(size=300) > 0).astype(int)
    params = {
        "objective": "binary",
        "verbosity": -1,
        "deterministic": True,
        "force_row_wise": True,
        "seed": 1,
        "num_threads": 1,
    }
    return lgb.train(params, lgb.Dataset(x, y), 10), x


def test_json_artifact_round_trip_writes_a_checksum(tmp_path: Path) -> None:
    dataset = JSONArtifactDataset(filepath=str(tmp_path / "spec.json"))
    dataset.save({"kind": "ensemble", "weights": {"a": 0.25, "b": 0.75}})
    assert dataset.load() == {"kind": "ensemble", "weights": {"a": 0.25, "b": 0.75}}
    digest, name = (tmp_path / "spec.json.sha256").read_text().split()
    assert name == "spec.json" and len(digest) == 64


def test_tampered_file_is_refused_naming_it(tmp_path: Path) -> None:
    dataset = JSONArtifactDataset(filepath=str(tmp_path / "spec.json"))
    dataset.save({"prior": 0.1})
    path = tmp_path / "spec.json"
    path.write_text(path.read_text().replace("0.1", "0.9"))
    with pytest.raises(
        ChecksumMismatchError, match=r"Refusing to load '.*spec\.json': its SHA-256"
    ):
        dataset.load()


def test_missing_checksum_is_refused(tmp_path: Path) -> None:
    dataset = JSONArtifactDataset(filepath=str(tmp_path / "spec.json"))
    dataset.save({"prior": 0.1})
    (tmp_path / "spec.json.sha256").unlink()
    with pytest.raises(ChecksumMismatchError, match=r"checksum file .* is missing"):
        dataset.load()


def test_lightgbm_model_is_text_and_predicts_the_same(tmp_path: Path) -> None:
    booster, x = _booster()
    version = Version(None, "2026-01-01T00.00.00.000Z")  # load what was saved, exactly
    dataset = LightGBMModelDataset(filepath=str(tmp_path / "model.txt"), version=version)
    dataset.save(booster)
    saved = next(tmp_path.glob("model.txt/*/model.txt"))
    assert saved.read_text().startswith("tree\n")  # LightGBM's text format, no pickle
    assert "[num_threads: 0]" in saved.read_text()
    np.testing.assert_array_equal(dataset.load().predict(x), booster.predict(x))


def test_tampered_lightgbm_model_is_refused(tmp_path: Path) -> None:
    booster, _ = _booster()
    dataset = LightGBMModelDataset(filepath=str(tmp_path / "model.txt"))
    dataset.save(booster)
    path = tmp_path / "model.txt"
    path.write_text(path.read_text().replace("learning_rate", "learning_rate ", 1))
    with pytest.raises(ChecksumMismatchError, match=r"model\.txt"):
        dataset.load()
