"""Wiring of the ``model_input`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.model_input import nodes


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``model_input`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Contract validation, feature-table metadata and ids, and the splits.
    """
    return Pipeline(
        [
            Node(
                nodes.validate_model_table,
                inputs=["model_table", "params:data_contract", "params:validation"],
                outputs=["feature_table", "model_table_quarantine", "model_table_summary"],
                name="validate_against_data_contract",
            ),
            Node(
                nodes.describe_feature_table,
                inputs=["feature_table", "params:data_contract", "model_table_summary"],
                outputs="feature_table_metadata",
                name="describe_feature_table",
            ),
            Node(
                nodes.index_feature_table,
                inputs=["feature_table", "params:data_contract"],
                outputs="feature_table_ids",
                name="index_feature_table",
            ),
            Node(
                nodes.split_model_input,
                inputs=["feature_table", "params:data_contract", "params:split"],
                outputs=[
                    "model_input_train",
                    "model_input_validation",
                    "model_input_test",
                    "split_summary",
                ],
                name="split_out_of_time",
            ),
        ],
        tags=["data_processing", "model_input"],
    )
