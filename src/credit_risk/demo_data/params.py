"""Typed parameters of the demo-data generator (``params:demo_data``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator


class InjectedDriftParams(BaseModel):
    """How the later scoring batch differs from the applications models learn from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    amount_multiplier: float = Field(1.35, gt=0, description="Loan amounts scaled by this.")
    long_term_share: float = Field(0.6, ge=0, le=1, description="Share of 48/60-month terms.")
    unseen_channel: str = Field("partner_api", min_length=1)
    unseen_channel_share: float = Field(0.15, ge=0, le=1)


class BiasParams(BaseModel):
    """Historical bias: extra default log-odds recorded against one group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    column: str = "gender"
    group: str = "F"
    log_odds: float = Field(0.8, description="Added to the group's true default log-odds.")


class DemoDataParams(BaseModel):
    """Size, seed and knobs of the demo data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 42
    n_customers: int = Field(20_000, ge=100)
    start_date: dt.date = dt.date(2023, 1, 1)
    snapshot_date: dt.date = Field(
        dt.date(2025, 3, 1), description="Extraction day: a later date is impossible."
    )
    application_months: int = Field(24, ge=6, description="Months applications span.")
    applications_per_customer: float = Field(1.3, ge=1.0, le=4.0)
    history_rows_min: int = Field(10, ge=1)
    history_rows_max: int = Field(25, ge=1)
    scoring_months: int = Field(2, ge=1)
    scoring_batch_share: float = Field(0.1, gt=0, le=1, description="Batch size / customers.")
    target_default_rate: float = Field(0.12, gt=0, lt=0.5)
    noise_sd: float = Field(0.3, ge=0, description="Unobservable log-odds noise.")
    corruption_rate: float = Field(0.02, ge=0, le=0.3)
    drift: InjectedDriftParams = InjectedDriftParams()
    bias: BiasParams = BiasParams()

    @property
    def scoring_start(self) -> dt.date:
        """First day of the scoring batch's period, right after the applications'."""
        return add_months(self.start_date, self.application_months)

    @model_validator(mode="after")
    def _check_periods(self) -> DemoDataParams:
        end = add_months(self.scoring_start, self.scoring_months)
        if end > self.snapshot_date:
            raise ValueError(
                f"snapshot_date {self.snapshot_date} is before the end of the scoring period "
                f"{end}: set snapshot_date to {end} or later, or shorten the periods."
            )
        if self.history_rows_min > self.history_rows_max:
            raise ValueError(
                f"history_rows_min ({self.history_rows_min}) exceeds history_rows_max "
                f"({self.history_rows_max}): swap or fix them."
            )
        return self


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month.

    Args:
        day: Any day.
        months: Months to add (may be negative).

    Returns:
        The first of the resulting month.
    """
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)
