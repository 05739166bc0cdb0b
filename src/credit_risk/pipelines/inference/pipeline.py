"""Wiring of the ``inference`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.config import OWN_BATCH
from credit_risk.pipelines.inference import nodes
from credit_risk.validation import validate_contract_batch

CONTRACT = "params:data_contract"
INFERENCE = "params:inference"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``inference`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Validation and quarantine of the batch, its point-in-time features, scores with
        decisions and reason codes from the registry's champion, and drift monitoring.
    """
    return Pipeline(
        [
            Node(
                nodes.validate_batch,
                ["scoring_batch", INFERENCE, "params:validation"],
                ["scoring_batch_validated", "scoring_batch_quarantine", "scoring_batch_summary"],
                name="validate_scoring_batch",
            ),
            Node(
                nodes.link_batch_to_customers,
                ["scoring_batch_validated", "customers_validated"],
                ["scoring_batch_primary", "batch_orphans_quarantine"],
                name="quarantine_batch_orphans",
            ),
            Node(
                nodes.build_batch_features,
                [
                    "scoring_batch_primary",
                    "customers_validated",
                    "repayment_history_primary",
                    "feature_table_ids",
                    "params:features",
                ],
                "batch_features",
                name="build_batch_features",
            ),
            Node(
                nodes.score_batch,
                ["batch_features", "champion_model", "champion_alias", CONTRACT, INFERENCE],
                ["scored_batch", "batch_scoring_summary"],
                name="score_with_champion",
            ),
            Node(
                nodes.monitor_batch_drift,
                ["batch_features", "scored_batch", "champion_model", CONTRACT, INFERENCE],
                ["batch_drift_report", "batch_drift_summary", "batch_drift_chart"],
                name="monitor_batch_drift",
            ),
            Node(
                nodes.summarise_batch,
                [
                    "scoring_batch_summary",
                    "batch_orphans_quarantine",
                    "batch_scoring_summary",
                    "batch_drift_summary",
                ],
                ["inference_summary", "inference_metrics"],
                name="summarise_batch",
            ),
        ],
        tags=["inference"],
    )


def create_own_batch_pipeline() -> Pipeline:
    """The ``inference`` pipeline of a user's world: their batch file, scored by the champion.

    The batch (``own_batch``: the table's columns, no target) is validated against the
    data contract with quarantine, scored with decisions and reason codes, and monitored
    for drift against the champion's training reference.

    Returns:
        The pipeline.
    """
    return Pipeline(
        [
            Node(
                validate_contract_batch,
                [OWN_BATCH, CONTRACT, "params:validation"],
                ["own_batch_validated", "own_batch_quarantine", "own_batch_summary"],
                name="validate_scoring_table",
            ),
            Node(
                nodes.refuse_training_ids,
                ["own_batch_validated", "feature_table_ids", CONTRACT],
                "own_batch_new",
                name="refuse_training_ids",
            ),
            Node(
                nodes.score_batch,
                ["own_batch_new", "champion_model", "champion_alias", CONTRACT, INFERENCE],
                ["scored_batch", "batch_scoring_summary"],
                name="score_with_champion",
            ),
            Node(
                nodes.monitor_batch_drift,
                ["own_batch_new", "scored_batch", "champion_model", CONTRACT, INFERENCE],
                ["batch_drift_report", "batch_drift_summary", "batch_drift_chart"],
                name="monitor_batch_drift",
            ),
            Node(
                nodes.summarise_scored_table,
                ["own_batch_summary", "batch_scoring_summary", "batch_drift_summary"],
                ["inference_summary", "inference_metrics"],
                name="summarise_batch",
            ),
        ],
        tags=["inference"],
    )
