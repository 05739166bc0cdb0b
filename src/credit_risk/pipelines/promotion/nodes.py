"""Nodes of the ``promotion`` pipeline: may the candidate serve, and what the registry keeps.

Each node unpacks its typed parameters and calls the domain modules: the gate in
:mod:`credit_risk.evaluation.promotion`, the card in :mod:`credit_risk.evaluation.card`,
the scoring bundle in :mod:`credit_risk.serving.bundle`.
"""

from __future__ import annotations

import logging
from typing import Any, Unpack

import lightgbm as lgb
import pandas as pd
import plotly.graph_objects as go

from credit_risk.checksums import sha256
from credit_risk.contract import DataContract
from credit_risk.evaluation import business, card, promotion
from credit_risk.models import gbm
from credit_risk.params import EvaluationParams
from credit_risk.serving import bundle
from credit_risk.serving.bundle import ScoringModel

logger = logging.getLogger(__name__)


def decide_promotion(
    metrics: pd.DataFrame,
    selection: dict[str, Any],
    baseline_comparison: dict[str, Any],
    fairness_summary: dict[str, Any],
    drift_summary: dict[str, Any],
    champion: dict[str, Any],
    evaluation: EvaluationParams,
) -> dict[str, Any]:
    """Promote or not, with every reason (the rules: :mod:`credit_risk.evaluation.promotion`).

    Args:
        metrics: Test metrics with intervals.
        selection: Candidate and best baseline.
        baseline_comparison: Paired AUC difference, candidate minus best baseline.
        fairness_summary: Fairness flags.
        drift_summary: Drift flags.
        champion: The current champion's record (``{}`` when there is none).
        evaluation: Promotion rules.

    Returns:
        ``{"promote": bool, "candidate", "serve" (the model to register), "baseline_serves",
        "metrics", "checks": {...}, "reasons": [...]}``.
    """
    rules, flags = evaluation.promotion, (fairness_summary["flags"], drift_summary["flags"])
    decision = promotion.decide(metrics, selection, baseline_comparison, *flags, champion, rules)
    first = f"; {decision['serve']} serves as the first champion"
    logger.info(
        "Promotion decision for %s: %s%s",
        decision["candidate"],
        "PROMOTE" if decision["promote"] else "DO NOT PROMOTE",
        first if decision["baseline_serves"] else "",
    )
    return decision


def package_candidate(
    decision: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    logistic_model: dict[str, Any],
    ensemble_model: dict[str, Any],
    business_report: dict[str, Any],
    metrics: pd.DataFrame,
    train: pd.DataFrame,
    feature_metadata: dict[str, Any],
    run_context: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> ScoringModel:
    """The model the decision says to register (candidate or first baseline): the challenger.

    Args:
        decision: The promotion decision (``serve`` names the model).
        lightgbm_model: Booster.
        lightgbm_encoder: Its encoder.
        logistic_model: Logistic spec.
        ensemble_model: Ensemble spec.
        business_report: Holds the candidate's and the baseline's thresholds.
        metrics: Test metrics.
        train: Training split (the drift reference sample is drawn from it).
        feature_metadata: The feature table's metadata (its content hash).
        run_context: The Kedro run id and git commit.
        contract: Column roles.
        evaluation: Reference sample size and seed.

    Returns:
        The scoring model, with its threshold, reference sample and lineage.
    """
    serve = decision["serve"]
    rows, seed = evaluation.reference_rows, evaluation.seed
    sample = bundle.reference_sample(train, contract.features, rows, seed)
    dates = train[contract.date_column] if contract.date_column else None
    lineage = (run_context, feature_metadata.get("content_sha256"), dates)
    info = bundle.lineage(promotion.metrics_of(metrics, serve), *lineage)
    members = (lightgbm_model, lightgbm_encoder, logistic_model, ensemble_model)
    threshold = business.threshold_of(business_report, serve)
    return bundle.package(serve, threshold, *members, reference=sample, info=info)


def update_champion(decision: dict[str, Any], challenger: ScoringModel) -> dict[str, Any]:
    """What the registry should do after the decision: make the challenger champion, or not.

    Args:
        decision: Promotion decision.
        challenger: The registered challenger, as loaded back from the registry (its
            checksums verified).

    Returns:
        ``{"promote", "version", "candidate", "reasons"}`` for the champion dataset.
    """
    return promotion.champion_update(decision, challenger.info["registry"]["version"])


def build_model_card(
    charts: dict[str, go.Figure], lightgbm_model: lgb.Booster, **evidence: Unpack[card.Evidence]
) -> str:
    """The model card as one HTML page, readable offline, with a risk register from the flags.

    Args:
        charts: Title -> figure, in the card's order.
        lightgbm_model: The booster (its file hash goes in the lineage).
        **evidence: The evaluation's reports, by name: decision, metrics with intervals,
            Bayes comparison, fold variance, calibration errors, fairness and drift tables
            and summaries, business report, threshold transfer, feature metadata,
            validation report, split summary, final fit and run context (see
            :class:`credit_risk.evaluation.card.Evidence`).

    Returns:
        The HTML page.
    """
    model_sha256 = sha256(gbm.model_text(lightgbm_model).encode())
    return card.render(card.sections(evidence, model_sha256), charts)


def collect_charts(**figures: go.Figure) -> dict[str, go.Figure]:
    """Name the charts the model card shows, in its order (:data:`card.CARD_CHARTS`).

    Args:
        **figures: Chart dataset name -> figure, one for each of ``card.CARD_CHARTS``.

    Returns:
        Title -> figure.
    """
    return {title: figures[name] for name, title in card.CARD_CHARTS.items()}
