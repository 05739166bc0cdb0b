"""Run a pipeline in memory: for tests, benchmarks and notebooks without touching data/.

Parameters are validated and typed exactly as ``kedro run`` does, so a node receives the
same Pydantic models it would in a session.
"""

from __future__ import annotations

from typing import Any

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro.validation.parameter_validator import ParameterValidator


class _Kept(MemoryDataset):
    """A memory dataset the runner does not release, so every output stays readable."""

    def _release(self) -> None:
        pass


def _lookup(parameters: dict[str, Any], dotted: str) -> Any:
    value: Any = parameters
    for key in dotted.split("."):
        value = value[key]
    return value


def run_in_memory(
    pipeline: Pipeline, inputs: dict[str, Any], parameters: dict[str, Any]
) -> DataCatalog:
    """Run ``pipeline`` with in-memory inputs and the given parameters.

    Args:
        pipeline: What to run.
        inputs: Dataset name -> data, for the pipeline's free inputs.
        parameters: The parameters dict, as the config loader returns it.

    Returns:
        The catalog, holding every dataset the run produced.
    """
    typed = ParameterValidator({"run": pipeline}).validate_raw_params(parameters)
    catalog = DataCatalog({name: _Kept() for name in pipeline.datasets()})
    for name in pipeline.datasets():
        if name.startswith("params:"):
            catalog[name] = _lookup(typed, name.removeprefix("params:"))
    for name, value in inputs.items():
        catalog[name] = value
    SequentialRunner().run(pipeline, catalog)
    return catalog


def demo_inputs(data: Any) -> dict[str, Any]:
    """The raw datasets of a :class:`credit_risk.demo_data.DemoData`, by catalog name.

    Args:
        data: Generated demo data.

    Returns:
        Catalog name -> frame.
    """
    names = ("customers", "applications", "repayment_history", "scoring_batch")
    return {name: getattr(data, name) for name in names}


def demo_processing() -> Pipeline:
    """``data_processing`` as the registry registers it in the demo: with ``model_input``.

    Returns:
        Raw tables -> validated -> model table -> feature table and splits.
    """
    from credit_risk.pipelines.data_processing import create_pipeline as sources  # noqa: PLC0415
    from credit_risk.pipelines.model_input import create_pipeline as model_input  # noqa: PLC0415

    return sources() + model_input()
