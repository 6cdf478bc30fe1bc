"""The simulator as a standalone, threaded HTTP server (tests, benchmarks, runsimulator)."""

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from finalpos_simulator.app import Simulator
from finalpos_simulator.responses import SimulatedResponse

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: "SimulatorServer"
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self.send_error(413 if length > MAX_BODY else 400)
            return
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        try:
            result = self.server.simulator.handle(self.command, url.path, url.query, headers, body)
        except Exception:
            logger.exception("Simulator failed on %s %s", self.command, url.path)
            result = SimulatedResponse.error(500, "Internal server error", "Internal Server Error")
        if result.drop_connection:
            self.close_connection = True
            return
        # One request per connection: a body we did not read (chunked, say) can never be
        # mistaken for the next request.
        self.close_connection = True
        try:
            self.send_response(result.status)
            self.send_header("Connection", "close")
            self.send_header("Content-Type", result.content_type)
            self.send_header("Content-Length", str(len(result.body)))
            for name, value in result.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(result.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a read timeout): its answer is lost, as intended

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every method (TRACE, PATCH, QUERY, ...) reaches the simulator, which answers 405.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False
    ):
        super().__init__((host, port), _Handler)
        self.simulator = simulator
        self.verbose = verbose
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def start_in_background(self) -> "SimulatorServer":
        # A short poll interval: stopping the server waits for at most one poll.
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="finalpos-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
