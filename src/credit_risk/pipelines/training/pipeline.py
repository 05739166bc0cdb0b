"""Wiring of the ``training`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.training import nodes

CONTRACT = "params:data_contract"
TRAINING = "params:training"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``training`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Baselines, Optuna tuning, the LightGBM refit, the ensemble and the leaderboard.
    """
    return Pipeline(
        [
            Node(
                nodes.fit_constant_baseline,
                ["model_input_train", CONTRACT],
                ["constant_model", "constant_fit"],
                name="fit_constant_baseline",
            ),
            Node(
                nodes.fit_logistic_baseline,
                ["model_input_train", CONTRACT, TRAINING],
                ["logistic_model", "logistic_fit"],
                name="fit_logistic_baseline",
            ),
            Node(
                nodes.fit_lightgbm_encoder,
                ["model_input_train", CONTRACT],
                "lightgbm_encoder",
                name="fit_lightgbm_encoder",
            ),
            Node(
                nodes.tune_lightgbm,
                [
                    "lightgbm_study_storage",
                    "model_input_train",
                    "model_input_validation",
                    "lightgbm_encoder",
                    CONTRACT,
                    TRAINING,
                ],
                ["lightgbm_best_params", "tuning_trials"],
                name="tune_lightgbm_with_optuna",
            ),
            Node(
                nodes.refit_lightgbm,
                [
                    "model_input_train",
                    "lightgbm_encoder",
                    "lightgbm_best_params",
                    CONTRACT,
                    TRAINING,
                ],
                ["lightgbm_model", "lightgbm_fit"],
                name="refit_lightgbm",
            ),
            Node(
                nodes.fit_ensemble,
                [
                    "model_input_validation",
                    "logistic_model",
                    "lightgbm_model",
                    "lightgbm_encoder",
                    CONTRACT,
                    TRAINING,
                ],
                ["ensemble_model", "ensemble_fit"],
                name="fit_ensemble_on_validation",
            ),
            Node(
                nodes.collect_fit_info,
                ["constant_fit", "logistic_fit", "lightgbm_fit", "ensemble_fit"],
                "candidate_fit_info",
                name="collect_fit_info",
            ),
            Node(
                nodes.build_leaderboard,
                {
                    "validation": "model_input_validation",
                    "contract": CONTRACT,
                    "constant_model": "constant_model",
                    "logistic_model": "logistic_model",
                    "lightgbm_model": "lightgbm_model",
                    "lightgbm_encoder": "lightgbm_encoder",
                    "ensemble_model": "ensemble_model",
                    "fit_info": "candidate_fit_info",
                },
                ["leaderboard", "leaderboard_chart"],
                name="build_leaderboard",
            ),
            Node(
                nodes.tracked_training_metrics,
                ["leaderboard", "lightgbm_best_params", "tuning_trials"],
                "training_metrics",
                name="track_training_metrics",
            ),
        ],
        tags=["training"],
    )
