"""The comparison with the Bayes-optimal model, where a ground truth exists (the demo).

A user's table has no true probabilities: the comparison is then not made, and the
model card says so instead of joining the user's ids to some other table's truth.
"""

from __future__ import annotations

import pandas as pd

SKIPPED = "skipped"


def not_configured() -> pd.DataFrame:
    """The comparison's table when no ground truth is configured: one row saying why.

    Returns:
        A one-row table with the reason in ``skipped``.
    """
    return pd.DataFrame(
        {
            SKIPPED: [
                "no ground truth configured: the Bayes-optimal comparison needs the true "
                "probabilities, which only generated data (the credit demo) has"
            ]
        }
    )
