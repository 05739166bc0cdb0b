"""MLflow runs that say what happened to them: interrupted, killed, or finished.

kedro-mlflow ends a run ``FAILED`` when a node raises an ``Exception``. Two endings escape
it. Ctrl-C (``KeyboardInterrupt``, not an ``Exception``) skips Kedro's error hooks, and
MLflow's own exit handler then ends the run ``FINISHED``, as if it had completed. A killed
process (``SIGKILL``, a lost machine) closes nothing, and its run stays ``RUNNING`` for
ever. :class:`RunStatusHook` handles both:

- an interrupted run (Ctrl-C, or ``SIGTERM`` from a scheduler, handled as Ctrl-C) ends
  ``KILLED``, tagged with the node that was running (``credit_risk.interrupted_node``);
- every run records the process that owns it (``credit_risk.owner.host``, ``.pid``,
  ``.started``: see :mod:`credit_risk.processes`); the next
  run on the same host ends the ``RUNNING`` runs whose process is gone as ``FAILED``,
  tagged ``credit_risk.orphaned`` with the reason. Runs of other hosts cannot be checked
  from here: ``uv run kedro runs fail-orphans --older-than HOURS`` ends those.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from types import FrameType, ModuleType
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Node

from credit_risk.processes import on_this_host, still_running, this_process

logger = logging.getLogger(__name__)

PREFIX = "credit_risk.owner."
HOST, PID, STARTED = f"{PREFIX}host", f"{PREFIX}pid", f"{PREFIX}started"
INTERRUPTED_NODE = "credit_risk.interrupted_node"
ORPHANED = "credit_risk.orphaned"


def _mlflow() -> ModuleType:
    import mlflow  # noqa: PLC0415

    return mlflow


def owner_tags() -> dict[str, str]:
    """Tags naming the process that owns a run: host, pid and process start.

    Returns:
        The tags.
    """
    return {f"{PREFIX}{key}": value for key, value in this_process().items()}


def _owner(tags: dict[str, str]) -> dict[str, str]:
    return {k.removeprefix(PREFIX): v for k, v in tags.items() if k.startswith(PREFIX)}


def fail_orphaned_runs(
    experiment_ids: list[str], older_than: dt.timedelta | None = None
) -> list[str]:
    """End as ``FAILED`` the ``RUNNING`` runs whose process is gone.

    Args:
        experiment_ids: The experiments to look in.
        older_than: Also end runs of any host (or without owner tags) started longer ago
            than this; ``None``: only this host's runs, whose process can be checked.

    Returns:
        The ids of the runs ended.
    """
    client = _mlflow().MlflowClient()
    runs = client.search_runs(experiment_ids, "attributes.status = 'RUNNING'", max_results=1000)
    host, ended = socket.gethostname(), []
    now_ms = time.time() * 1000
    for run in runs:
        tags, owner = run.data.tags, _owner(run.data.tags)
        if on_this_host(owner) and owner["pid"] != str(os.getpid()):
            if still_running(owner):
                continue
            reason = f"process {tags[PID]} on {host} ended without closing the run (killed)"
        elif older_than is not None and now_ms - run.info.start_time > older_than / dt.timedelta(
            milliseconds=1
        ):
            reason = f"still RUNNING after more than {older_than}; its process cannot be checked"
        else:
            continue
        client.set_tag(run.info.run_id, ORPHANED, reason)
        client.set_terminated(run.info.run_id, "FAILED")
        logger.warning("MLflow run %s marked FAILED: %s", run.info.run_id, reason)
        ended.append(run.info.run_id)
    return ended


class RunStatusHook:
    """Interrupted runs end ``KILLED`` with their node; orphans of killed runs ``FAILED``.

    kedro-mlflow's hook (registered after the project's, so called first) has started the
    MLflow run when ``before_pipeline_run`` is called here.
    """

    def __init__(self) -> None:
        self._open: str | None = None  # the MLflow run of a pipeline that has not ended
        self._node = "(before the first node)"
        self._previous_handlers: dict[int, Any] = {}
        self._interrupted = False
        self._exit_registered = False

    @hook_impl
    def before_pipeline_run(self) -> None:
        """Tag the run's owner, end orphans on this host, and watch for an interruption."""
        mlflow = _mlflow()
        run = mlflow.active_run()
        if self._open is not None and (run is None or run.info.run_id != self._open):
            self._end_interrupted()  # interrupted earlier in this process (a notebook)
        if run is None:
            return
        mlflow.set_tags(owner_tags())
        fail_orphaned_runs([run.info.experiment_id])
        self._open, self._node = run.info.run_id, "(before the first node)"
        if not self._exit_registered:
            atexit.register(self._end_interrupted)  # before MLflow's: atexit runs LIFO
            self._exit_registered = True
        self._interrupted = False
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous_handlers[signum] = signal.signal(signum, self._interrupt)

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        """Remember the running node, for the tag of an interrupted run.

        Args:
            node: The node about to run.
        """
        self._node = node.name

    @hook_impl
    def after_pipeline_run(self) -> None:
        """The run ended normally: nothing to do at exit."""
        self._close()

    @hook_impl
    def on_pipeline_error(self) -> None:
        """kedro-mlflow has ended a failed run ``FAILED``; an interrupted one becomes ``KILLED``.

        The interruption can reach Kedro wrapped in an ``Exception`` (a library that was
        running when the signal came converts it), which calls this hook, not the exit.
        """
        if self._interrupted:
            self._end_interrupted()
        self._close()

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        """Ctrl-C, or ``SIGTERM`` from a scheduler: remember it, stop as Ctrl-C does."""
        self._interrupted = True
        raise KeyboardInterrupt(f"signal {signum}")

    def _close(self) -> None:
        self._open = None
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers = {}

    def _end_interrupted(self) -> None:
        run_id, self._open = self._open, None
        if run_id is None:
            return
        mlflow = _mlflow()
        mlflow.MlflowClient().set_tag(run_id, INTERRUPTED_NODE, self._node)
        # Every stacked entry of the run (see MlflowRunStackHook), so that MLflow's own
        # exit handler finds none left to end as FINISHED.
        while (active := mlflow.active_run()) is not None and active.info.run_id == run_id:
            mlflow.end_run("KILLED")
        mlflow.MlflowClient().set_terminated(run_id, "KILLED")
        logger.warning("MLflow run %s ended KILLED, interrupted in %s", run_id, self._node)
