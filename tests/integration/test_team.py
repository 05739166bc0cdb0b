"""The team setup with real servers: PostgreSQL behind Optuna and an MLflow tracking server.

Every process here is a real ``kedro run --env team`` against a PostgreSQL study and an
``mlflow server`` (PostgreSQL backend store, artifacts it serves) on 127.0.0.1, with the
team environment's configuration and the credentials a member puts in conf/local.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import optuna
import pytest
from mlflow.tracking import MlflowClient
from optuna.trial import TrialState

from credit_risk.datasets import registry

from .conftest import KEDRO, copy_project, start_run
from .services import MlflowServer, new_database, postgres_server, use_team_env

pytestmark = [pytest.mark.integration, pytest.mark.team]

STUDY = "model_table-lightgbm"
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
# 400 customers, one thread per worker: trials of a few seconds, all inside the sampler's
# random start-up phase for the first ten and the pruner's for the first five.
DATA = "demo_data.n_customers=400"
ONE_THREAD = "training.num_threads=1,training.tuning.show_progress_bar=False"


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with postgres_server(tmp_path_factory.mktemp("pg")) as url:
        yield url


@pytest.fixture(scope="module")
def tracking(postgres: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    server = MlflowServer(new_database(postgres, "mlflow"), tmp_path_factory.mktemp("mlflow"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def team(postgres: str, tracking: MlflowServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project in the team environment with the demo's features built (400 customers)."""
    project = copy_project(tmp_path_factory.mktemp("team"))
    use_team_env(project, new_database(postgres, "optuna"), tracking.url)
    done = kedro(project, ["demo_data", "data_processing"], DATA)
    assert done.returncode == 0, done.stdout[-3000:]
    return project


