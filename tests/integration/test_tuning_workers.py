"""Workers on one study: the cap holds for them together, and they draw distinct trials.

Real processes (``kedro run --pipelines tuning``) on the embedded storages a user has
without a server: SQLite (the default) and Optuna's journal file.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from .conftest import SMALL, Runner, start_run

pytestmark = pytest.mark.integration

STUDY = "model_table-lightgbm"
JOURNAL = "data/06_models/optuna.log"


def _worker(project: Path, n_trials: int) -> subprocess.Popen[str]:
    params = f"training.tuning.n_trials={n_trials},training.tuning.show_progress_bar=False"
    return start_run(project, "tuning", params)


def _storage(project: Path, journal: bool) -> optuna.storages.BaseStorage:
    if journal:
        backend = optuna.storages.journal.JournalFileBackend(str(project / JOURNAL))
        return optuna.storages.JournalStorage(backend)
    return optuna.storages.RDBStorage(f"sqlite:///{project / 'data/06_models/optuna.db'}")


def _use_journal(project: Path) -> None:
    (project / "conf/local/catalog.yml").write_text(
        "lightgbm_study_storage:\n"
        "  type: credit_risk.datasets.OptunaStorageDataset\n"
        f"  url: journal:///{JOURNAL}\n"
    )


# SQLite's writers queue for one lock: while a trial reported every boosting round, two
# workers took 27-117 s per trial on 1,500 customers; with a report every 10 rounds
# (pruner.report_interval) they keep up (benchmarks/tuning_workers.py).
@pytest.mark.parametrize(
    ("journal", "n_trials"), [(False, 4), (True, 4)], ids=["sqlite", "journal"]
)
def test_two_workers_at_once_run_the_configured_trials_once(
    project: Path, run: Runner, journal: bool, n_trials: int
) -> None:
    """Two runs at once once ran 30 trials each for n_trials 30, the first ten in pairs."""
    run(["demo_data", "data_processing"], {**SMALL, "demo_data": {"n_customers": 400}})
    if journal:
        _use_journal(project)
    workers = [_worker(project, n_trials) for _ in range(2)]
    logs = [w.communicate(timeout=600)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [log[-3000:] for log in logs]
    study = optuna.load_study(study_name=STUDY, storage=_storage(project, journal))
    trials = study.get_trials(deepcopy=False)
    finished = [t for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    assert len(finished) == n_trials
    assert not [t for t in trials if t.state == TrialState.RUNNING]
    params = [json.dumps(t.params, sort_keys=True) for t in finished]
    assert len(set(params)) == len(params), "two trials drew the same parameters"
    assert sorted(t.number for t in trials) == list(range(len(trials)))
