"""One source of truth for defaults, and parameters that merge softly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from credit_risk import settings
from credit_risk.config import ProjectConfigLoader
from credit_risk.params import (
    EvaluationParams,
    FeatureParams,
    InferenceParams,
    SplitParams,
    TrainingParams,
)

PROJECT = Path(__file__).resolve().parents[1]
BLOCKS: dict[str, type[BaseModel]] = {
    "training": TrainingParams,
    "evaluation": EvaluationParams,
    "inference": InferenceParams,
    "features": FeatureParams,
    "split": SplitParams,
}


def _loader(conf: Path, env: str = "local") -> ProjectConfigLoader:
    return ProjectConfigLoader(
        str(conf), base_env="base", default_run_env=env, merge_strategy={"parameters": "soft"}
    )


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_conf_base_repeats_the_class_defaults(parameters: dict[str, Any], block: str) -> None:
    model = BLOCKS[block]
    assert model(**parameters[block]) == model(), (
        f"conf/base's '{block}' and {model.__name__}'s defaults disagree: one of them changed"
    )


def test_the_project_loader_merges_parameters_softly() -> None:
    assert settings.CONFIG_LOADER_ARGS["merge_strategy"] == {"parameters": "soft"}


def _project_conf(tmp_path: Path, env: dict[str, Any]) -> Path:
    conf = tmp_path / "conf"
    (conf / "base").mkdir(parents=True)
    (conf / "local").mkdir()
    for name in ("parameters_training.yml", "parameters_data_processing.yml", "globals.yml"):
        (conf / "base" / name).write_text((PROJECT / "conf" / "base" / name).read_text())
    (conf / "mine").mkdir()
    (conf / "mine" / "parameters.yml").write_text(yaml.safe_dump(env))
    return conf


def test_overriding_one_nested_key_keeps_its_siblings(tmp_path: Path) -> None:
    conf = _project_conf(tmp_path, {"training": {"tuning": {"n_trials": 5}}})
    merged = _loader(conf, "mine")["parameters"]["training"]
    assert merged["tuning"]["n_trials"] == 5
    assert merged["tuning"]["objective"] == "cv"  # a sibling kept
    assert merged["logistic"]["C"] == 0.5  # another block kept
    assert TrainingParams(**merged).tuning.n_trials == 5


def test_an_environments_data_contract_replaces_the_demos_whole(tmp_path: Path) -> None:
    mine = {"data_contract": {"dataset": "mine", "target_column": "bad", "numeric_columns": ["x"]}}
    conf = _project_conf(tmp_path, mine)
    contract = _loader(conf, "mine")["parameters"]["data_contract"]
    assert contract == mine["data_contract"]  # no demo key inherited (group, monotone, ...)
    base = _loader(conf)["parameters"]["data_contract"]
    assert base["group_column"] == "customer_id"


def test_credentials_come_from_conf_local_in_every_environment(tmp_path: Path) -> None:
    """`--env team` reads the member's secrets from conf/local, as Kedro keeps them."""
    conf = tmp_path / "conf"
    for folder in ("base", "local", "team"):
        (conf / folder).mkdir(parents=True)
    (conf / "base" / "globals.yml").write_text("registered_model_name: m\n")
    (conf / "base" / "catalog.yml").write_text("x:\n  type: ${globals:registered_model_name}\n")
    (conf / "team" / "credentials.yml").write_text("optuna: {url: team}\nother: {k: v}\n")
    (conf / "local" / "credentials.yml").write_text("optuna: {url: 'postgresql://me'}\n")

    def loader(env: str | None) -> ProjectConfigLoader:
        return ProjectConfigLoader(str(conf), env=env, base_env="base", default_run_env="local")

    team = loader("team")
    assert team["credentials"] == {"optuna": {"url": "postgresql://me"}, "other": {"k": "v"}}
    assert team["catalog"]["x"]["type"] == "m"  # globals still resolve after reading them
    assert loader(None)["credentials"] == {"optuna": {"url": "postgresql://me"}}
    (conf / "local" / "credentials.yml").unlink()
    assert loader("team")["credentials"] == {"optuna": {"url": "team"}, "other": {"k": "v"}}
