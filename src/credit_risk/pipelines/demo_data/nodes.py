"""Nodes of the ``demo_data`` pipeline."""

from __future__ import annotations

import pandas as pd

from credit_risk.demo_data import DemoDataParams, generate


def generate_demo_data(
    demo_data: DemoDataParams,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Draw the raw tables and the ground truth from the parameters' seed.

    Args:
        demo_data: Size, seed, periods, corruption, drift and bias knobs.

    Returns:
        Customers, applications, repayment history, the scoring batch, the ground truth.
    """
    data = generate(demo_data)
    return (
        data.customers,
        data.applications,
        data.repayment_history,
        data.scoring_batch,
        data.ground_truth,
    )
