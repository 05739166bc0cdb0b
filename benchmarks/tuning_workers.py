"""Benchmark tuning workers: 1 and 2 on PostgreSQL, 2 on the journal file and on SQLite.

The same study (the demo's features, a fixed trial count, ``num_threads: 1`` per worker)
runs in N real processes (``kedro run --pipelines tuning``, each joining the study), on a
fresh storage each time. Printed per setup: wall time from the first worker's start to
the last one's exit (process start-up included), the tuning window (first trial's start
to last trial's end), trials per minute over that window, the speed-up over one
PostgreSQL worker, the best value reached and the trials by state. Then the storage's own
cost per trial, PostgreSQL against SQLite: one process runs trials that do no work but
report as many intermediate values as a real trial's boosting rounds.

PostgreSQL comes from ``CREDIT_RISK_POSTGRES_URL``, or a throwaway server is started
with ``scripts/postgres`` (needs Debian's ``postgresql``). MLflow tracking is off for the
tuning pipeline here (``disable_tracking``): only the study's storage is measured.

Usage:
    uv sync --extra team
    uv run python benchmarks/tuning_workers.py                 # ~5 minutes on 2 cores
    uv run python benchmarks/tuning_workers.py --trials 30 --pruner median
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import optuna
import pandas as pd
import psycopg
import yaml
from _common import copy_project

PROJECT = Path(__file__).resolve().parents[1]
KEDRO = Path(sys.executable).with_name("kedro")
STUDY = "model_table-lightgbm"


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """An admin URL: the given server's, or a throwaway server's for the benchmark."""
    given = os.environ.get("CREDIT_RISK_POSTGRES_URL")
    if given:
        yield given
        return
    folder = Path(f"/tmp/credit-risk-bench-pg-{uuid.uuid4().hex[:8]}")  # the server's user
    started = subprocess.run(
        [str(PROJECT / "scripts/postgres"), "start", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(PROJECT / "scripts/postgres"), "stop", str(folder)], check=False)


def new_database(admin_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def make_project(parent: Path, customers: int) -> Path:
    """A copy of the project's configuration with the demo's features built."""
    root = copy_project(parent)
    mlflow_yml = yaml.safe_load((PROJECT / "conf/base/mlflow.yml").read_text())
    mlflow_yml["tracking"]["disable_tracking"]["pipelines"] = ["tuning"]
    (root / "conf/local/mlflow.yml").write_text(yaml.safe_dump(mlflow_yml))
    subprocess.run(
        [str(KEDRO), "run", "--pipelines", "demo_data,data_processing", "--params",
         f"demo_data.n_customers={customers}"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    return root


def use_storage(project: Path, url: str) -> None:
    (project / "conf/local/catalog.yml").write_text(
        "lightgbm_study_storage:\n"
        "  type: credit_risk.datasets.OptunaStorageDataset\n"
        f"  url: {url}\n"
    )


def run_workers(project: Path, workers: int, trials: int, pruner: str) -> float:
    params = (
        f"training.num_threads=1,training.tuning.n_trials={trials},"
        f"training.tuning.pruner.type={pruner},training.tuning.show_progress_bar=False"
    )
    command = [str(KEDRO), "run", "--pipelines", "tuning", "--params", params]
    start = time.perf_counter()
    processes = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(workers)
    ]
    outputs = [p.communicate()[0].decode(errors="replace") for p in processes]
    wall = time.perf_counter() - start
    for process, out in zip(processes, outputs, strict=True):
        if process.returncode:
            raise RuntimeError(f"a worker failed:\n{out[-3000:]}")
    return wall


def summarise(name: str, workers: int, wall: float, storage: Any) -> dict[str, Any]:
    study = optuna.load_study(study_name=STUDY, storage=storage)
    trials = study.get_trials(deepcopy=False)
    starts = [t.datetime_start for t in trials if t.datetime_start]
    ends = [t.datetime_complete for t in trials if t.datetime_complete]
    window = (max(ends) - min(starts)).total_seconds()
    finished = [t for t in trials if t.state.is_finished() and t.state.name != "FAIL"]
    states = pd.Series([t.state.name.lower() for t in trials]).value_counts().to_dict()
    return {
        "setup": name,
        "workers": workers,
        "wall_s": round(wall, 1),
        "tuning_s": round(window, 1),
        "trials_per_min": round(60 * len(finished) / window, 2),
        "best_value": round(study.best_value, 5),
        "trials": ", ".join(f"{k} {v}" for k, v in sorted(states.items())),
    }


def storage_overhead(url: str, trials: int, reports: int) -> float:
    """Seconds per trial that only talks to the storage (one process)."""
    study = optuna.create_study(storage=url, study_name="overhead", direction="maximize")

    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", 0.0, 1.0)
        for step in range(reports):
            trial.report(x, step)
        return x

    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return (time.perf_counter() - start) / trials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # 10 trials: all in TPE's random start-up phase, where a trial's parameters depend on
    # (seed, trial number) only; without pruning, every setup then does the same work,
    # and trials per minute compare the storages and the parallelism alone.
    parser.add_argument("--trials", type=int, default=10, help="the study's trial count")
    parser.add_argument("--customers", type=int, default=10_000, help="demo customers")
    parser.add_argument("--pruner", default="none", choices=["none", "median", "hyperband"])
    parser.add_argument("--overhead-trials", type=int, default=50)
    parser.add_argument("--reports", type=int, default=200, help="intermediate values/trial")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(
        f"{os.cpu_count()} cores; {args.trials} trials; {args.customers} demo customers; "
        f"pruner {args.pruner}"
    )
    rows = []
    with postgres() as admin, tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), args.customers)
        setups: list[tuple[str, int, str]] = [
            ("postgresql", 1, new_database(admin)),
            ("postgresql", 2, new_database(admin)),
            ("journal", 2, f"journal:///{project / 'data/06_models/optuna.log'}"),
            ("sqlite", 2, f"sqlite:///{project / 'data/06_models/optuna.db'}"),
        ]
        for name, workers, url in setups:
            use_storage(project, url)
            wall = run_workers(project, workers, args.trials, args.pruner)
            storage: Any = url
            if url.startswith("journal:///"):
                backend = optuna.storages.journal.JournalFileBackend(
                    url.removeprefix("journal:///")
                )
                storage = optuna.storages.JournalStorage(backend)
            rows.append(summarise(name, workers, wall, storage))
            print(rows[-1], flush=True)
        table = pd.DataFrame(rows)
        one = table.loc[(table.setup == "postgresql") & (table.workers == 1), "trials_per_min"]
        table["speed_up"] = (table["trials_per_min"] / float(one.iloc[0])).round(2)
        print("\nTuning workers on one study")
        print(table.to_string(index=False))

        sqlite = f"sqlite:///{Path(tmp) / 'overhead.db'}"
        per_trial = {
            "postgresql": storage_overhead(new_database(admin), args.overhead_trials, args.reports),
            "sqlite": storage_overhead(sqlite, args.overhead_trials, args.reports),
        }
    print(
        f"\nStorage cost per trial ({args.reports} intermediate values, one process): "
        + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in per_trial.items())
        + f"; PostgreSQL / SQLite {per_trial['postgresql'] / per_trial['sqlite']:.2f}"
    )


if __name__ == "__main__":
    main()
