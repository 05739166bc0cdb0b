"""The ``data_processing`` pipeline: raw tables -> validated -> point-in-time features -> splits."""

from credit_risk.pipelines.data_processing.pipeline import create_pipeline

__all__ = ["create_pipeline"]
