"""Every message docs/runbook.md lists is the one a user sees: each is triggered here.

The runbook's tables are read from the file, so a documented message without a trigger,
or a trigger whose message the code no longer says, fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandera.config import config_context

from credit_risk import splitting
from credit_risk.contract import DataContract
from credit_risk.evaluation.drift import drift_report, drift_summary
from credit_risk.params import DriftParams, SourceSpec, SplitParams, ValidationSettings
from credit_risk.pipelines.model_input.nodes import validate_model_table
from credit_risk.schemas.raw import CustomersSchema
from credit_risk.validation import refuse_known_ids, validate_table

RUNBOOK = Path(__file__).resolve().parents[1] / "docs" / "runbook.md"
SETTINGS = ValidationSettings(snapshot_date="2025-03-01")
SPEC = SourceSpec(id_columns=["customer_id"])
CONTRACT = DataContract(
    dataset="my_loans",
    id_column="loan_ref",
    target_column="is_bad",
    numeric_columns=["dti", "recovered"],
    categorical_columns=["grade"],
)


def documented_messages() -> list[str]:
    """The backticked messages in the first column of the tables of 'Failure messages'."""
    section = RUNBOOK.read_text().split("## Failure messages", 1)[1].split("\n## ", 1)[0]
    messages = []
    for line in section.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 3:
            messages += re.findall(r"`([^`]+)`", cells[0])
    return messages


PLACEHOLDERS = {"[...]": r"\[.*?\]", "...": r".*?", "P%": r"\d+%", "N": r"\d+", "T": r"\S+"}


def _pattern(message: str) -> str:
    """The runbook's placeholders (N, T, P%, <split>, ...) as regular expressions."""
    pieces = re.split(r"(\[\.\.\.\]|\.\.\.|\bP%|\bN\b|\bT\b|<\w+>)", message)
    return "".join(
        PLACEHOLDERS.get(piece, r"\w+" if piece.startswith("<") else re.escape(piece))
        if i % 2
        else re.escape(piece)
        for i, piece in enumerate(pieces)
    )


def _customers(**changes: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "birth_date": ["1980-01-01", "1990-05-05", "1970-03-03", "1985-02-02"],
            "gender": ["F", "M", "F", "M"],
            "region": ["north", "south", "east", "west"],
            "income": [30_000.0, None, 50_000.0, 40_000.0],
            "employment_type": ["employed", "retired", "student", "employed"],
            "employment_years": [3.0, None, None, 1.0],
            "home_ownership": ["rent", "own", "other", "rent"],
            "dependents": [0, 1, 2, 0],
            "signup_date": ["2020-01-01", "2021-01-01", "2022-01-01", "2022-06-01"],
        }
    )
    return frame.assign(**changes)


def _customers_error(frame: pd.DataFrame) -> None:
    validate_table(frame, CustomersSchema.to_schema(), "customers", SPEC, SETTINGS)


def _loans(n: int = 200, **changes: object) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "loan_ref": [f"LN-{i}" for i in range(n)],
            "is_bad": (np.arange(n) % 5 == 0).astype(int),
            "dti": rng.uniform(0, 1, n),
            "recovered": rng.uniform(0, 1, n),
            "grade": rng.choice(["a", "b", "c"], n),
        }
    )
    return frame.assign(**changes)


def _drift(rows: int, levels: list[str]) -> None:
    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"x": rng.normal(size=5_000), "score": rng.uniform(size=5_000)})
    reference["grade"] = rng.choice(["a", "b"], 5_000)
    current = pd.DataFrame(
        {"x": rng.normal(size=rows), "score": rng.uniform(size=rows), "grade": levels * rows}
    )
    summary = drift_summary(
        drift_report(reference, current, ["grade"], ["x", "score"], DriftParams()), DriftParams()
    )
    raise RuntimeError("; ".join([*summary["flags"], *summary["warnings"]]))


def _split_with_one_class() -> None:
    table = _loans(400).assign(
        applied_on=pd.date_range("2023-01-01", periods=400, freq="D"),
        is_bad=lambda f: np.where(np.arange(len(f)) < 300, f["is_bad"], 0),
    )
    dated = CONTRACT.model_copy(update={"date_column": "applied_on"})
    splitting.split(table, dated, SplitParams(test_months=2, validation_months=1))


def _pandera_switched_off() -> None:
    with config_context(validation_enabled=False):
        _customers_error(_customers())


TRIGGERS: dict[str, Callable[[], None]] = {
    "expected at least one row, got 0": lambda: _customers_error(_customers().iloc[:0]),
    "required column is missing (similar columns found: ...)": lambda: _customers_error(
        _customers().rename(columns={"income": "incomes"})
    ),
    "every one of the N values is null, and it is required": lambda: _customers_error(
        _customers(region=None)
    ),
    "expected values of type T, got P% that cannot be read as one": lambda: _customers_error(
        _customers(dependents=["one", "two", "three", 4])
    ),
    "N ids also appear in 'applications'": lambda: refuse_known_ids(
        pd.Series([5, 6, 7]), pd.Series([6, 7]), "scoring_batch", "application_id", "applications"
    ),
    "in 'feature_table'": lambda: refuse_known_ids(
        pd.Series([5, 6]), pd.Series([6]), "scoring_batch", "application_id", "feature_table"
    ),
    "expected two classes (0 and 1), got only [...]": lambda: validate_model_table(
        _loans(is_bad=0), CONTRACT, SETTINGS
    ),
    "separates the target on its own with AUC ...": lambda: validate_model_table(
        _loans().assign(recovered=lambda f: f["is_bad"] * 0.9), CONTRACT, SETTINGS
    ),
    "is listed as a feature but is banned": lambda: validate_model_table(
        _loans(), CONTRACT.model_copy(update={"banned_columns": ["recovered"]}), SETTINGS
    ),
    "the <split> split holds N rows and 1 target class(es)": _split_with_one_class,
    "pandera's validation is switched off (PANDERA_VALIDATION_ENABLED=False)": (
        _pandera_switched_off
    ),
    "drift not judged: the sample has fewer than N rows (drift.min_rows)": lambda: _drift(1, ["a"]),
    "N value(s) never seen in training": lambda: _drift(500, ["z"]),
}


def test_every_documented_message_has_a_trigger_and_every_trigger_is_documented() -> None:
    assert sorted(documented_messages()) == sorted(TRIGGERS)


@pytest.mark.parametrize("message", sorted(TRIGGERS))
def test_the_documented_message_is_the_one_raised(message: str) -> None:
    with pytest.raises(Exception) as caught:  # the message is what is checked
        TRIGGERS[message]()
    assert re.search(_pattern(message), str(caught.value)), str(caught.value)
