"""The data contract: which columns are the id, target, date, features and sensitive ones.

Everything after the source-specific joins reads the contract, never a column name of
the demo, so a user's own single table goes through by configuration alone.
"""

from __future__ import annotations

import pandera.pandas as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from credit_risk.params import SourceSpec


class DataContract(BaseModel):
    """Roles of the columns of the model table (``params:data_contract``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str = Field("model_table", description="Catalog name of the table, for messages.")
    id_column: str
    target_column: str
    date_column: str
    group_column: str | None = Field(None, description="Rows of a group share a CV fold.")
    categorical_columns: list[str] = Field(default_factory=list)
    numeric_columns: list[str] = Field(default_factory=list)
    sensitive_columns: list[str] = Field(
        default_factory=list, description="Kept for fairness analysis; not features."
    )
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
    def columns(self) -> list[str]:
        """Every column the feature table keeps, without repeats."""
        keys = [self.id_column, self.date_column, self.target_column, self.group_column]
        named = [c for c in keys if c is not None]
        return list(dict.fromkeys([*named, *self.sensitive_columns, *self.features]))

    @model_validator(mode="after")
    def _roles_do_not_overlap(self) -> DataContract:
        features = self.features
        repeated = sorted({c for c in features if features.count(c) > 1})
        if repeated:
            raise ValueError(f"columns listed twice among the features: {repeated}")
        keys = {self.id_column, self.target_column, self.date_column}
        if keys & set(features):
            raise ValueError(
                f"{sorted(keys & set(features))} cannot be both a key column and a feature: "
                "remove them from categorical_columns/numeric_columns"
            )
        return self

    def pandera_schema(self) -> pa.DataFrameSchema:
        """The pandera schema of a valid model-table row under this contract.

        Returns:
            A schema: required keys (any type), a 0/1 target, string categoricals and
            float numerics.
        """
        columns = {
            self.id_column: pa.Column(None, nullable=False),
            self.date_column: pa.Column("datetime64[ns]", nullable=False),
            self.target_column: pa.Column("Int64", pa.Check.isin([0, 1]), nullable=False),
        }
        if self.group_column is not None:
            columns[self.group_column] = pa.Column(None, nullable=False)
        for name in [*self.sensitive_columns, *self.categorical_columns]:
            columns.setdefault(name, pa.Column("str", nullable=True))
        for name in self.numeric_columns:
            columns.setdefault(name, pa.Column("float64", nullable=True))
        return pa.DataFrameSchema(columns, strict=False)

    def source_spec(self) -> SourceSpec:
        """How :func:`credit_risk.validation.validate_table` reads the model table.

        Returns:
            The id column for de-duplication.
        """
        return SourceSpec(id_columns=[self.id_column], not_after_snapshot=[self.date_column])
