"""Benchmark demo_data and data_processing at scale, and the heaviest aggregation vs DuckDB.

Runs the same node functions the pipelines run, in order, with the raw tables written
to and read back from their catalog formats (CSV for customers, Parquet otherwise), and
prints per step: wall time, peak resident memory during the step, and rows per second.
Then times the point-in-time history aggregation side by side with the same aggregation
written in DuckDB on the same data, checks they agree, and prints the time ratio.

Usage:
    uv run python benchmarks/data_processing.py                 # 100k and 1M customers
    uv run python benchmarks/data_processing.py --sizes 100000  # one size

Peak memory per step is the process's high-water mark (VmHWM), reset before each step
through /proc/self/clear_refs, so it is exact on Linux and includes what earlier steps
still hold, as a Kedro run with in-memory datasets would.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from _common import Steps
from kedro.config import OmegaConfigLoader

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData, DemoDataParams, generate
from credit_risk.features.history import history_features
from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.pipelines.data_processing import nodes as dp
from credit_risk.pipelines.model_input import nodes as mi

PROJECT = Path(__file__).resolve().parents[1]


def _parameters() -> dict[str, Any]:
    loader = OmegaConfigLoader(str(PROJECT / "conf"), base_env="base", default_run_env="base")
    return dict(loader["parameters"])


def _write(data: DemoData, folder: Path) -> None:
    data.customers.to_csv(folder / "customers.csv", index=False)
    for name in ("applications", "repayment_history", "scoring_batch"):
        getattr(data, name).to_parquet(folder / f"{name}.parquet", index=False)


def run_pipelines(n_customers: int, folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run demo_data and data_processing step by step; return apps and history for DuckDB."""
    params = _parameters()
    demo = DemoDataParams(**{**params["demo_data"], "n_customers": n_customers})
    settings = ValidationSettings(**params["validation"])
    sources = {k: SourceSpec(**v) for k, v in params["sources"].items()}
    contract = DataContract(**params["data_contract"])
    split = mi.SplitParams(**params["split"])
    features = dp.FeatureParams(**params["features"])
    steps = Steps()

    data = steps.run("generate demo data", n_customers, lambda: generate(demo))

    n_hist = len(data.repayment_history)
    steps.run("write raw tables", n_hist, partial(_write, data, folder))
    del data  # from here on, only what was read back
    raw = steps.run(
        "read raw tables",
        n_hist,
        lambda: {
            "customers": pd.read_csv(folder / "customers.csv"),
            **{
                n: pd.read_parquet(folder / f"{n}.parquet")
                for n in ("applications", "repayment_history", "scoring_batch")
            },
        },
    )
    valid: dict[str, pd.DataFrame] = {}
    for name in ("customers", "applications", "repayment_history"):
        func = getattr(dp, f"validate_{name}")
        valid[name] = steps.run(
            f"validate {name}",
            len(raw[name]),
            lambda f=func, n=name: f(raw.pop(n), sources[n], settings),
        )[0]
    apps, history, _, _ = steps.run(
        "quarantine orphan rows",
        len(valid["repayment_history"]),
        lambda: dp.enforce_references(
            valid["customers"],
            valid.pop("applications"),
            valid.pop("repayment_history"),
            raw["scoring_batch"],
        ),
    )
    table = steps.run(
        "build point-in-time model table",
        len(history),
        lambda: dp.make_model_table(apps, valid["customers"], history, features),
    )
    feature_table, _, summary = steps.run(
        "validate against data contract",
        len(table),
        lambda: mi.validate_model_table(table, contract, settings),
    )
    steps.run(
        "describe feature table",
        len(feature_table),
        lambda: mi.describe_feature_table(feature_table, contract, summary),
    )
    steps.run(
        "split out of time",
        len(feature_table),
        lambda: mi.split_model_input(feature_table, contract, split),
    )
    steps.print(
        f"demo_data + data_processing, {n_customers:,} customers "
        f"({len(apps):,} applications, {len(history):,} statements)"
    )
    frame = pd.DataFrame(steps.rows)
    processing = frame[~frame["step"].isin(["generate demo data", "write raw tables"])]
    print(
        f"data_processing: {processing['seconds'].sum():.1f} s, peak "
        f"{processing['peak_gib'].max():.2f} GiB (target: within 8 GiB at 1M customers)"
    )
    return apps[["application_id", "customer_id", "application_date"]], history


