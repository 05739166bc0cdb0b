"""Wiring of the ``training`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.models.candidates import score_candidates
from credit_risk.pipelines.training import nodes

CONTRACT = "params:data_contract"
TRAINING = "params:training"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``training`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Baselines, Optuna tuning, the LightGBM refit, the ensemble, the validation
        period's out-of-sample scores, the leaderboard, and the models that serve refitted
        on training + validation.
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
                ["logistic_model_train_only", "logistic_fit"],
                name="fit_logistic_baseline",
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
                ["lightgbm_model_train_only", "lightgbm_fit"],
                name="refit_lightgbm",
            ),
            Node(
                nodes.fit_ensemble,
                [
                    "model_input_validation",
                    "logistic_model_train_only",
                    "lightgbm_model_train_only",
                    "lightgbm_encoder",
                    CONTRACT,
                    TRAINING,
                ],
                ["ensemble_model", "ensemble_fit"],
                name="fit_ensemble_on_validation",
            ),
            Node(
                score_candidates,
                [
                    "model_input_validation",
                    "constant_model",
                    "logistic_model_train_only",
                    "lightgbm_model_train_only",
                    "lightgbm_encoder",
                    "ensemble_model",
                ],
                "validation_scores",
                name="score_validation_out_of_sample",
            ),
            Node(
                nodes.fit_final_models,
                [
                    "model_input_train",
                    "model_input_validation",
                    "lightgbm_encoder",
                    "lightgbm_best_params",
                    CONTRACT,
                    TRAINING,
                ],
                ["logistic_model", "lightgbm_model", "final_fit"],
                name="refit_models_that_serve",
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
                    "validation_scores": "validation_scores",
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
                ["leaderboard", "lightgbm_best_params", "tuning_trials", "final_fit"],
                "training_metrics",
                name="track_training_metrics",
            ),
        ],
        tags=["training"],
    )
