"""A user's own table through the whole loop, by configuration alone (conf/uci_credit_card).

The example environment runs as a user runs it: its catalog points at files under
examples/, and no pipeline may write them, in any environment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from kedro.framework.project import pipelines
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from credit_risk import config
from credit_risk.validation import DataContractError
from tests.integration.conftest import Runner

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _back_to_the_demo_world() -> Iterator[None]:
    """Sessions in the user's world leave it recorded; later tests expect the demo's."""
    yield
    config.forget()


ENV = "uci_credit_card"
QUICK = {"training": {"tuning": {"n_trials": 3, "show_progress_bar": False}}}
INPUTS = ("examples/uci_credit_card/applications.csv", "examples/uci_credit_card/batch.csv")


def _hashes(project: Path) -> dict[str, str]:
    return {name: hashlib.sha256((project / name).read_bytes()).hexdigest() for name in INPUTS}


def _latest(project: Path, dataset: str, name: str) -> dict:
    versions = sorted((project / "data" / "08_reporting" / dataset).iterdir())
    return json.loads((versions[-1] / name).read_text())


def test_the_example_table_goes_through_the_whole_loop_and_is_never_written(
    project: Path, run: Runner
) -> None:
    before = _hashes(project)
    run(["__default__"], QUICK, env=ENV)
    decision = _latest(project, "promotion_decision.json", "promotion_decision.json")
    assert decision["serve"] in {"ensemble", "lightgbm_tuned", "logistic_regression"}
    assert 0.5 < decision["metrics"]["roc_auc"] < 1.0
    business = _latest(project, "business_report.json", "business_report.json")
    assert business["rule"] == "per_outcome"  # no loan columns in this table
    metadata_dir = sorted((project / "data/04_feature/feature_table_metadata.json").iterdir())
    metadata = json.loads((metadata_dir[-1] / "feature_table_metadata.json").read_text())
    assert metadata["id"] == {"column": "row_number", "row_number": True}
    assert metadata["period"] is None and metadata["rows"] == 5_000
    scored_dir = sorted((project / "data/07_model_output/scored_batch.parquet").iterdir())
    scored = pd.read_parquet(scored_dir[-1] / "scored_batch.parquet")
    assert len(scored) == 1_000
    assert set(scored["decision"]) <= {"approve", "decline"}
    assert scored["model_name"].unique().tolist() == ["uci_credit_card"]
    card = sorted((project / "data/08_reporting/model_card.html").iterdir())[-1]
    page = (card / "model_card.html").read_text()
    assert "Skipped: no ground truth configured" in page
    assert "stratified random split" in page
    # Every pipeline of both worlds, then: the user's files are byte-identical.
    run(["demo_data", "data_processing"], {"demo_data": {"n_customers": 300}})
    run(["demo_data"], {"demo_data": {"n_customers": 300}}, env=ENV)
    assert _hashes(project) == before
    # A batch that lacks a feature column stops, naming the batch and the column.
    batch = project / INPUTS[1]
    pd.read_csv(batch).drop(columns=["LIMIT_BAL"]).to_csv(batch, index=False)
    with pytest.raises(DataContractError) as caught:
        run(["inference"], QUICK, env=ENV)
    assert "column 'LIMIT_BAL' of dataset 'own_batch'" in str(caught.value)


def test_no_pipeline_of_the_users_world_outputs_their_files(project: Path) -> None:
    bootstrap_project(project)
    with KedroSession.create(project_path=project, env=ENV) as session:
        session.load_context()
        outputs = set().union(*(p.all_outputs() for p in pipelines.values()))
    assert not outputs & {"own_table", "own_batch"}
    assert "bayes_comparison" in pipelines["evaluation"].all_outputs()
    assert "ground_truth" not in pipelines["__default__"].inputs()


def _own_env(project: Path, contract: dict, table: pd.DataFrame) -> None:
    env = project / "conf" / "mine"
    env.mkdir()
    table.to_csv(project / "mine.csv", index=False)
    catalog = {"own_table": {"type": "pandas.CSVDataset", "filepath": "mine.csv"}}
    (env / "catalog.yml").write_text(yaml.safe_dump(catalog))
    (env / "parameters.yml").write_text(yaml.safe_dump({"data_contract": contract}))


def _table(n: int = 400) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "status": ["bad" if i % 5 == 0 else "good" for i in range(n)],
            "ratio": [float(i % 17) for i in range(n)],
            "opened": pd.date_range("2023-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        }
    )


CONTRACT = {
    "dataset": "mine",
    "target_column": "status",
    "positive_class": "bad",
    "numeric_columns": ["ratio"],
}


@pytest.mark.parametrize(
    ("contract", "table", "column", "message"),
    [
        ({**CONTRACT, "numeric_columns": ["ratoi"]}, _table(), "ratoi", "ratio"),
        ({**CONTRACT, "positive_class": "Bad"}, _table(), "status", "does not occur"),
        (CONTRACT, _table().assign(status="good"), "status", "got only [0]"),
        (
            {**CONTRACT, "date_column": "opened"},
            _table().assign(opened="soon"),
            "opened",
            "opened",
        ),
    ],
    ids=["missing-column", "absent-positive-class", "one-class", "unreadable-date"],
)
def test_a_bad_contract_stops_naming_the_dataset_and_column(
    project: Path,
    run: Runner,
    contract: dict,
    table: pd.DataFrame,
    column: str,
    message: str,
) -> None:
    _own_env(project, contract, table)
    with pytest.raises(DataContractError) as caught:
        run(["model_input"], {}, env="mine")
    text = str(caught.value)
    assert f"column '{column}'" in text and "dataset 'mine'" in text
    assert message in text
