"""Wiring of the ``tuning`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.tuning import nodes

CONTRACT = "params:data_contract"
TRAINING = "params:training"


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``tuning`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        The LightGBM encoder and the Optuna study's trials (created or resumed).
    """
    return Pipeline(
        [
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
                nodes.chart_study,
                ["lightgbm_study_storage", "lightgbm_best_params", TRAINING],
                ["optimisation_history_chart", "param_importance_chart"],
                name="chart_the_study",
            ),
        ],
        tags=["training", "tuning"],
    )
