"""Wiring of the ``promotion`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.evaluation.card import CARD_CHARTS
from credit_risk.evaluation.tracking import promotion_metrics
from credit_risk.pipelines.promotion import nodes

CONTRACT = "params:data_contract"
EVALUATION = "params:evaluation"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``promotion`` pipeline.

    It reads what ``evaluation`` wrote (and the models ``training`` wrote) by dataset
    name, and the gate's rules from ``params:evaluation``.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        The promotion decision, the challenger registered, the champion alias moved (or
        not), the model card, and the decision's tracked metrics.
    """
    return Pipeline(
        [
            Node(
                nodes.decide_promotion,
                [
                    "test_metrics",
                    "candidate_selection",
                    "baseline_comparison",
                    "fairness_summary",
                    "drift_summary",
                    "champion_record",
                    EVALUATION,
                ],
                "promotion_decision",
                name="decide_promotion",
            ),
            Node(
                nodes.package_candidate,
                [
                    "promotion_decision",
                    "lightgbm_model",
                    "lightgbm_encoder",
                    "logistic_model",
                    "ensemble_model",
                    "business_report",
                    "test_metrics",
                    "model_input_train",
                    "feature_table_metadata",
                    "run_context",
                    CONTRACT,
                    EVALUATION,
                ],
                "challenger_model",
                name="register_challenger",
            ),
            Node(
                nodes.update_champion,
                ["promotion_decision", "challenger_model"],
                "champion_alias",
                name="promote_in_registry",
            ),
            Node(
                nodes.collect_charts,
                {name: name for name in CARD_CHARTS},
                "model_card_charts",
                name="collect_charts",
            ),
            Node(
                nodes.build_model_card,
                {
                    "decision": "promotion_decision",
                    "metrics": "test_metrics",
                    "bayes": "bayes_comparison",
                    "variance": "fold_summary",
                    "eces": "calibration_error",
                    "fairness_table": "fairness_table",
                    "fairness_summary": "fairness_summary",
                    "drift_report": "drift_report",
                    "drift_summary": "drift_summary",
                    "business_report": "business_report",
                    "threshold_transfer": "threshold_transfer",
                    "gains_table": "gains_table",
                    "rating_grade_table": "rating_grade_table",
                    "credit_views_summary": "credit_views_summary",
                    "feature_metadata": "feature_table_metadata",
                    "validation_report": "validation_report",
                    "split_summary": "split_summary",
                    "lightgbm_model": "lightgbm_model",
                    "final_fit": "final_fit",
                    "charts": "model_card_charts",
                    "run_context": "run_context",
                },
                "model_card",
                name="build_model_card",
            ),
            Node(
                promotion_metrics,
                "promotion_decision",
                "promotion_metrics",
                name="track_promotion_metrics",
            ),
        ],
        tags=["promotion"],
    )
