"""Interrupted and killed runs are recorded as what they were, with real processes and signals."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import mlflow
import optuna
import pytest
from click.testing import CliRunner
from mlflow.entities import Run
from mlflow.tracking import MlflowClient
from optuna.trial import TrialState

from credit_risk.cli import cli
from credit_risk.run_status import HOST, INTERRUPTED_NODE, ORPHANED, PID

from .conftest import Runner, start_run

pytestmark = pytest.mark.integration

LONG_TUNING = "training.tuning.n_trials=400,training.tuning.show_progress_bar=False"


def _start_training(project: Path) -> subprocess.Popen[str]:
    return start_run(project, "training", LONG_TUNING)


def _wait_for_tuning(process: subprocess.Popen[str], timeout: float = 240) -> None:
    """Read the run's log until the study has started its trials."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        if "trials" in line and "Study '" in line:
            time.sleep(3)  # inside a trial
            return
        assert time.monotonic() < deadline, "tuning did not start"
    pytest.fail(f"the run ended before tuning (exit {process.wait()})")


def _run_of(project: Path, pid: int) -> Run:
    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    (run,) = client.search_runs([experiment.experiment_id], f"tags.`{PID}` = '{pid}'")
    return run


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_ends_killed_naming_its_node(
    project: Path, run: Runner, signum: signal.Signals
) -> None:
    """Ctrl-C once left the run FINISHED, with no metrics, as if it had completed."""
    run(["demo_data", "data_processing"])
    process = _start_training(project)
    _wait_for_tuning(process)
    process.send_signal(signum)
    assert process.wait(timeout=120) != 0
    interrupted = _run_of(project, process.pid)
    assert interrupted.info.status == "KILLED"
    assert interrupted.data.tags[INTERRUPTED_NODE] == "tune_lightgbm_with_optuna"


def test_a_killed_run_and_its_trial_are_failed_by_the_next_run(project: Path, run: Runner) -> None:
    """SIGKILL left the MLflow run RUNNING and the Optuna trial RUNNING, for ever."""
    run(["demo_data", "data_processing"])
    process = _start_training(project)
    _wait_for_tuning(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert _run_of(project, process.pid).info.status == "RUNNING"  # what SIGKILL leaves
    storage = optuna.storages.RDBStorage(f"sqlite:///{project / 'data/06_models/optuna.db'}")
    study = optuna.load_study(study_name="model_table-lightgbm", storage=storage)
    (running,) = [t.number for t in study.get_trials(states=(TrialState.RUNNING,))]
    finished = len(study.get_trials(states=(TrialState.COMPLETE, TrialState.PRUNED)))
    # The next run on this host asks for no more trials than are finished: it starts none
    # (so Optuna's heartbeat would never reap the trial) and still fails both orphans.
    tuning = {"n_trials": max(finished, 1), "show_progress_bar": False}
    run(["tuning"], {"training": {"tuning": tuning}})
    orphan = _run_of(project, process.pid)
    assert orphan.info.status == "FAILED"
    assert orphan.data.tags[ORPHANED] == (
        f"process {process.pid} on {socket.gethostname()} ended without closing the run (killed)"
    )
    study = optuna.load_study(study_name="model_table-lightgbm", storage=storage)
    assert study.trials[running].state == TrialState.FAIL
    table = sorted((project / "data/08_reporting/tuning_trials.csv").glob("*/tuning_trials.csv"))
    assert "RUNNING" not in table[-1].read_text()


def test_the_command_fails_other_hosts_orphans_only_past_the_age_given(
    project: Path, run: Runner
) -> None:
    run(["demo_data"])
    mlflow.set_tracking_uri(f"sqlite:///{project / 'mlflow.db'}")
    client = MlflowClient()
    experiment = client.get_experiment_by_name("credit_risk")
    assert experiment is not None
    day_ago = int((time.time() - 26 * 3600) * 1000)
    tags = {HOST: "another-machine", PID: "1"}
    old = client.create_run(experiment.experiment_id, start_time=day_ago, tags=tags)
    recent = client.create_run(experiment.experiment_id, tags=tags)
    kept = CliRunner().invoke(cli, ["runs", "fail-orphans"], catch_exceptions=False)
    assert "0 run(s) marked FAILED" in kept.output  # another host's: cannot be checked
    ended = CliRunner().invoke(
        cli, ["runs", "fail-orphans", "--older-than", "24"], catch_exceptions=False
    )
    assert f"1 run(s) marked FAILED: {old.info.run_id}" in ended.output
    assert client.get_run(old.info.run_id).info.status == "FAILED"
    assert client.get_run(recent.info.run_id).info.status == "RUNNING"
