"""The ``training`` pipeline: model input -> baselines, tuned LightGBM, ensemble, leaderboard."""

from credit_risk.pipelines.training.pipeline import create_pipeline

__all__ = ["create_pipeline"]
