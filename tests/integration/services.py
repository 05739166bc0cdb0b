"""The team setup's real services for tests: PostgreSQL and an MLflow tracking server.

PostgreSQL comes from ``CREDIT_RISK_POSTGRES_URL`` (``.ci/run`` starts one with
``scripts/postgres``), or else is started here the same way when its programs are
installed. Without either the tests that need it are skipped, except where
``CREDIT_RISK_REQUIRE_POSTGRES`` is set (CI), where they fail. Each test gets databases of
its own on that server; each MLflow server is the project's own ``mlflow server``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT / "scripts" / "postgres"
MLFLOW = Path(sys.executable).with_name("mlflow")


def _missing(reason: str) -> None:
    if os.environ.get("CREDIT_RISK_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required here (CREDIT_RISK_REQUIRE_POSTGRES): {reason}")
    pytest.skip(reason)


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """The server's admin URL: the given one, or a throwaway server started in ``folder``."""
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        _missing("psycopg is not installed: `uv sync --extra team`")
    given = os.environ.get("CREDIT_RISK_POSTGRES_URL")
    if given:
        yield given
        return
    if not (shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))):
        _missing("no PostgreSQL server installed (Debian: apt-get install postgresql)")
    # The server runs as `postgres` when this is root: a folder that user can enter.
    data = Path(f"/tmp/credit-risk-pg-{uuid.uuid4().hex[:8]}")
    started = subprocess.run(
        [str(SCRIPT), "start", str(data)], capture_output=True, text=True, check=False
    )
    if started.returncode:
        _missing(f"scripts/postgres could not start a server: {started.stderr[-2000:]}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(SCRIPT), "stop", str(data)], check=False)


def new_database(admin_url: str, name: str) -> str:
    """Create a database named ``<name>_<random>`` and return its SQLAlchemy URL."""
    import psycopg  # noqa: PLC0415

    database = f"{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    return admin_url.rsplit("/", 1)[0] + f"/{database}"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MlflowServer:
    """``mlflow server`` on 127.0.0.1, its runs in PostgreSQL, its artifacts in a folder."""

    def __init__(self, backend_url: str, folder: Path, port: int | None = None) -> None:
        self.backend_url = backend_url
        self.folder = folder
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 180.0) -> None:
        """Start it and wait until ``/health`` answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "server.log").open("ab")
        self._process = subprocess.Popen(
            [
                str(MLFLOW),
                "server",
                "--backend-store-uri",
                self.backend_url,
                "--artifacts-destination",
                str(self.folder / "artifacts"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "2",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() ends its workers with it
            # runs, artifacts and the registry only: not MLflow 3's job runner (three
            # more processes of ~270 MB each, for its GenAI jobs)
            env={**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"mlflow server exited: {self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"mlflow server did not answer in {timeout} s: {self.log()[-3000:]}")

    def stop(self) -> None:
        """Stop the server and its workers."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, 15)
            self._process.wait(timeout=60)
        self._process = None

    def log(self) -> str:
        """What the server printed."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def use_team_env(project: Path, storage_url: str, tracking_url: str) -> None:
    """Point the copy's team environment at these servers, as a user's conf/local would."""
    (project / "conf/local/credentials.yml").write_text(f"optuna:\n  url: {storage_url}\n")
    mlflow_yml = project / "conf/team/mlflow.yml"
    text = mlflow_yml.read_text().replace("http://127.0.0.1:5000", tracking_url)
    mlflow_yml.write_text(text)
