"""Schema of the demo's feature table: what the point-in-time feature code must produce.

The generic part validates any model table against the data contract; this class-based
schema adds what is known of the demo's own features (ranges, non-negative counts), so
a bug in the feature code stops the run instead of reaching a model.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from credit_risk.features.model_table import AGE_BAND_LABELS

_WINDOW = r"hist_\d+m_"


class FeatureTableSchema(pa.DataFrameModel):
    """One row per application, with customer, loan and repayment-history features."""

    application_id: Series[int] = pa.Field(unique=True)
    customer_id: Series[int]
    application_date: Series[pd.Timestamp]
    defaulted: Series[int] = pa.Field(isin=[0, 1])
    age: Series[float] = pa.Field(ge=16, le=120)
    age_band: Series[str] = pa.Field(isin=AGE_BAND_LABELS)
    customer_tenure_days: Series[float] = pa.Field(ge=0)
    monthly_instalment: Series[float] = pa.Field(gt=0)
    instalment_to_income: Series[float] = pa.Field(ge=0, nullable=True)
    loan_to_income: Series[float] = pa.Field(ge=0, nullable=True)
    hist_n_statements: Series[int] = pa.Field(ge=0)
    hist_months_since_last_missed: Series[float] = pa.Field(ge=0, nullable=True)
    n_statements: Series[int] = pa.Field(ge=0, alias=_WINDOW + "n_statements", regex=True)
    missed: Series[int] = pa.Field(ge=0, alias=_WINDOW + "missed", regex=True)
    worst_dpd: Series[float] = pa.Field(
        ge=0, nullable=True, alias=_WINDOW + "worst_dpd", regex=True
    )
    mean_dpd: Series[float] = pa.Field(ge=0, nullable=True, alias=_WINDOW + "mean_dpd", regex=True)
    utilisation: Series[float] = pa.Field(
        ge=0, nullable=True, alias=_WINDOW + "mean_utilisation", regex=True
    )
    payment_ratio: Series[float] = pa.Field(
        ge=0, nullable=True, alias=_WINDOW + "payment_ratio", regex=True
    )
    trend: Series[float] = pa.Field(nullable=True, alias=_WINDOW + "utilisation_trend", regex=True)

    class Config:
        """Customer and loan attributes are checked in the raw schemas already."""

        strict = False
