"""A tracking server that does not answer: refused at once, with the address and the fix."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from credit_risk.tracking_server import (
    TrackingServerUnavailableError,
    check_server,
    tracking_uri,
)

from .integration.services import free_port


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Health]]]:
    handler = type("Handler", (_Health,), {})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()


def test_a_healthy_server_and_non_server_uris_pass(server: tuple[str, type[_Health]]) -> None:
    url, _ = server
    check_server(url, "team")
    check_server("sqlite:////nowhere/mlflow.db", "team")  # not a server: nothing to ask


def test_a_closed_port_is_refused_at_once_naming_the_address_and_the_fix() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.perf_counter()
    with pytest.raises(TrackingServerUnavailableError) as raised:
        check_server(url, "team")
    assert time.perf_counter() - started < 5  # not MLflow's four minutes of retries
    message = str(raised.value)
    assert url in message
    assert "conf/team/mlflow.yml" in message
    assert "mlflow server" in message


def test_a_server_answering_an_error_is_refused(server: tuple[str, type[_Health]]) -> None:
    url, handler = server
    handler.status = 503
    with pytest.raises(TrackingServerUnavailableError, match="HTTP 503"):
        check_server(url, "team")


def test_the_uri_is_mlflow_yml_s_then_the_environment_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://from-env")
    assert tracking_uri({"server": {"mlflow_tracking_uri": "http://yml"}}) == "http://yml"
    assert tracking_uri({"server": {"mlflow_tracking_uri": None}}) == "http://from-env"
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert tracking_uri({}) is None


def test_a_server_behind_a_login_is_up(server: tuple[str, type[_Health]]) -> None:
    """401 before the run's credentials are set: the server answers, so the run goes on."""
    url, handler = server
    handler.status = 401
    check_server(url, "team")


def test_a_password_in_the_address_is_never_shown() -> None:
    url = f"http://me:s3cret@127.0.0.1:{free_port()}"
    with pytest.raises(TrackingServerUnavailableError) as raised:
        check_server(url, "team")
    assert "s3cret" not in str(raised.value)
    assert "http://127.0.0.1:" in str(raised.value)
