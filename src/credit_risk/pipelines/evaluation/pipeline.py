"""Wiring of the ``evaluation`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.evaluation import nodes

CONTRACT = "params:data_contract"
EVALUATION = "params:evaluation"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``evaluation`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Scoring, metrics with intervals, calibration, variance, business view, fairness,
        drift, explanations, the Bayes comparison, the decision and the model card.
    """
    models = [
        "constant_model",
        "logistic_model",
        "lightgbm_model",
        "lightgbm_encoder",
        "ensemble_model",
    ]
    return Pipeline(
        [
            Node(
                nodes.score_splits,
                ["model_input_train", "model_input_test", *models],
                ["train_scores", "test_scores"],
                name="score_splits",
            ),
            Node(
                nodes.select_candidate,
                "leaderboard",
                "candidate_selection",
                name="select_candidate",
            ),
            Node(
                nodes.evaluate_metrics,
                ["test_scores", CONTRACT, EVALUATION],
                ["test_metrics", "roc_chart", "pr_chart"],
                name="evaluate_metrics",
            ),
            Node(
                nodes.evaluate_calibration,
                ["test_scores", "candidate_selection", CONTRACT, EVALUATION],
                ["calibration_curve", "calibration_error", "calibration_chart"],
                name="evaluate_calibration",
            ),
            Node(
                nodes.evaluate_variance,
                [
                    "model_input_train",
                    "lightgbm_encoder",
                    "lightgbm_best_params",
                    CONTRACT,
                    "params:training",
                ],
                ["fold_metrics", "fold_summary"],
                name="evaluate_variance_across_folds",
            ),
            Node(
                nodes.evaluate_business,
                ["validation_scores", "test_scores", "candidate_selection", CONTRACT, EVALUATION],
                ["business_report", "profit_chart"],
                name="evaluate_business_value",
            ),
            Node(
                nodes.evaluate_fairness,
                ["test_scores", "candidate_selection", "business_report", CONTRACT, EVALUATION],
                ["fairness_table", "fairness_summary", "fairness_chart"],
                name="evaluate_fairness",
            ),
            Node(
                nodes.evaluate_drift,
                ["train_scores", "test_scores", "candidate_selection", CONTRACT, EVALUATION],
                ["drift_report", "drift_summary", "drift_chart"],
                name="evaluate_drift",
            ),
            Node(
                nodes.explain_lightgbm,
                ["lightgbm_model", "lightgbm_encoder", "model_input_test"],
                ["feature_importance", "importance_chart"],
                name="explain_with_shap",
            ),
            Node(
                nodes.compare_with_bayes,
                ["test_scores", "ground_truth", CONTRACT],
                "bayes_comparison",
                name="compare_with_bayes_optimal",
                tags=["demo_only"],
            ),
            Node(
                nodes.compare_with_baseline,
                ["test_scores", "candidate_selection", CONTRACT, EVALUATION],
                "baseline_comparison",
                name="compare_with_best_baseline",
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
                nodes.update_champion,
                ["promotion_decision", "challenger_model"],
                "champion_alias",
                name="promote_in_registry",
            ),
            Node(
                nodes.tracked_evaluation_metrics,
                [
                    "test_metrics",
                    "baseline_comparison",
                    "fold_summary",
                    "calibration_error",
                    "business_report",
                    "fairness_summary",
                    "promotion_decision",
                ],
                "evaluation_metrics",
                name="track_evaluation_metrics",
            ),
            Node(
                nodes.collect_charts,
                [
                    "roc_chart",
                    "pr_chart",
                    "calibration_chart",
                    "fairness_chart",
                    "drift_chart",
                    "importance_chart",
                    "profit_chart",
                    "leaderboard_chart",
                ],
                "model_card_charts",
                name="collect_charts",
            ),
        ],
        tags=["evaluation"],
    )
