"""Project pipelines, for the credit demo's world or for a user's own table.

The demo's world (``conf/base``): ``demo_data`` generates the raw tables,
``data_processing`` validates them and builds ``model_table`` with the point-in-time
history features, and the generic loop (``model_input``, ``training``, ``evaluation``,
``promotion``, ``inference``) carries it to a champion and a scored batch.

A user's world (an environment whose catalog holds ``own_table``, see
``docs/own-data.md``): the generic loop runs on ``own_table``, which no pipeline writes;
the demo's generator and ground truth are left out, and ``inference`` scores ``own_batch``
when the catalog holds it. ``credit_risk.config`` tells the two apart.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from credit_risk.config import OWN_TABLE, own_batch_configured, own_table_configured
from credit_risk.evaluation import ground_truth
from credit_risk.pipelines import (
    data_processing,
    demo_data,
    evaluation,
    inference,
    model_input,
    promotion,
    training,
    tuning,
)
from credit_risk.pipelines.inference.pipeline import create_own_batch_pipeline
from credit_risk.validation.sources import table_report

GENERIC = ("training", "evaluation", "promotion")
BAYES_NODE = "compare_with_bayes_optimal"


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines for the world the configuration describes.

    Returns:
        A mapping from pipeline names to ``Pipeline`` objects.
    """
    # Built explicitly rather than by find_pipelines: several registered pipelines are
    # compositions, which need their parts even when Kedro asks for one pipeline only.
    packages = (demo_data, data_processing, model_input, tuning, training, evaluation)
    pipelines = {p.__name__.rsplit(".", 1)[-1]: p.create_pipeline() for p in packages}
    pipelines |= {
        "promotion": promotion.create_pipeline(),
        "inference": inference.create_pipeline(),
    }
    # Registered compositions: training refits from the study it tunes; in the demo,
    # data_processing goes on to the feature table and splits.
    pipelines["training"] = pipelines["tuning"] + pipelines["training"]
    if own_table_configured():
        return _own_table_world(pipelines)
    pipelines["data_processing"] = pipelines["data_processing"] + pipelines["model_input"]
    pipelines["__default__"] = sum(pipelines.values(), Pipeline([]))
    return pipelines


def _own_table_world(pipelines: dict[str, Pipeline]) -> dict[str, Pipeline]:
    """The generic loop on the user's ``own_table``; the demo's parts left out."""
    report = Node(
        table_report, "model_table_summary", "validation_report", name="build_validation_report"
    )
    model_input = Pipeline(pipelines["model_input"], inputs={"model_table": OWN_TABLE}) + Pipeline(
        [report], tags=["data_processing", "model_input"]
    )
    evaluation = pipelines["evaluation"]
    bayes = [n for n in evaluation.nodes if n.name == BAYES_NODE]
    if bayes:
        skipped = Node(ground_truth.not_configured, None, "bayes_comparison", name=BAYES_NODE)
        evaluation = evaluation - Pipeline(bayes) + Pipeline([skipped], tags=["evaluation"])
    own = {
        "demo_data": pipelines["demo_data"],
        "tuning": pipelines["tuning"],
        "data_processing": model_input,
        "model_input": model_input,
        **{name: pipelines[name] for name in GENERIC if name in pipelines},
        "evaluation": evaluation,
    }
    if own_batch_configured():
        own["inference"] = create_own_batch_pipeline()
    loop = [own[name] for name in ("model_input", *GENERIC, "inference") if name in own]
    own["__default__"] = sum(loop, Pipeline([]))
    return own
