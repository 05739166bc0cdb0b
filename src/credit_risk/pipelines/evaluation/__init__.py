"""The ``evaluation`` pipeline: candidates + test split -> evidence and a promotion decision."""

from credit_risk.pipelines.evaluation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
