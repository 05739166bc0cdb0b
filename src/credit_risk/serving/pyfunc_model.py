"""MLflow models-from-code entry point: the registered model as an MLflow pyfunc.

MLflow runs this file (it is not unpickled) when the model is loaded with
``mlflow.pyfunc.load_model("models:/credit_risk@champion")``; the bundle's files are
verified against their manifest before anything is parsed. It needs the ``credit_risk``
package installed where it is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.pyfunc.model import PythonModel, PythonModelContext

from credit_risk.serving import bundle


class CreditRiskModel(PythonModel):
    """Probability of default and the approve/decline decision at the model's threshold."""

    def load_context(self, context: PythonModelContext) -> None:
        """Read and verify the bundle.

        Args:
            context: MLflow's context, with the ``bundle`` artifact folder.
        """
        self.model = bundle.read(Path(context.artifacts["bundle"]))

    def predict(
        self,
        context: PythonModelContext,
        model_input: pd.DataFrame,
        params: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Score feature rows.

        Args:
            context: Unused.
            model_input: Rows with the model's feature columns.
            params: Unused.

        Returns:
            ``score`` and ``decision`` (``decline`` at or above the threshold).
        """
        score = self.model.score(model_input)
        decision = np.where(score >= self.model.threshold, "decline", "approve")
        return pd.DataFrame({"score": score, "decision": decision}, index=model_input.index)


mlflow.models.set_model(CreditRiskModel())
