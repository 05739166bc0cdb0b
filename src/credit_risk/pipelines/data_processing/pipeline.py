"""Wiring of the ``data_processing`` pipeline: the credit demo's raw tables -> ``model_table``.

The registry registers ``data_processing`` with ``model_input`` after it.
"""

from kedro.pipeline import Node, Pipeline

from credit_risk.pipelines.data_processing import nodes


def create_pipeline(**kwargs: object) -> Pipeline:
    """Create the ``data_processing`` pipeline.

    Args:
        **kwargs: Unused; Kedro's pipeline-factory signature.

    Returns:
        Validation of each raw source, orphan checks, quarantine and report, the
        point-in-time model table.
    """
    validation = [
        Node(
            getattr(nodes, f"validate_{source}"),
            inputs=[source, f"params:sources.{source}", "params:validation"],
            outputs=[f"{source}_validated", f"{source}_quarantine", f"{source}_summary"],
            name=f"validate_{source}",
        )
        for source in ("customers", "applications", "repayment_history")
    ]
    joins = [
        Node(
            nodes.enforce_references,
            inputs=[
                "customers_validated",
                "applications_validated",
                "repayment_history_validated",
                "scoring_batch",
            ],
            outputs=[
                "applications_primary",
                "repayment_history_primary",
                "references_quarantine",
                "references_summary",
            ],
            name="quarantine_orphan_rows",
        ),
        Node(
            nodes.collect_quarantine,
            inputs=[
                "customers_quarantine",
                "applications_quarantine",
                "repayment_history_quarantine",
                "references_quarantine",
            ],
            outputs="quarantine",
            name="collect_quarantine",
        ),
        Node(
            nodes.build_validation_report,
            inputs=[
                "customers_summary",
                "applications_summary",
                "repayment_history_summary",
                "references_summary",
            ],
            outputs="validation_report",
            name="build_validation_report",
        ),
        Node(
            nodes.make_model_table,
            inputs=[
                "applications_primary",
                "customers_validated",
                "repayment_history_primary",
                "params:features",
            ],
            outputs="model_table",
            name="build_point_in_time_model_table",
        ),
    ]
    return Pipeline(validation + joins, tags=["data_processing"])
