"""The data contract: which columns are the id, target, date, features and sensitive ones.

Everything after the source-specific joins reads the contract, never a column name of
the demo, so a user's own single table goes through by configuration alone.
"""

from __future__ import annotations

from typing import Literal

import pandera.pandas as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from credit_risk.params import SourceSpec

ROW_NUMBER = "row_number"
"""The id column the loop adds when the contract names none: the row's position (0, 1, ...)."""


class DataContract(BaseModel):
    """Roles of the columns of the model table (``params:data_contract``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str = Field("model_table", description="Catalog name of the table, for messages.")
    id_column: str | None = Field(
        None, description=f"One value per row; none: the row number, as '{ROW_NUMBER}'."
    )
    target_column: str
    positive_class: bool | int | float | str = Field(
        1,
        description="The target's value for the bad outcome (default, fraud, churn); any "
        "other value is the good one. A target with more than two values is refused.",
    )
    date_column: str | None = Field(
        None,
        description="With a date: out-of-time splits. Without: seeded stratified random splits.",
    )
    group_column: str | None = Field(None, description="Rows of a group share a split and fold.")
    categorical_columns: list[str] = Field(default_factory=list)
    numeric_columns: list[str] = Field(default_factory=list)
    sensitive_columns: list[str] = Field(
        default_factory=list,
        description="Kept for fairness analysis; a feature too only if also listed as one.",
    )
    fairness_warning_only: list[str] = Field(
        default_factory=list,
        description="Sensitive columns whose fairness flags warn in the card but never block "
        "promotion (e.g. age where it is a legitimate risk factor).",
    )
    monotone_constraints: dict[str, Literal[-1, 1]] = Field(
        default_factory=dict,
        description="Feature -> +1 (risk never falls as it grows) or -1 (never rises).",
    )
    amount_column: str | None = Field(
        None, description="Exposure per row (loan amount): the business view weighs by it."
    )
    interest_rate_column: str | None = Field(
        None, description="Annual rate (0.12 = 12%): with amount and term, the loan's margin."
    )
    term_months_column: str | None = Field(None, description="Loan term in months.")
    banned_columns: list[str] = Field(
        default_factory=list, description="Known to leak the label: never a feature."
    )
    leakage_auc_threshold: float = Field(
        0.99, gt=0.5, le=1.0, description="A single feature this predictive is a leak."
    )
    descriptions: dict[str, str] = Field(default_factory=dict)

    @property
    def features(self) -> list[str]:
        """The columns a model may use: categorical, then numeric."""
        return [*self.categorical_columns, *self.numeric_columns]

    @property
    def key(self) -> str:
        """The id column of the feature table: ``id_column``, or the added row number."""
        return self.id_column or ROW_NUMBER

    @property
    def loan_columns(self) -> list[str]:
        """Amount, rate and term columns, when the contract names all three."""
        named = [self.amount_column, self.interest_rate_column, self.term_months_column]
        return [c for c in named if c is not None] if all(named) else []

    @property
    def blocking_sensitive_columns(self) -> list[str]:
        """Sensitive columns whose fairness flags block promotion."""
        return [c for c in self.sensitive_columns if c not in self.fairness_warning_only]

    @property
    def columns(self) -> list[str]:
        """Every column the feature table keeps, without repeats."""
        keys = [self.key, self.date_column, self.target_column, self.group_column]
        named = [c for c in keys if c is not None]
        extra = [c for c in self.loan_columns if c not in self.features]
        return list(dict.fromkeys([*named, *self.sensitive_columns, *self.features, *extra]))

    @model_validator(mode="after")
    def _roles_do_not_overlap(self) -> DataContract:
        features = self.features
        repeated = sorted({c for c in features if features.count(c) > 1})
        if repeated:
            raise ValueError(f"columns listed twice among the features: {repeated}")
        keys = {c for c in (self.key, self.target_column, self.date_column) if c is not None}
        if keys & set(features):
            raise ValueError(
                f"{sorted(keys & set(features))} cannot be both a key column and a feature: "
                "remove them from categorical_columns/numeric_columns"
            )
        unknown = sorted(set(self.monotone_constraints) - set(self.numeric_columns))
        if unknown:
            raise ValueError(
                f"monotone_constraints name columns that are not numeric features: {unknown}; "
                "list them under numeric_columns or drop their constraints"
            )
        stray = sorted(set(self.fairness_warning_only) - set(self.sensitive_columns))
        if stray:
            raise ValueError(
                f"fairness_warning_only names columns that are not sensitive_columns: {stray}"
            )
        return self

    def pandera_schema(self) -> pa.DataFrameSchema:
        """The pandera schema of a valid model-table row under this contract.

        Returns:
            A schema: required keys (any type), a 0/1 target, string categoricals and
            float numerics.
        """
        columns = {
            self.key: pa.Column(None, nullable=False),
            self.target_column: pa.Column("Int64", pa.Check.isin([0, 1]), nullable=False),
        }
        if self.date_column is not None:
            columns[self.date_column] = pa.Column("datetime64[ns]", nullable=False)
        if self.group_column is not None:
            columns[self.group_column] = pa.Column(None, nullable=False)
        for name in [*self.sensitive_columns, *self.categorical_columns]:
            columns.setdefault(name, pa.Column("str", nullable=True))
        for name in [*self.numeric_columns, *self.loan_columns]:
            columns.setdefault(name, pa.Column("float64", nullable=True))
        return pa.DataFrameSchema(columns, strict=False)

    def source_spec(self) -> SourceSpec:
        """How :func:`credit_risk.validation.validate_table` reads the model table.

        Returns:
            The id column for de-duplication.
        """
        dates = [self.date_column] if self.date_column else []
        return SourceSpec(id_columns=[self.key], not_after_snapshot=dates)
