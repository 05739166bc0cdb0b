"""Schemas of the raw layer: what a valid row of each source looks like.

Types are those after coercion (integers are nullable ``Int64`` until the valid rows are
known). Categories list their canonical spellings; spelling variants are normalised
before these checks, so only truly unknown values fail ``isin``. Dates are also checked
against the snapshot date at validation time (see ``SourceSpec.not_after_snapshot``).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from credit_risk.schemas.vocabulary import (
    CHANNELS,
    EMPLOYMENT_TYPES,
    GENDERS,
    HOME_OWNERSHIP,
    PURPOSES,
    REGIONS,
    TERMS,
)

EARLIEST = pd.Timestamp("1900-01-01")
MAX_AMOUNT = 10_000_000
"""The largest plausible amount of money on one row (income, loan, limit, balance)."""


class CustomersSchema(pa.DataFrameModel):
    """One row per customer."""

    customer_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    birth_date: Series[pd.Timestamp] = pa.Field(ge=EARLIEST)
    gender: Series[str] = pa.Field(isin=list(GENDERS))
    region: Series[str] = pa.Field(isin=list(REGIONS))
    income: Series[float] = pa.Field(ge=0, le=MAX_AMOUNT, nullable=True)
    employment_type: Series[str] = pa.Field(isin=list(EMPLOYMENT_TYPES))
    employment_years: Series[float] = pa.Field(ge=0, le=70, nullable=True)
    home_ownership: Series[str] = pa.Field(isin=list(HOME_OWNERSHIP))
    dependents: Series[pd.Int64Dtype] = pa.Field(ge=0, le=20)
    signup_date: Series[pd.Timestamp] = pa.Field(ge=EARLIEST)

    class Config:
        """Extra columns are allowed and carried along."""

        strict = False


class ApplicationsSchema(pa.DataFrameModel):
    """One row per loan application, labelled with whether it defaulted."""

    application_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    customer_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    application_date: Series[pd.Timestamp] = pa.Field(ge=EARLIEST)
    amount: Series[float] = pa.Field(gt=0, le=1_000_000)
    term_months: Series[pd.Int64Dtype] = pa.Field(isin=list(TERMS))
    interest_rate: Series[float] = pa.Field(ge=0, le=1)
    purpose: Series[str] = pa.Field(isin=list(PURPOSES))
    channel: Series[str] = pa.Field(isin=list(CHANNELS))
    defaulted: Series[pd.Int64Dtype] = pa.Field(isin=[0, 1])

    class Config:
        """Extra columns are allowed and carried along."""

        strict = False


class ScoringBatchSchema(pa.DataFrameModel):
    """One row per application to score: an application without its outcome.

    Categories are free text here: a level never seen in training is not an error in a
    batch (the model handles it and the inference pipeline counts it), while a missing
    column, an unreadable type or an impossible value still is.
    """

    application_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    customer_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    application_date: Series[pd.Timestamp] = pa.Field(ge=EARLIEST)
    amount: Series[float] = pa.Field(gt=0, le=1_000_000)
    term_months: Series[pd.Int64Dtype] = pa.Field(ge=1, le=600)
    interest_rate: Series[float] = pa.Field(ge=0, le=1)
    purpose: Series[str] = pa.Field(str_length={"min_value": 1})
    channel: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        """Extra columns are allowed and carried along."""

        strict = False


class RepaymentHistorySchema(pa.DataFrameModel):
    """One row per customer and monthly statement.

    Amounts are bounded by what a consumer credit line can plausibly hold: a credit limit
    of at least one currency unit (a limit of ``1e-12`` would make utilisation ``1e15``) and
    at most :data:`MAX_AMOUNT`, like balances and payments. Non-finite values are
    quarantined for every numeric column by validation itself.
    """

    customer_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    statement_date: Series[pd.Timestamp] = pa.Field(ge=EARLIEST)
    credit_limit: Series[float] = pa.Field(ge=1, le=MAX_AMOUNT)
    balance: Series[float] = pa.Field(ge=0, le=MAX_AMOUNT)
    amount_due: Series[float] = pa.Field(ge=0, le=MAX_AMOUNT)
    amount_paid: Series[float] = pa.Field(ge=0, le=MAX_AMOUNT)
    days_past_due: Series[pd.Int64Dtype] = pa.Field(ge=0, le=3_650)

    class Config:
        """Extra columns are allowed and carried along."""

        strict = False
