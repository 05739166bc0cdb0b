from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from credit_risk.datasets import registry
from credit_risk.models import gbm

from .conftest import SMALL, Runner

pytestmark = pytest.mark.integration


def _versions(path: Path) -> list[Path]:
    return sorted(p / path.name for p in path.iterdir() if p.is_dir())


def test_training_writes_candidates_checksums_and_leaderboard(project: Path, run: Runner) -> None:
    run(["demo_data", "data_processing"])
    run(["training"])
    models = project / "data" / "06_models"
    for name in (
        "constant_model.json",
        "logistic_model.json",
        "lightgbm_model.txt",
        "lightgbm_encoder.json",
        "ensemble_model.json",
    ):
        (artifact,) = _versions(models / name)
        assert artifact.with_name(f"{name}.sha256").read_text().split()[1] == name
    (board_file,) = _versions(project / "data/08_reporting/leaderboard.csv")
    board = pd.read_csv(board_file)
    assert set(board["model"]) == {
        "constant_prior",
        "logistic_regression",
        "lightgbm_tuned",
        "ensemble",
    }
    assert board["val_auc"].is_monotonic_decreasing
    assert board.set_index("model").loc["constant_prior", "val_auc"] == 0.5
    assert board.set_index("model").loc["lightgbm_tuned", "val_auc"] > 0.6
    (chart,) = _versions(project / "data/08_reporting/leaderboard_chart.json")
    assert json.loads(chart.read_text())["data"][0]["type"] == "bar"
    (best,) = _versions(models / "lightgbm_best_params.json")
    assert sum(json.loads(best.read_text())["trials"].values()) == 3

    # The validation period is scored out of sample: by the train-only fit, not by the
    # model that serves, which was refitted on that period.
    (validation,) = _versions(project / "data/05_model_input/validation.parquet")
    (scores,) = _versions(project / "data/07_model_output/validation_scores.parquet")
    (encoder,) = _versions(models / "lightgbm_encoder.json")
    frame, scored = pd.read_parquet(validation), pd.read_parquet(scores)
    spec = json.loads(encoder.read_text())

    def predict(name: str) -> list[float]:
        (path,) = _versions(models / name)
        return gbm.predict(lgb.Booster(model_file=str(path)), spec, frame).tolist()

    assert scored["score_lightgbm_tuned"].tolist() == pytest.approx(
        predict("lightgbm_model_train_only.txt")
    )
    assert scored["score_lightgbm_tuned"].tolist() != pytest.approx(predict("lightgbm_model.txt"))


def test_same_seed_reproduces_the_lightgbm_file_byte_for_byte(project: Path, run: Runner) -> None:
    run(["demo_data", "data_processing"])
    run(["training"])
    fresh_study = {
        **SMALL,
        "training": {"tuning": {**SMALL["training"]["tuning"], "study_name": "a-fresh-study"}},
    }
    run(["training"], params=fresh_study)  # new trials from scratch, same seeds
    first, second = _versions(project / "data/06_models/lightgbm_model.txt")
    assert first.read_bytes() == second.read_bytes()
    assert first.with_name("lightgbm_model.txt.sha256").read_text() == (
        second.with_name("lightgbm_model.txt.sha256").read_text()
    )


def _runs_of(client: MlflowClient, pipelines: str) -> list:
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    return client.search_runs([experiment.experiment_id], f"tags.`env.pipelines` = '{pipelines}'")


def test_promotion_runs_on_its_own_from_what_evaluation_saved(project: Path, run: Runner) -> None:
    run(["demo_data", "data_processing"])
    run(["training"])
    run(["evaluation"])
    reporting = project / "data" / "08_reporting"
    assert not (reporting / "promotion_decision.json").exists()  # evaluation decides nothing
    run(["promotion"])
    (decision_file,) = _versions(reporting / "promotion_decision.json")
    decision = json.loads(decision_file.read_text())
    assert decision["promote"] == all(decision["checks"].values())
    (card_file,) = _versions(reporting / "model_card.html")
    card = card_file.read_text()
    assert f"Model card: {decision['candidate']}" in card and "pipelines promotion;" in card
    store = f"sqlite:///{project.resolve().as_posix()}/mlflow.db"
    client = MlflowClient(tracking_uri=store, registry_uri=store)
    challenger = registry.version_by_alias(client, "credit_risk", "challenger")
    assert challenger is not None and challenger.tags["candidate"] == decision["serve"]
    champion = registry.version_by_alias(client, "credit_risk", "champion")
    if decision["promote"] or decision["baseline_serves"]:
        assert champion is not None and champion.version == challenger.version
    else:
        assert champion is None
    (evaluation,), (promotion,) = _runs_of(client, "evaluation"), _runs_of(client, "promotion")
    assert "evaluation.test.ensemble.roc_auc" in evaluation.data.metrics
    assert not any(m.startswith("evaluation.promotion.") for m in evaluation.data.metrics)
    tracked = promotion.data.metrics
    assert tracked["evaluation.promotion.promote"] == float(decision["promote"])
    for check, ok in decision["checks"].items():
        assert tracked[f"evaluation.promotion.{check}"] == float(ok)
