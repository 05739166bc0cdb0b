"""The ``promotion`` pipeline: the evaluation's evidence -> gate, registry aliases, model card."""

from credit_risk.pipelines.promotion.pipeline import create_pipeline

__all__ = ["create_pipeline"]
