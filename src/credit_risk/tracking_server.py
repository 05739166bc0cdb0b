"""A tracking server that does not answer stops the run at once, saying where and why.

With ``mlflow_tracking_uri`` pointing at an MLflow tracking server (``--env team``),
kedro-mlflow's first request at start-up meets a server that is down only after MLflow's
client has retried for about four minutes, and then ends in a long traceback about a
connection pool. :class:`TrackingServerHook` asks the server's ``/health`` first, with a
short timeout, and refuses the run with the address, the configuration that names it and
the fix. Requests later in the run keep MLflow's retries, which ride out a restart
(``MLFLOW_HTTP_REQUEST_MAX_RETRIES``, 7 by default); when a run fails, the hook asks the
server again and, if it is the server that went away, says so and what became of the run.
"""

from __future__ import annotations

import logging
import os
import urllib.parse
from typing import Any

from kedro.config import MissingConfigException
from kedro.framework.hooks import hook_impl

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 5.0
MLFLOW_PATTERNS = ("mlflow*", "mlflow*/**", "**/mlflow*")  # as kedro-mlflow reads them


def is_server(uri: str) -> bool:
    """Whether a tracking URI names a server (``http(s)://``), not a store to open."""
    return uri.startswith(("http://", "https://"))


class TrackingServerUnavailableError(RuntimeError):
    """The MLflow tracking server the configuration names does not answer."""


def tracking_uri(mlflow_config: dict[str, Any]) -> str | None:
    """The tracking URI kedro-mlflow will use: ``mlflow.yml``'s, else ``MLFLOW_TRACKING_URI``.

    Args:
        mlflow_config: The merged ``mlflow.yml``.

    Returns:
        The URI, or ``None`` when neither names one.
    """
    uri = (mlflow_config.get("server") or {}).get("mlflow_tracking_uri")
    return str(uri) if uri else os.environ.get("MLFLOW_TRACKING_URI")


def _masked(uri: str) -> str:
    """The URI without a ``user:password@`` part, safe to print."""
    parts = urllib.parse.urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_server(uri: str, env: str, timeout: float = HEALTH_TIMEOUT_S) -> None:
    """Raise unless the MLflow server at ``uri`` answers.

    Asked through MLflow's own HTTP client, so its TLS settings apply
    (``MLFLOW_TRACKING_INSECURE_TLS``, ``MLFLOW_TRACKING_SERVER_CERT_PATH``). Any answer
    below 500 counts: a server behind a login answers ``/health`` with 401 before the
    run's credentials are set, and is up.

    Args:
        uri: An ``http://`` or ``https://`` tracking URI (others are not servers: ignored).
        env: The Kedro environment, to name the file holding the address.
        timeout: Seconds to wait for the answer.

    Raises:
        TrackingServerUnavailableError: The server refused, timed out or answered 5xx.
    """
    if not is_server(uri):
        return
    from mlflow.exceptions import MlflowException  # noqa: PLC0415 (settings stay light)
    from mlflow.utils.credentials import get_default_host_creds  # noqa: PLC0415
    from mlflow.utils.rest_utils import http_request  # noqa: PLC0415

    try:
        response = http_request(  # type: ignore[no-untyped-call]
            get_default_host_creds(uri),  # type: ignore[no-untyped-call]
            "/health",
            "GET",
            max_retries=0,
            timeout=timeout,
            raise_on_status=False,
        )
    except MlflowException as error:
        reason = str(error.message).rsplit("failed with exception ", 1)[-1]
    else:
        if response.status_code < 500:
            return
        reason = f"it answered HTTP {response.status_code} on /health"
    shown = _masked(uri)
    raise TrackingServerUnavailableError(
        f"The MLflow tracking server {shown} does not answer ({reason.replace(uri, shown)}). "
        f"It is named by server.mlflow_tracking_uri in conf/{env}/mlflow.yml. Start it "
        "(docs/tracking.md, 'The team setup': `uv run mlflow server --backend-store-uri ... "
        "--host 127.0.0.1`) or correct the address, then run again"
    )


class TrackingServerHook:
    """Refuses a run whose tracking server does not answer; explains a server lost mid-run."""

    def __init__(self) -> None:
        self._server: tuple[str, str] | None = None  # (uri, env) of an http(s) server

    # tryfirst: before kedro-mlflow's own after_context_created, which contacts the server
    @hook_impl(tryfirst=True)
    def after_context_created(self, context: Any) -> None:
        """Check the tracking server the run will use.

        Args:
            context: The Kedro context.

        Raises:
            TrackingServerUnavailableError: It does not answer; nothing has run.
        """
        self._server = None
        loader = context.config_loader
        # kedro-mlflow registers this pattern in its own hook, which runs after this one
        loader.config_patterns.setdefault("mlflow", list(MLFLOW_PATTERNS))
        try:
            config = loader["mlflow"]
        except MissingConfigException:  # no mlflow.yml: kedro-mlflow's defaults, no server
            return
        except Exception:  # e.g. ${km.random_name:}, a resolver kedro-mlflow registers later
            logger.debug("mlflow.yml not readable before kedro-mlflow: server not probed")
            return
        uri = tracking_uri(dict(config))
        if not uri or not is_server(uri):
            return
        env = context.env or "local"
        try:
            check_server(uri, env)
        except TrackingServerUnavailableError as error:
            raise TrackingServerUnavailableError(
                f"{error}; nothing has run or been recorded."
            ) from None
        self._server = (uri, env)

    # tryfirst: said before kedro-mlflow tries (and, with the server gone, fails) to end it
    @hook_impl(tryfirst=True)
    def on_pipeline_error(self) -> None:
        """If the run failed because the tracking server went away, say so and what to do."""
        if self._server is None:
            return
        uri, env = self._server
        try:
            check_server(uri, env)
        except TrackingServerUnavailableError as error:
            logger.error(
                "%s. It stopped answering during this run, which failed: its MLflow run "
                "is left RUNNING on the server, and the next run on this host marks it "
                "FAILED (tag credit_risk.orphaned; from another machine: `uv run kedro "
                "runs fail-orphans --older-than HOURS`). No alias moved unless the log "
                "says so; the Optuna study keeps its finished trials and resumes.",
                error,
            )