def duckdb_query(windows: list[int]) -> str:
    """The same point-in-time aggregates, in SQL."""
    parts = [
        "count(h.customer_id) AS hist_n_statements",
        "date_diff('month', max(h.statement_date) FILTER (WHERE h.missed = 1), "
        "a.application_date) AS hist_months_since_last_missed",
    ]
    for k in windows:
        w = f"FILTER (WHERE h.statement_date >= a.application_date - INTERVAL {k} MONTH)"
        parts += [
            f"count(h.customer_id) {w} AS hist_{k}m_n_statements",
            f"coalesce(sum(h.missed) {w}, 0) AS hist_{k}m_missed",
            f"max(h.days_past_due) {w} AS hist_{k}m_worst_dpd",
            f"avg(h.days_past_due) {w} AS hist_{k}m_mean_dpd",
            f"avg(h.util) {w} AS hist_{k}m_mean_utilisation",
            f"sum(h.amount_paid) {w} / nullif(sum(h.amount_due) {w}, 0) AS hist_{k}m_payment_ratio",
            f"regr_slope(h.util, h.t) {w} AS hist_{k}m_utilisation_trend",
        ]
    return f"""
        WITH h AS (
            SELECT customer_id, statement_date, days_past_due, amount_paid, amount_due,
                   CAST(amount_paid < amount_due AS INTEGER) AS missed,
                   balance / credit_limit AS util,
                   CAST(date_diff('month', DATE '1970-01-01', statement_date) AS DOUBLE) AS t
            FROM history)
        SELECT a.application_id, {", ".join(parts)}
        FROM apps a LEFT JOIN h
          ON h.customer_id = a.customer_id AND h.statement_date < a.application_date
        GROUP BY a.application_id, a.application_date
        ORDER BY a.application_id
    """


def compare_with_duckdb(apps: pd.DataFrame, history: pd.DataFrame, windows: list[int]) -> None:
    """Time both implementations (best of three) and check they agree."""
    connection = duckdb.connect()
    connection.register("apps", apps)
    connection.register("history", history)
    query = duckdb_query(windows)
    ours_times, duck_times = [], []
    for _ in range(3):
        start = time.perf_counter()
        ours = history_features(apps, history, windows)
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs = connection.execute(query).df()
        duck_times.append(time.perf_counter() - start)
    ours = ours.sort_values("application_id", ignore_index=True)
    worst = 0.0
    for column in ours.columns[1:]:
        a = ours[column].to_numpy(np.float64)
        b = theirs[column].to_numpy(np.float64)
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            raise AssertionError(f"{column}: missing values differ from DuckDB's")
        worst = max(worst, float(np.nanmax(np.abs(a - b), initial=0.0)))
    print(
        f"\nPoint-in-time aggregation of {len(history):,} statements for {len(apps):,} "
        f"applications ({len(ours.columns) - 1} features), best of 3:"
    )
    print(f"  numpy (this project): {min(ours_times):.2f} s, single-threaded")
    threads = connection.execute("SELECT current_setting('threads')").fetchone() or ("?",)
    threads = threads[0]
    print(f"  DuckDB {duckdb.__version__}: {min(duck_times):.2f} s, {threads} threads")
    print(f"  ratio ours / DuckDB: {min(ours_times) / min(duck_times):.2f} (target: <= 1.5)")
    print(f"  largest difference between the two: {worst:.2e}")


def main() -> None:
    """Parse arguments and run every size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    windows = dp.FeatureParams(**_parameters()["features"]).windows
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            apps, history = run_pipelines(size, Path(folder))
        compare_with_duckdb(apps, history, windows)
        del apps, history
        gc.collect()


if __name__ == "__main__":
    main()
