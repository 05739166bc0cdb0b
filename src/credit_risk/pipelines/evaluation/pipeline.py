"""Wiring of the ``evaluation`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.evaluation.business import threshold_transfer
from credit_risk.evaluation.charts import fold_chart
from credit_risk.evaluation.credit_views import credit_views
from credit_risk.evaluation.explain import bayes_comparison
from credit_risk.evaluation.promotion import select_candidate
from credit_risk.evaluation.tracking import evaluation_metrics
from credit_risk.models.candidates import score_candidates
from credit_risk.pipelines.evaluation import nodes

CONTRACT = "params:data_contract"
EVALUATION = "params:evaluation"
TRAIN_ONLY = [
    "logistic_model_train_only",
    "lightgbm_model_train_only",
    "lightgbm_encoder",
    "ensemble_model",
]


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``evaluation`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Scoring, candidate selection, metrics with intervals, calibration, variance,
        business view, fairness, drift, explanations, the Bayes comparison, the comparison
        with the best baseline, and their tracked metrics: the evidence ``promotion``
        decides on.
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
                select_candidate,
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
                score_candidates,
                ["model_input_test", "constant_model", *TRAIN_ONLY],
                "test_train_only_scores",
                name="score_test_with_train_only_fits",
            ),
            Node(
                score_candidates,
                ["model_input_validation", *models],
                "validation_served_scores",
                name="score_validation_with_served_fits",
            ),
            Node(
                threshold_transfer,
                [
                    "business_report",
                    "validation_scores",
                    "test_train_only_scores",
                    "validation_served_scores",
                    "test_scores",
                ],
                "threshold_transfer",
                name="measure_threshold_transfer",
            ),
            Node(
                credit_views,
                ["test_scores", "candidate_selection", "business_report", CONTRACT, EVALUATION],
                [
                    "gains_table",
                    "rating_grade_table",
                    "credit_views_summary",
                    "score_distribution_chart",
                    "ks_chart",
                    "gains_chart",
                    "cap_chart",
                    "rating_grade_chart",
                    "strategy_chart",
                ],
                name="draw_credit_views",
            ),
            Node(fold_chart, "fold_metrics", "fold_chart", name="chart_fold_variance"),
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
                bayes_comparison,
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
                evaluation_metrics,
                [
                    "test_metrics",
                    "baseline_comparison",
                    "fold_summary",
                    "calibration_error",
                    "business_report",
                    "fairness_summary",
                ],
                "evaluation_metrics",
                name="track_evaluation_metrics",
            ),
        ],
        tags=["evaluation"],
    )
