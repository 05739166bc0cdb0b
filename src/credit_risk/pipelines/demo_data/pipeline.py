"""Wiring of the ``demo_data`` pipeline."""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.demo_data.nodes import generate_demo_data


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``demo_data`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        One node writing the raw layer and the ground truth.
    """
    return Pipeline(
        [
            Node(
                generate_demo_data,
                inputs="params:demo_data",
                outputs=[
                    "customers",
                    "applications",
                    "repayment_history",
                    "scoring_batch",
                    "ground_truth",
                ],
                name="generate_demo_data",
                tags=["demo_data"],
            )
        ]
    )
