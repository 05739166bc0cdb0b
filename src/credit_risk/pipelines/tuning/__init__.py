"""The ``tuning`` pipeline: the Optuna study's trials only, for one process or many."""

from credit_risk.pipelines.tuning.pipeline import create_pipeline

__all__ = ["create_pipeline"]
