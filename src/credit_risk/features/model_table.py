"""The source-specific join: one row per application with every feature a model may use.

Customer attributes are joined as they stand at the application date (age and tenure
are computed at that date); the repayment history enters only through the point-in-time
aggregates of :mod:`credit_risk.features.history`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_risk.features.history import history_features

AGE_BANDS = [18, 25, 35, 50, 65]
AGE_BAND_LABELS = ["18-24", "25-34", "35-49", "50-64", "65+"]

DEFINITIONS = {
    "age": "Age in years at the application date.",
    "age_band": "Age band at the application date (sensitive attribute).",
    "customer_tenure_days": "Days from sign-up to the application date.",
    "income": "Declared annual income; missing when not declared.",
    "employment_years": "Years in current employment; missing when not employed.",
    "dependents": "Number of dependents.",
    "amount": "Requested loan amount.",
    "term_months": "Loan term in months.",
    "interest_rate": "Annual interest rate offered.",
    "monthly_instalment": "Annuity instalment implied by amount, term and rate.",
    "instalment_to_income": "Monthly instalment over monthly income (missing without income).",
    "loan_to_income": "Loan amount over annual income (missing without income).",
    "gender": "Declared gender (sensitive attribute).",
    "region": "Region of residence.",
    "employment_type": "Employment type.",
    "home_ownership": "Home ownership status.",
    "purpose": "Stated purpose of the loan.",
    "channel": "Channel the application came through.",
    "hist_n_statements": "Repayment statements before the application date.",
    "hist_months_since_last_missed": "Months since the last missed payment before the date.",
}
WINDOW_DEFINITIONS = {
    "n_statements": "Statements in the {k} months before the application date.",
    "missed": "Missed payments (paid < due) in the {k} months before the date.",
    "worst_dpd": "Worst days past due in the {k} months before the date.",
    "mean_dpd": "Mean days past due in the {k} months before the date.",
    "mean_utilisation": "Mean balance / credit limit in the {k} months before the date.",
    "payment_ratio": "Amount paid / amount due over the {k} months before the date.",
    "utilisation_trend": "Slope of utilisation per month over the {k} months before the date.",
}


def definition(column: str) -> str | None:
    """The human definition of a feature built here, or ``None`` for an unknown column.

    Args:
        column: A feature name.

    Returns:
        Its definition.
    """
    if column in DEFINITIONS:
        return DEFINITIONS[column]
    if column.startswith("hist_") and "m_" in column:
        window, _, stat = column.removeprefix("hist_").partition("m_")
        if window.isdigit() and stat in WINDOW_DEFINITIONS:
            return WINDOW_DEFINITIONS[stat].format(k=window)
    return None


def build_model_table(
    applications: pd.DataFrame,
    customers: pd.DataFrame,
    history: pd.DataFrame,
    windows: list[int],
) -> pd.DataFrame:
    """Join applications, customers and point-in-time history aggregates.

    Args:
        applications: Valid applications (labelled or not).
        customers: Valid customers, one row each.
        history: Valid repayment history.
        windows: History window lengths in months.

    Returns:
        One row per application, in the applications' order.
    """
    table = applications.merge(customers, on="customer_id", how="left", validate="many_to_one")
    when = table["application_date"]
    age = (when - table["birth_date"]).dt.days / 365.25
    rate = table["interest_rate"] / 12
    term = table["term_months"].astype("float64")
    instalment = table["amount"] * np.where(rate > 0, rate / (1 - (1 + rate) ** -term), 1 / term)
    income = table["income"].where(table["income"] > 0)
    derived = pd.DataFrame(
        {
            "age": age.round(2),
            "age_band": pd.cut(
                age, [*AGE_BANDS, np.inf], right=False, labels=AGE_BAND_LABELS
            ).astype("str"),
            "customer_tenure_days": (when - table["signup_date"]).dt.days.astype("float64"),
            "monthly_instalment": instalment.round(2),
            "instalment_to_income": instalment / (income / 12),
            "loan_to_income": table["amount"] / income,
        },
        index=table.index,
    )
    aggregates = history_features(applications, history, windows).drop(columns="application_id")
    return pd.concat(
        [table.drop(columns=["birth_date", "signup_date"]), derived, aggregates], axis=1
    )