def worker(
    project: Path,
    pipelines: str,
    params: str,
    *,
    host: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """``kedro run --env team --pipelines ...`` in its own process (own hostname if asked)."""
    return start_run(project, pipelines, params, kedro_env="team", host=host, env=env)


def kedro(project: Path, pipelines: list[str], params: str) -> subprocess.CompletedProcess[str]:
    process = worker(project, ",".join(pipelines), params)
    out, _ = process.communicate(timeout=900)
    return subprocess.CompletedProcess(process.args, process.returncode, out)


def latest(versioned: Path) -> Any:
    """The newest version of a versioned JSON dataset."""
    return json.loads(sorted(versioned.rglob("*.json"))[-1].read_text())


def point_study_at(project: Path, url: str) -> None:
    (project / "conf/local/credentials.yml").write_text(f"optuna:\n  url: {url}\n")


def trials_of(url: str) -> list[optuna.trial.FrozenTrial]:
    study = optuna.load_study(study_name=STUDY, storage=url)
    return sorted(study.get_trials(deepcopy=False), key=lambda t: t.number)


def run_workers(project: Path, n: int, cap: int) -> list[str]:
    params = f"{ONE_THREAD},training.tuning.n_trials={cap}"
    workers = [worker(project, "tuning", params) for _ in range(n)]
    logs = [w.communicate(timeout=900)[0] for w in workers]
    assert [w.returncode for w in workers] == [0] * n, [log[-3000:] for log in logs]
    return logs


def test_workers_on_postgres_run_the_cap_once_and_match_one_process(
    team: Path, postgres: str, tracking: MlflowServer
) -> None:
    """One process tunes and refits; then 2 and 4 workers tune fresh PostgreSQL studies.

    What is asserted, and why: while the sampler is in its random start-up phase (the
    first 10 trials) a trial's parameters are drawn from (seed, trial number) alone, and
    nothing is pruned before 5 trials complete, so studies of 4 trials run by 2 or by 4
    workers must hold exactly the single process's trials, values and best. Beyond that
    phase TPE conditions on the trials finished when it draws, which depends on timing
    (Optuna documents parallel runs as not reproducible): there only the cap, one record
    per trial and distinct parameters can hold, which the 2 and 4 workers check too.
    """
    cap = 4
    studies = {n: new_database(postgres, f"study{n}") for n in (1, 2, 4)}
    point_study_at(team, studies[1])  # one process: the study, then the refit from its best
    done = kedro(team, ["training"], f"{ONE_THREAD},training.tuning.n_trials={cap}")
    assert done.returncode == 0, done.stdout[-3000:]
    best = optuna.load_study(study_name=STUDY, storage=studies[1]).best_trial
    refit = latest(team / "data/06_models/lightgbm_best_params.json")
    assert (refit["best_trial"], refit["params"]) == (best.number, best.params)
    logs: dict[int, list[str]] = {}
    for n in (2, 4):
        point_study_at(team, studies[n])
        logs[n] = run_workers(team, n, cap)
    runs = {n: trials_of(url) for n, url in studies.items()}
    for n, trials in runs.items():
        assert len(trials) == cap, n  # the cap holds for the workers together
        assert [t.number for t in trials] == list(range(cap))  # once each, no gaps
        assert all(t.state in FINISHED for t in trials), [t.state for t in trials]
        params = [json.dumps(t.params, sort_keys=True) for t in trials]
        assert len(set(params)) == len(params), f"{n} workers drew the same parameters twice"
    for n in (2, 4):
        assert not any("database is locked" in log for log in logs[n])
        assert [(t.params, t.state, t.value) for t in runs[n]] == [
            (t.params, t.state, t.value) for t in runs[1]
        ], n
    # every process was an MLflow run on the server, and each ended FINISHED
    client = MlflowClient(tracking.url)
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    tracked = client.search_runs([experiment.experiment_id], max_results=100)
    assert len(tracked) >= 1 + 1 + 2 + 4  # the data run, the training run, the workers
    assert {r.info.status for r in tracked} == {"FINISHED"}


def test_a_killed_worker_on_another_host_is_failed_by_the_heartbeat(
    team: Path, postgres: str, tracking: MlflowServer
) -> None:
    """SIGKILL mid-trial on "another machine"; only the heartbeat can tell it died.

    Its trial is failed once the grace period passes without a beat, and a worker started
    afterwards on this host completes the study.
    """
    if os.geteuid() != 0:  # unshare --uts needs root; CI runs as root
        pytest.skip("gives the worker its own hostname with `unshare --uts`, which needs root")
    url = new_database(postgres, "killed")
    point_study_at(team, url)
    catalog = team / "conf/team/catalog.yml"
    original = catalog.read_text()
    catalog.write_text(
        original.replace("heartbeat_interval: 30", "heartbeat_interval: 1").replace(
            "grace_period: 90", "grace_period: 4"
        )
    )
    try:
        params = f"{ONE_THREAD},training.tuning.n_trials=3"
        doomed = worker(team, "tuning", params, host="worker-b")
        deadline = time.monotonic() + 300
        victim = None
        while victim is None and time.monotonic() < deadline and doomed.poll() is None:
            time.sleep(0.2)
            try:
                running = [t for t in trials_of(url) if t.state == TrialState.RUNNING]
            except (KeyError, ValueError):  # the study is not created yet
                continue
            victim = running[0].number if running else None
        assert victim is not None, "the worker on 'worker-b' never ran a trial"
        assert trials_of(url)[victim].system_attrs["owner"]["host"] == "worker-b"
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=60)
        restarted = kedro(team, ["tuning"], params)
        assert restarted.returncode == 0, restarted.stdout[-3000:]
        trials = trials_of(url)
        # its host is not this one, so the process check cannot fail it: the heartbeat did
        assert trials[victim].state == TrialState.FAIL
        assert sum(t.state in FINISHED for t in trials) == 3  # the study is complete
        assert not [t for t in trials if t.state == TrialState.RUNNING]
        # its MLflow run cannot be checked from this host either: the command for other
        # hosts' runs ends it
        client = MlflowClient(tracking.url)
        (lost,) = [
            r for r in _all_runs(client) if r.data.tags.get("credit_risk.owner.host") == "worker-b"
        ]
        assert lost.info.status == "RUNNING"
        ended = subprocess.run(
            [str(KEDRO), "runs", "fail-orphans", "--older-than", "0", "--env", "team"],
            cwd=team,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ended.returncode == 0, ended.stdout[-2000:] + ended.stderr[-2000:]
        assert lost.info.run_id in ended.stdout
        assert client.get_run(lost.info.run_id).info.status == "FAILED"
    finally:
        catalog.write_text(original)


def member(team: Path, parent: Path, name: str, postgres: str, tracking_url: str) -> Path:
    """Another member's checkout: the same data, a study of their own, the given server."""
    project = parent / name
    shutil.copytree(team, project, ignore=shutil.ignore_patterns("*.log", "mlruns"))
    current = re.search(r"http://127\.0\.0\.1:\d+", (team / "conf/team/mlflow.yml").read_text())
    assert current is not None
    mlflow_yml = project / "conf/team/mlflow.yml"
    mlflow_yml.write_text(mlflow_yml.read_text().replace(current.group(0), tracking_url))
    point_study_at(project, new_database(postgres, name))
    return project


LOOP = ["training", "evaluation", "promotion"]
SHORT = f"{ONE_THREAD},training.tuning.n_trials=2"


def test_two_whole_runs_at_once_on_the_tracking_server(
    team: Path, postgres: str, tracking: MlflowServer, tmp_path: Path
) -> None:
    """Both runs complete with their own records; only one promotion moves the champion.

    The rule when both would promote: the first to reach the registry wins; the other's
    decision was made against a champion that no longer serves, so its version stays a
    challenger and its run is tagged ``credit_risk.promotion: superseded``.
    """
    client = MlflowClient(tracking.url)
    model = "credit_risk"  # globals.yml: registered_model_name
    before = {v.version for v in client.search_model_versions(f"name = '{model}'")}
    champion_before = registry.version_by_alias(client, model, registry.CHAMPION)
    members = {
        seed: member(team, tmp_path, f"member{seed}", postgres, tracking.url) for seed in (7, 8)
    }
    runs = {
        seed: worker(project, ",".join(LOOP), f"{SHORT},training.tuning.sampler_seed={seed}")
        for seed, project in members.items()
    }
    outs = {seed: run.communicate(timeout=900)[0] for seed, run in runs.items()}
    assert {s: r.returncode for s, r in runs.items()} == {7: 0, 8: 0}, {
        s: o[-3000:] for s, o in outs.items()
    }
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    tracked = {
        int(r.data.params["training.tuning.sampler_seed"]): r
        for r in client.search_runs([experiment.experiment_id], max_results=200)
        if r.data.params.get("training.tuning.sampler_seed") in ("7", "8")
    }
    assert sorted(tracked) == [7, 8]
    for run in tracked.values():
        assert run.info.status == "FINISHED"
        assert any("roc_auc" in name for name in run.data.metrics), sorted(run.data.metrics)
    versions = client.search_model_versions(f"name = '{model}'")
    new = [v for v in versions if v.version not in before]
    assert {v.run_id for v in new} == {r.info.run_id for r in tracked.values()}
    champion = registry.version_by_alias(client, model, registry.CHAMPION)
    assert champion is not None
    superseded = [
        r for r in tracked.values() if r.data.tags.get("credit_risk.promotion") == "superseded"
    ]
    decisions = {
        s: latest(p / "data/08_reporting/promotion_decision.json") for s, p in members.items()
    }
    wanted = [s for s, d in decisions.items() if d["promote"] or d["baseline_serves"]]
    # the runs that would move the alias against the champion both started from: the
    # first to reach the registry moves it, every other one is superseded (a run that
    # decided against the new champion, after the first move, moves legitimately)
    before_version = None if champion_before is None else int(champion_before.version)
    raced = [s for s in wanted if decisions[s]["against_version"] == before_version]
    superseded_seeds = {int(r.data.params["training.tuning.sampler_seed"]) for r in superseded}
    assert superseded_seeds <= set(raced), (decisions, superseded_seeds)
    assert len(superseded_seeds) == max(len(raced) - 1, 0), (decisions, superseded_seeds)
    assert all(champion.run_id != r.info.run_id for r in superseded)
    if champion_before is not None and wanted:  # the champion it replaced is kept
        previous = registry.version_by_alias(client, model, registry.PREVIOUS)
        assert previous is not None and previous.version == champion_before.version


# Last in the module: it stops the module's tracking server (and starts it again).
def test_the_tracking_server_stopped_mid_run(
    team: Path, postgres: str, tracking: MlflowServer, tmp_path: Path
) -> None:
    """The run fails naming the server and the fix; the rerun succeeds and fails the orphan."""
    project = member(team, tmp_path, "stopping", postgres, tracking.url)
    client = MlflowClient(tracking.url)
    running_before = set(_running_runs(client))
    # MLflow's retries would ride out a short outage for minutes; here it stays down.
    env = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}
    first = worker(project, ",".join(LOOP), SHORT, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not set(_running_runs(client)) - running_before:
        time.sleep(0.2)
    (lost,) = set(_running_runs(client)) - running_before
    time.sleep(2)  # into the nodes
    tracking.stop()
    try:
        out, _ = first.communicate(timeout=600)
    finally:
        tracking.start()
    assert first.returncode != 0
    assert f"The MLflow tracking server {tracking.url} does not answer" in out
    assert "stopped answering during this run" in out
    assert set(_running_runs(client)) - running_before == {lost}  # left running there
    again = worker(project, "tuning", SHORT)
    out, _ = again.communicate(timeout=900)
    assert again.returncode == 0, out[-3000:]
    ended = client.get_run(lost)
    assert ended.info.status == "FAILED"
    assert "credit_risk.orphaned" in ended.data.tags
    assert set(_running_runs(client)) <= running_before
    for version in client.search_model_versions("name = 'credit_risk'"):
        assert version.run_id != lost  # nothing registered from the failed run


def _all_runs(client: MlflowClient) -> list[Any]:
    experiment = client.get_experiment_by_name("credit_risk")
    return [] if experiment is None else client.search_runs([experiment.experiment_id])


def _running_runs(client: MlflowClient) -> list[str]:
    try:
        return [r.info.run_id for r in _all_runs(client) if r.info.status == "RUNNING"]
    except Exception:  # the server is starting
        return []
