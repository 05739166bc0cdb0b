"""Benchmark the tuning pipeline against FLAML at equal budgets, and the pruners.

On one demo split (the default demo size unless ``--customers`` says otherwise):

1. For each wall-clock budget (60 s and 300 s by default), tunes LightGBM with this
   project's Optuna setup (fresh in-memory study, same search space, refit with the
   best parameters and iteration) and runs FLAML's AutoML restricted to LightGBM with
   the same budget and the same validation period as its holdout. Prints each test AUC,
   their difference, and each as a fraction of the Bayes-optimal test AUC computed from
   ``ground_truth``.
2. For each pruner (median, hyperband, none), tunes for ``--pruning-budget`` seconds and
   prints the best validation AUC, when it was reached, the number of trials run and
   how many were pruned, and the time each took to come within 0.001 of the best AUC
   any of them found.

Usage:
    uv sync --group bench
    uv run python benchmarks/training.py                    # 60 s and 300 s, ~17 minutes
    uv run python benchmarks/training.py --budgets 30 --pruning-budget 30
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from flaml import AutoML
from kedro.config import OmegaConfigLoader
from optuna.storages import InMemoryStorage
from sklearn.metrics import roc_auc_score

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoDataParams, generate
from credit_risk.models import gbm, tuning
from credit_risk.models.encoding import encode, fit_encoder
from credit_risk.pipelines.data_processing import create_pipeline
from credit_risk.pipelines.training.nodes import TrainingParams
from credit_risk.running import demo_inputs, run_in_memory

PROJECT = Path(__file__).resolve().parents[1]


def _parameters() -> dict[str, Any]:
    loader = OmegaConfigLoader(str(PROJECT / "conf"), base_env="base", default_run_env="base")
    return dict(loader["parameters"])


def make_splits(n_customers: int | None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Run demo_data and data_processing in memory; return the splits and ground truth."""
    params = _parameters()
    demo_block = params["demo_data"] | ({"n_customers": n_customers} if n_customers else {})
    data = generate(DemoDataParams(**demo_block))
    catalog = run_in_memory(create_pipeline(), demo_inputs(data), params)
    splits = {s: catalog.load(f"model_input_{s}") for s in ("train", "validation", "test")}
    return splits, data.ground_truth


def tune_ours(
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
    budget: float,
    pruner: str = "",
) -> tuple[optuna.Study, np.ndarray, float]:
    """Tune for ``budget`` seconds in a fresh study, refit, predict the test split."""
    settings = training.tuning.model_copy(
        update={
            "n_trials": 100_000,
            "timeout_seconds": budget,
            "show_progress_bar": False,
            "study_name": f"bench-{time.time_ns()}",
            "pruner": training.tuning.pruner.model_copy(
                update={"type": pruner or training.tuning.pruner.type}
            ),
        }
    )
    encoder = fit_encoder(splits["train"], contract)
    base = gbm.base_params(
        training.lightgbm, training.seed, training.num_threads, encoder["features"]
    )
    study = tuning.open_study(InMemoryStorage(), settings, training.lightgbm.max_rounds)
    train_set = gbm.dataset(splits["train"], encoder, contract)
    valid_set = gbm.dataset(splits["validation"], encoder, contract).set_reference(train_set)
    started = time.perf_counter()
    tuning.optimise(study, base, train_set, valid_set, settings, training.lightgbm)
    best = tuning.best_result(study)
    booster = gbm.train({**base, **best["params"]}, train_set, max(1, best["best_iteration"]))
    elapsed = time.perf_counter() - started
    return study, gbm.predict(booster, encoder, splits["test"]), elapsed


def run_flaml(
    splits: dict[str, pd.DataFrame], contract: DataContract, budget: float, seed: int
) -> tuple[np.ndarray, float]:
    """FLAML AutoML, LightGBM only, the validation period as its holdout."""
    encoder = fit_encoder(splits["train"], contract)
    automl = AutoML()
    started = time.perf_counter()
    automl.fit(
        X_train=encode(splits["train"], encoder),
        y_train=splits["train"][contract.target_column].to_numpy(),
        X_val=encode(splits["validation"], encoder),
        y_val=splits["validation"][contract.target_column].to_numpy(),
        task="classification",
        metric="roc_auc",
        estimator_list=["lgbm"],
        time_budget=budget,
        seed=seed,
        verbose=0,
        n_jobs=-1,
    )
    elapsed = time.perf_counter() - started
    return automl.predict_proba(encode(splits["test"], encoder))[:, 1], elapsed


