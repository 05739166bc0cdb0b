"""Benchmark the inference pipeline on a 1M-application batch, and scoring vs a bare predict.

Trains a champion on the demo data (a short tuning run through the training pipeline),
writes it as a registry bundle and reads it back with its checksums, then runs the
inference nodes step by step on a batch of ``--batch-rows`` applications: validation,
point-in-time features, scoring, reason codes for declined rows, drift monitoring, and
writing the scored batch. Prints wall time, peak memory, rows per second and each step's
share of the total.

Then times the scoring step (encoding and predict, no reason codes) side by side with a
bare ``Booster.predict`` on the same, already-encoded features (best of three), for the
LightGBM candidate and for the ensemble. Target: the scoring step within 2x the bare
predict.

Usage:
    uv run python benchmarks/inference.py                       # 1M rows, 100k customers
    uv run python benchmarks/inference.py --batch-rows 100000   # smaller

The batch repeats the demo's scoring batch (its customers, their history) under new
application ids, so features are computed for every row, as they would be for real.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _common import Steps
from kedro.config import OmegaConfigLoader

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoDataParams, generate
from credit_risk.models.encoding import encode
from credit_risk.params import FeatureParams, ValidationSettings
from credit_risk.pipelines.inference import nodes as inf
from credit_risk.pipelines.training import create_pipeline as training
from credit_risk.running import demo_inputs, run_in_memory
from credit_risk.running import demo_processing as data_processing
from credit_risk.serving import bundle
from credit_risk.serving.bundle import ScoringModel

PROJECT = Path(__file__).resolve().parents[1]


def _parameters() -> dict[str, Any]:
    loader = OmegaConfigLoader(str(PROJECT / "conf"), base_env="base", default_run_env="base")
    return dict(loader["parameters"])


def _champion(params: dict[str, Any], inputs: dict[str, Any]) -> tuple[ScoringModel, Any]:
    """Process the demo data and train a champion as the pipelines do (a short tuning)."""
    processed = run_in_memory(data_processing(), inputs, params)
    splits = {s: processed.load(f"model_input_{s}") for s in ("train", "validation")}
    tuning = {**params["training"]["tuning"], "n_trials": 8, "show_progress_bar": False}
    storage = {"lightgbm_study_storage": _in_memory_storage()}
    trained = run_in_memory(
        training(),
        {**{f"model_input_{s}": f for s, f in splits.items()}, **storage},
        {**params, "training": {**params["training"], "tuning": tuning}},
    )
    contract = DataContract(**params["data_contract"])
    model = ScoringModel(
        candidate="ensemble",
        threshold=0.0,
        booster=trained.load("lightgbm_model"),
        encoder=trained.load("lightgbm_encoder"),
        logistic=trained.load("logistic_model"),
        blend=trained.load("ensemble_model"),
        reference=splits["train"]
        .sample(n=min(5_000, len(splits["train"])), random_state=0)[contract.features]
        .reset_index(drop=True),
    )
    # decline the riskiest fifth of validation, as a threshold from evaluation would
    threshold = float(np.quantile(model.score(splits["validation"]), 0.8))
    reference = model.reference.assign(score=model.score(model.reference))
    return dataclasses.replace(model, threshold=threshold, reference=reference), processed


def _in_memory_storage() -> Any:
    import optuna  # noqa: PLC0415

    return optuna.storages.InMemoryStorage()


def _batch(scoring_batch: pd.DataFrame, rows: int) -> pd.DataFrame:
    """``rows`` applications: the demo batch repeated under new, unique application ids."""
    reps = -(-rows // len(scoring_batch))
    batch = pd.concat([scoring_batch] * reps, ignore_index=True).iloc[:rows].copy()
    batch["application_id"] = np.arange(10_000_000, 10_000_000 + rows, dtype=np.int64)
    return batch


def _best_of(func: Callable[[], Any], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()

    params = _parameters()
    demo = generate(DemoDataParams(**{**params["demo_data"], "n_customers": args.customers}))
    started = time.perf_counter()
    model, processed = _champion(params, demo_inputs(demo))
    print(f"Champion trained in {time.perf_counter() - started:.1f} s ({model.candidate})")
    contract = DataContract(**params["data_contract"])
    settings = ValidationSettings(**params["validation"])
    inference = inf.InferenceParams(**params["inference"])
    customers = processed.load("customers_validated")
    history = processed.load("repayment_history_primary")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        digest = bundle.write(model, folder / "bundle")
        _batch(demo.scoring_batch, args.batch_rows).to_parquet(folder / "batch.parquet")
        steps = Steps()
        n = args.batch_rows
        served = steps.run("load + verify model", 1, lambda: bundle.read(folder / "bundle", digest))
        raw = steps.run("read batch", n, lambda: pd.read_parquet(folder / "batch.parquet"))
        valid, _, _ = steps.run(
            "validate + quarantine", n, lambda: inf.validate_batch(raw, inference, settings)
        )
        linked, _ = steps.run(
            "quarantine orphans", len(valid), lambda: inf.link_batch_to_customers(valid, customers)
        )
        features = steps.run(
            "point-in-time features",
            len(linked),
            lambda: inf.build_batch_features(linked, customers, history, FeatureParams()),
        )
        score = steps.run("score (encode + predict)", len(features), lambda: served.score(features))
        declined = features.loc[score >= served.threshold]
        steps.run(
            "reason codes (declined)",
            len(declined),
            lambda: served.reason_codes(declined, inference.reason_codes),
        )
        scored = features[["application_id"]].assign(score=score)
        steps.run(
            "drift monitoring",
            len(features),
            lambda: inf.monitor_batch_drift(features, scored, served, contract, inference),
        )
        steps.run(
            "write scored batch",
            len(scored),
            lambda: scored.to_parquet(folder / "scored.parquet"),
        )
        table = pd.DataFrame(steps.rows)
        total = table["seconds"].sum()
        steps.rows = [{**r, "share": r["seconds"] / total} for r in steps.rows]
        steps.print(f"Inference, {n:,} applications ({len(declined):,} declined)")
        print(f"End to end: {total:.1f} s, {n / total:,.0f} rows/s")

    encoded = encode(features, served.encoder)
    bare = _best_of(lambda: served.booster.predict(encoded))
    lgb_only = dataclasses.replace(served, candidate="lightgbm_tuned")
    ours_lgb = _best_of(lambda: lgb_only.score(features))
    ours_ens = _best_of(lambda: served.score(features))
    print(f"\nScoring step vs bare Booster.predict on the same {len(features):,} rows (best of 3)")
    print(f"  bare Booster.predict (pre-encoded): {bare:.2f} s")
    print(f"  LightGBM candidate, encode + predict: {ours_lgb:.2f} s  ratio {ours_lgb / bare:.2f}")
    print(
        f"  ensemble candidate (+ logistic, blend): {ours_ens:.2f} s  ratio {ours_ens / bare:.2f}"
    )
    print("  target: ratio <= 2.0")


if __name__ == "__main__":
    main()
