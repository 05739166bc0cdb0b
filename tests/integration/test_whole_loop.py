"""The whole loop once, in a temporary copy of the project; then its outputs and notebooks."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from mlflow.entities import Run
from mlflow.tracking import MlflowClient
from nbclient import NotebookClient

from credit_risk.cli import cli
from credit_risk.datasets import registry

from .browser import chromium, require_chromium, screenshot_path
from .conftest import PROJECT, SMALL, copy_project

pytestmark = pytest.mark.integration
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("loop"))
    shutil.copytree(PROJECT / "notebooks", root / "notebooks")
    before = Path.cwd()
    os.chdir(root)
    try:
        bootstrap_project(root)
        with KedroSession.create(project_path=root, runtime_params=SMALL) as session:
            session.run(pipeline_names=["__default__"])
        yield root
    finally:
        os.chdir(before)


def _latest(path: Path) -> Path:
    return sorted(p for p in path.iterdir() if p.is_dir())[-1] / path.name


def test_the_default_run_evaluates_and_decides(loop: Path) -> None:
    reporting = loop / "data" / "08_reporting"
    decision = json.loads(_latest(reporting / "promotion_decision.json").read_text())
    assert set(decision["checks"]) == {
        "not_worse_than_baseline",
        "not_worse_than_champion",
        "no_fairness_flags",
        "no_drift_flags",
    }
    assert decision["promote"] == all(decision["checks"].values())
    metrics = pd.read_csv(_latest(reporting / "test_metrics.csv"))
    assert set(metrics["metric"]) == {"roc_auc", "pr_auc", "log_loss", "brier", "ks"}
    assert (metrics["low"] <= metrics["value"]).all()
    card = _latest(reporting / "model_card.html").read_text()
    assert "Model card: " in card and "Risk register" in card
    assert re.search(r"Kedro run \d{4}-\d\d-\d\dT[\d.]+Z", card)  # lineage
    assert not re.search(r"<script[^>]+src=['\"]https?://", card)  # opens offline
    models = loop / "data" / "06_models"
    final = json.loads((models / "fit_info" / "final.json").read_text())
    split = json.loads(_latest(reporting / "split_summary.json").read_text())
    assert final["rows"] == split["train"]["rows"] + split["validation"]["rows"]
    assert f"fitted on train + validation ({final['rows']:,} rows" in card
    bayes = pd.read_csv(_latest(reporting / "bayes_comparison.csv"))
    assert (bayes["share_of_bayes"] <= 1.05).all()
    record = json.loads(_latest(reporting / "run_record.json").read_text())
    assert record["run_id"] in card
    assert record["packages"]["lightgbm"] and record["cpu_count"] >= 1
    versions = record["dataset_versions"]
    assert versions["lightgbm_model"] == {"used": ["loaded", "saved"], "version": record["run_id"]}
    assert versions["feature_table"]["version"] == record["run_id"]
    # the loop ends with a champion: the candidate, or the best baseline serving first
    assert decision["promote"] or decision["baseline_serves"]


def _client() -> MlflowClient:
    store = f"sqlite:///{Path.cwd().resolve().as_posix()}/mlflow.db"  # the loop's own store
    return MlflowClient(tracking_uri=store, registry_uri=store)


def _default_run(client: MlflowClient) -> Run:
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id], "tags.`env.pipelines` = '__default__'")
    assert len(runs) == 1
    return runs[0]


def test_mlflow_holds_parameters_metrics_artifacts_and_environment(loop: Path) -> None:
    client = _client()
    run = _default_run(client)
    assert run.info.status == "FINISHED"
    params, metrics, tags = run.data.params, run.data.metrics, run.data.tags
    assert params["demo_data.n_customers"] == "1500" and params["training.seed"] == "42"
    assert params["training.tuning.n_trials"] == "3"
    assert 0.5 < metrics["evaluation.test.ensemble.roc_auc"] < 1
    decision = json.loads(
        _latest(loop / "data" / "08_reporting" / "promotion_decision.json").read_text()
    )
    assert metrics["evaluation.promotion.promote"] == float(decision["promote"])
    assert metrics["evaluation.promotion.baseline_serves"] == float(decision["baseline_serves"])
    for check, ok in decision["checks"].items():  # from the promotion pipeline's own dataset
        assert metrics[f"evaluation.promotion.{check}"] == float(ok)
    assert "training.lightgbm_tuned.val_auc" in metrics
    trials = client.get_metric_history(run.info.run_id, "training.tuning.trial_value")
    board = pd.read_csv(_latest(loop / "data" / "08_reporting" / "tuning_trials.csv"))
    assert (
        sorted(m.step for m in trials) == board.loc[board["state"] == "COMPLETE", "number"].tolist()
    )
    record = json.loads(_latest(loop / "data" / "08_reporting" / "run_record.json").read_text())
    assert tags["env.run_id"] == record["run_id"] == tags["run_id"]
    assert tags["env.uv_lock_sha256"] == record["uv_lock_sha256"]
    assert tags["env.cpu_count"] == str(record["cpu_count"]) and tags["env.accelerator"]
    report = json.loads(
        _latest(loop / "data" / "08_reporting" / "validation_report.json").read_text()
    )
    assert tags["data.customers.sha256"] == report["datasets"]["customers"]["content_sha256"]
    assert tags["data.feature_table.version"] == record["run_id"]
    assert "data.feature_table.sha256" in tags
    artifacts = {
        f.path
        for folder in ("reports", "environment", "tuning", "models", "charts")
        for f in client.list_artifacts(run.info.run_id, folder)
    }
    assert {
        "reports/model_card.html",
        "reports/leaderboard.csv",
        "reports/validation_report.json",
        "reports/promotion_decision.json",
        "environment/run_record.json",
        "environment/parameters.json",
        "tuning/tuning_trials.csv",
        "tuning/lightgbm_best_params.json",
        "models/lightgbm_model.txt",
        "charts/roc.json",
        "charts/charts.html",
    } <= artifacts
    page = client.download_artifacts(run.info.run_id, "charts/charts.html")
    text = Path(page).read_text()
    # one page, plotly.js once, every chart the run saved: the MLflow UI renders it
    logged = [
        Path(a.path).stem.removesuffix("_chart")
        for a in client.list_artifacts(run.info.run_id, "charts")
        if a.path.endswith(".json")
    ]
    assert all(f"id='{name}'" in text for name in logged), logged
    assert text.count('class="plotly-graph-div"') >= len(logged) >= 15
    assert text.count("plotly.js v") == 1


def test_registry_has_a_champion_that_scored_the_batch(loop: Path) -> None:
    client = _client()
    champion = registry.version_by_alias(client, "credit_risk", "champion")
    challenger = registry.version_by_alias(client, "credit_risk", "challenger")
    assert champion is not None and challenger is not None
    assert champion.version == challenger.version
    assert champion.run_id == _default_run(client).info.run_id
    decision = json.loads(
        _latest(loop / "data" / "08_reporting" / "promotion_decision.json").read_text()
    )
    assert champion.tags["candidate"] == decision["serve"]
    scored = pd.read_parquet(_latest(loop / "data" / "07_model_output" / "scored_batch.parquet"))
    assert (scored["model_version"] == int(champion.version)).all()
    declined = scored["decision"] == "decline"
    assert declined.any() and (~declined).any()
    assert scored.loc[declined, "reason_1"].notna().all()
    assert scored.loc[~declined, "reason_1"].isna().all()
    threshold = float(champion.tags["threshold"])
    assert (declined == (scored["score"] >= threshold)).all()
    summary = json.loads(
        _latest(loop / "data" / "08_reporting" / "inference_summary.json").read_text()
    )
    assert summary["rows_scored"] == len(scored)
    assert summary["rows_in"] == summary["rows_scored"] + summary["rows_quarantined"]
    assert summary["unseen_categories"]["channel"] > 0  # the demo's drift knob
    assert any("channel" in flag for flag in summary["drift"]["flags"])


def test_reproduce_rebuilds_the_same_model_from_the_mlflow_run(loop: Path) -> None:
    run_id = _default_run(_client()).info.run_id
    result = CliRunner().invoke(cli, ["reproduce", run_id], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output[result.output.rindex("{\n") :])
    assert outcome["identical"] is True
    assert outcome["original_sha256"] == outcome["rebuilt_sha256"]
    assert _client().get_run(outcome["new_run"]).data.tags["reproduces"] == run_id


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_against_the_catalog(loop: Path, notebook: Path) -> None:
    book = nbformat.read(loop / "notebooks" / notebook.name, as_version=4)
    client = NotebookClient(
        book,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(loop / "notebooks")}},
    )
    client.execute()  # a failing cell raises CellExecutionError
    assert any(cell.get("outputs") for cell in book.cells if cell.cell_type == "code")


def test_model_card_renders_offline_in_a_browser(loop: Path, tmp_path: Path) -> None:
    require_chromium()
    card = _latest(loop / "data" / "08_reporting" / "model_card.html")
    dom = chromium(card.as_uri(), "--dump-dom")  # every request off this machine fails
    assert "Model card: " in dom
    assert dom.count('class="main-svg"') >= 8  # plotly.js ran and drew every chart
    shot = screenshot_path("model-card.png", tmp_path)
    chromium(card.as_uri(), f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


def test_registry_commands_show_promote_and_refuse_a_rollback_to_nothing(loop: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["model", "champion"], catch_exceptions=False)
    assert shown.exit_code == 0
    aliases = json.loads(shown.output[shown.output.rindex('{\n  "challenger"') :])
    version = aliases["champion"]["version"]
    assert aliases["previous_champion"] is None
    promoted = runner.invoke(cli, ["model", "promote", str(version)], catch_exceptions=False)
    assert promoted.exit_code == 0 and f'"champion": {version}' in promoted.output
    refused = runner.invoke(cli, ["model", "rollback"])
    assert refused.exit_code != 0
    assert "no 'previous_champion' alias" in refused.output


def test_a_tampered_champion_is_refused_by_inference(loop: Path) -> None:
    champion = registry.version_by_alias(_client(), "credit_risk", "champion")
    assert champion is not None
    files = [
        p for p in (loop / "mlartifacts").rglob("lightgbm_model.txt") if p.parent.name == "bundle"
    ]
    assert files
    originals = {p: p.read_bytes() for p in files}
    try:
        for path in files:
            path.write_bytes(path.read_bytes().replace(b"shrinkage=", b"shrinkage=7", 1))
        bootstrap_project(loop)
        with (
            KedroSession.create(project_path=loop, runtime_params=SMALL) as session,
            pytest.raises(Exception, match=r"lightgbm_model\.txt.*changed after it was written"),
        ):
            session.run(pipeline_names=["inference"])
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
