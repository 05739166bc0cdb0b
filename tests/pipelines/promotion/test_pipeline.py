"""A slice of the project: evaluation then promotion through DataCatalog + SequentialRunner."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro.io import DataCatalog

from credit_risk.evaluation.card import CARD_CHARTS
from credit_risk.pipelines.evaluation import create_pipeline as evaluation
from credit_risk.pipelines.promotion import create_pipeline as promotion

from ..evaluation.inputs import RUN_CONTEXT

RUN_ID = RUN_CONTEXT["run_id"]

NODES = [
    "decide_promotion",
    "register_challenger",
    "promote_in_registry",
    "collect_charts",
    "build_model_card",
    "track_promotion_metrics",
]


def test_promotion_reads_what_evaluation_writes() -> None:
    pipeline = promotion()
    assert {n.name for n in pipeline.nodes} == set(NODES)
    assert all(n.tags == {"promotion"} for n in pipeline.nodes)
    assert set(pipeline.outputs()) >= {"champion_alias", "model_card", "promotion_metrics"}
    assert not pipeline.all_outputs() & evaluation().all_outputs()
    upstream = {"test_metrics", "candidate_selection", "fairness_summary", "drift_summary"}
    assert upstream <= pipeline.inputs() and upstream <= evaluation().all_outputs()
    # together they hold what the single evaluation pipeline held, and the new metrics
    both = {n.name for n in (evaluation() + pipeline).nodes}
    assert len(both) == len(evaluation().nodes) + len(NODES)


def test_the_decision_and_its_tracked_figures_agree(promoted: DataCatalog) -> None:
    decision = promoted.load("promotion_decision")
    assert decision["candidate"] == promoted.load("candidate_selection")["candidate"]
    assert decision["promote"] == all(decision["checks"].values())
    tracked = promoted.load("promotion_metrics")
    assert tracked == {
        "promotion.promote": {"value": float(decision["promote"]), "step": 0},
        "promotion.baseline_serves": {"value": float(decision["baseline_serves"]), "step": 0},
        **{f"promotion.{k}": {"value": float(v), "step": 0} for k, v in decision["checks"].items()},
    }


def test_the_challenger_is_the_model_that_serves_with_its_threshold(
    promoted: DataCatalog, inputs: dict[str, Any], parameters: dict[str, Any]
) -> None:
    decision, challenger = promoted.load("promotion_decision"), promoted.load("challenger_model")
    report = promoted.load("business_report")
    policy = next(
        r for r in (report["candidate"], report["baseline"]) if r["model"] == challenger.candidate
    )
    assert challenger.candidate == decision["serve"]
    assert challenger.threshold == policy["threshold"]
    train = inputs["model_input_train"]
    rows = min(parameters["evaluation"]["reference_rows"], len(train))
    assert len(challenger.reference) == rows and "score" in challenger.reference
    assert challenger.info["kedro_run_id"] == RUN_ID
    metrics = promoted.load("test_metrics")
    own = metrics[metrics["model"] == challenger.candidate].set_index("metric")["value"]
    assert challenger.info["metrics"] == own.to_dict()
    if not decision["baseline_serves"]:
        assert challenger.info["metrics"] == decision["metrics"]
    scores = challenger.score(challenger.reference.drop(columns="score"))
    assert (scores == challenger.reference["score"].to_numpy()).all()


def test_the_model_card_shows_the_decision_lineage_and_charts(promoted: DataCatalog) -> None:
    card, decision = promoted.load("model_card"), promoted.load("promotion_decision")
    assert f"Model card: {decision['candidate']}" in card
    assert ("PROMOTE" if decision["promote"] else "DO NOT PROMOTE") in card
    assert f"Kedro run {RUN_ID}" in card and "Risk register" in card
    charts = promoted.load("model_card_charts")
    assert next(iter(charts)) == "ROC" and len(charts) == len(CARD_CHARTS) == 17
    assert card.count("<h3>") == 17 + 2  # the charts, and the gains and grade tables
    assert "Rating grades (PD master scale)" in card and "accuracy ratio (Gini)" in card
    assert isinstance(promoted.load("fairness_table"), pd.DataFrame)
