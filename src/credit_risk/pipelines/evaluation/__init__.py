"""The ``evaluation`` pipeline: candidates + test split -> the evidence a promotion needs."""

from credit_risk.pipelines.evaluation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
