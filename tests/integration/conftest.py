"""Whole runs through KedroSession, in a temporary copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

PROJECT = Path(__file__).resolve().parents[2]
KEDRO = Path(sys.executable).with_name("kedro")
SMALL = {
    "demo_data": {"n_customers": 1_500},
    "training": {"tuning": {"n_trials": 3, "show_progress_bar": False}},
    # 300 test rows: the paired AUC interval is ~0.06 wide and gaps between ~150-row
    # groups are mostly noise, so the gate's limits are widened for the loop to reach a
    # champion, as the default demo does with the project's limits
    "evaluation": {
        "promotion": {"baseline_margin": 0.05},
        "fairness": {
            "max_demographic_parity_difference": 0.3,
            "max_equalized_odds_difference": 0.3,
            "max_auc_difference": 0.15,
            "max_calibration_gap_difference": 0.1,
        },
    },
}


def copy_project(parent: Path) -> Path:
    """A copy of the project's configuration with empty data folders, under ``parent``."""
    root = parent / "project"
    root.mkdir()
    shutil.copytree(PROJECT / "conf", root / "conf", ignore=shutil.ignore_patterns("local"))
    (root / "conf" / "local").mkdir()
    for name in ("pyproject.toml", ".telemetry", "uv.lock"):
        shutil.copy(PROJECT / name, root / name)
    shutil.copytree(PROJECT / "examples", root / "examples")  # the own-table example
    (root / "src").mkdir()  # the package itself is imported from the installed project
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's configuration with empty data folders."""
    return copy_project(tmp_path)


Runner = Callable[..., dict[str, Any]]


@pytest.fixture
def run(project: Path, monkeypatch: pytest.MonkeyPatch) -> Runner:
    """Run pipelines in the copy, with small demo data unless told otherwise."""
    monkeypatch.chdir(project)

    def _run(
        pipelines: list[str], params: dict[str, Any] | None = None, env: str | None = None
    ) -> dict[str, Any]:
        bootstrap_project(project)
        runtime = params or SMALL
        with KedroSession.create(project_path=project, runtime_params=runtime, env=env) as session:
            return session.run(pipeline_names=pipelines)

    return _run


def start_run(
    project: Path,
    pipelines: str,
    params: str,
    *,
    kedro_env: str | None = None,
    host: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """``kedro run --pipelines ... --params ...`` in its own process, its log on stdout.

    ``kedro_env`` adds ``--env``; ``host`` runs it under its own hostname (``unshare
    --uts``, root only), another machine as far as host-bound checks can tell.
    """
    command = [str(KEDRO), "run", "--pipelines", pipelines, "--params", params]
    if kedro_env:
        command += ["--env", kedro_env]
    if host:
        command = ["unshare", "--uts", "sh", "-c", f'hostname {host} && exec "$@"', "-", *command]
    return subprocess.Popen(
        command,
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
