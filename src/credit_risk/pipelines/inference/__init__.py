"""The ``inference`` pipeline: score a new batch with the registry's champion."""

from credit_risk.pipelines.inference.pipeline import create_pipeline

__all__ = ["create_pipeline"]
