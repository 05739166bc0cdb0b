"""The ``demo_data`` pipeline: parameters -> the raw layer of a consumer-loan business."""

from credit_risk.pipelines.demo_data.pipeline import create_pipeline

__all__ = ["create_pipeline"]
