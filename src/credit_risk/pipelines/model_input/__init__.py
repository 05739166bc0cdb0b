"""The ``model_input`` pipeline: the contract-driven tail of ``data_processing``.

A user's own single table goes through it by configuration alone: point the catalog's
``model_table`` at the file and describe its columns in ``data_contract``.
"""

from credit_risk.pipelines.model_input.pipeline import create_pipeline

__all__ = ["create_pipeline"]