def time_to_reach(study: optuna.Study, value: float) -> float:
    """Seconds from the study's first trial start to the first trial reaching ``value``."""
    trials = [t for t in study.trials if t.datetime_start is not None]
    start = min(t.datetime_start for t in trials)
    reached = [
        t.datetime_complete
        for t in trials
        if t.value is not None and t.value >= value and t.datetime_complete is not None
    ]
    return (min(reached) - start).total_seconds() if reached else float("nan")


def compare_with_flaml(
    splits: dict[str, pd.DataFrame],
    truth: pd.DataFrame,
    contract: DataContract,
    training: TrainingParams,
    budgets: list[float],
) -> None:
    """Part 1: test AUC of each at equal budgets, against the Bayes-optimal AUC."""
    y = splits["test"][contract.target_column].to_numpy()
    bayes = splits["test"][[contract.id_column]].merge(truth, on=contract.id_column)["bayes_pd"]
    bayes_auc = roc_auc_score(y, bayes)
    print(
        f"\nTest period: {len(y):,} applications, default rate {y.mean():.3f}; "
        f"Bayes-optimal test AUC (from ground_truth): {bayes_auc:.4f}"
    )
    rows = []
    for budget in budgets:
        study, ours, ours_s = tune_ours(splits, contract, training, budget)
        theirs, theirs_s = run_flaml(splits, contract, budget, training.seed)
        ours_auc, theirs_auc = roc_auc_score(y, ours), roc_auc_score(y, theirs)
        rows.append(
            {
                "budget_s": budget,
                "ours_auc": ours_auc,
                "flaml_auc": theirs_auc,
                "ours_minus_flaml": ours_auc - theirs_auc,
                "ours_of_bayes": ours_auc / bayes_auc,
                "flaml_of_bayes": theirs_auc / bayes_auc,
                "ours_trials": len(study.trials),
                "ours_wall_s": ours_s,
                "flaml_wall_s": theirs_s,
            }
        )
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print("Targets: ours_auc >= flaml_auc at equal budget; ours_of_bayes >= 0.98.")


def compare_pruners(
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
    budget: float,
) -> None:
    """Part 2: how each pruner changes the time to reach the best validation AUC."""
    studies = {
        name: tune_ours(splits, contract, training, budget, pruner=name)[0]
        for name in ("median", "hyperband", "none")
    }
    target = max(s.best_value for s in studies.values()) - 0.001
    rows = []
    for name, study in studies.items():
        states = pd.Series([t.state.name for t in study.trials]).value_counts()
        rows.append(
            {
                "pruner": name,
                "best_val_auc": study.best_value,
                "s_to_its_best": time_to_reach(study, study.best_value),
                "s_to_within_0.001_of_overall_best": time_to_reach(study, target),
                "trials": len(study.trials),
                "pruned": int(states.get("PRUNED", 0)),
            }
        )
    print(f"\nPruners, {budget:.0f} s each (validation AUC):")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4f}"))


def main() -> None:
    """Parse arguments and run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=None, help="demo size (default: conf)")
    parser.add_argument("--budgets", type=float, nargs="+", default=[60.0, 300.0])
    parser.add_argument("--pruning-budget", type=float, default=90.0)
    args = parser.parse_args()
    for name in ("credit_risk", "kedro"):
        logging.getLogger(name).setLevel(logging.WARNING)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    params = _parameters()
    contract = DataContract(**params["data_contract"])
    training = TrainingParams(**params["training"])
    splits, truth = make_splits(args.customers)
    print(
        f"Split sizes: train {len(splits['train']):,}, validation "
        f"{len(splits['validation']):,}, test {len(splits['test']):,}"
    )
    compare_with_flaml(splits, truth, contract, training, args.budgets)
    compare_pruners(splits, contract, training, args.pruning_budget)


if __name__ == "__main__":
    main()
