"""Wiring of the ``inference`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.inference import nodes

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
