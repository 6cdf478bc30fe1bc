"""Serves the simulator inside the dashboard's process through a requests transport adapter.

The client code path stays exactly the same as against the real API: the same
requests.Session, headers, JSON encoding, status handling and errors. Only the socket is gone.
"""

import threading
from collections.abc import Mapping
from io import BytesIO
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import ProtocolError
from urllib3.response import HTTPResponse

from finalpos_simulator.app import Simulator
from finalpos_simulator.seed import seed_demo_company
from finalpos_simulator.store import Store
from finalpos_simulator.tills import TillActivity

_default: Simulator | None = None
_default_currency = ""  # what the default simulator's company was seeded in
_default_lock = threading.Lock()


def default_simulator() -> Simulator:
    """The process-wide simulator of demo mode, on the FINALPOS_SIMULATOR_DB file, seeded
    with the demo company the first time it is used. Its tills open, sell and close on their
    own as time passes (FINALPOS_SIMULATOR_TILLS)."""
    global _default, _default_currency
    with _default_lock:
        if (
            _default is None
            or _default.store.path != settings.FINALPOS_SIMULATOR_DB
            or _default_currency != settings.CURRENCY
        ):
            store = Store(settings.FINALPOS_SIMULATOR_DB)
            # A demo company seeded in another currency (CURRENCY changed) is seeded again in
            # this one: its amounts would mean something else now.
            seeded_in = store.get_meta("currency") or "USD"
            if store.get_meta("seeded_at") is None or seeded_in != settings.CURRENCY:
                seed_demo_company(store)
            _default_currency = settings.CURRENCY
            _default = Simulator(
                store=store,
                api_key=settings.FINALPOS_SIMULATOR_API_KEY,
                latency_ms=settings.FINALPOS_SIMULATOR_LATENCY_MS,
                tills=TillActivity(store) if settings.FINALPOS_SIMULATOR_TILLS else None,
            )
        return _default


class SimulatorAdapter(BaseAdapter):
    def __init__(self, simulator: Simulator | None = None) -> None:
        super().__init__()
        self._simulator = simulator

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Answers in process; the transport's options (timeouts, TLS, proxies) do not apply."""
        simulator = self._simulator or default_simulator()
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {key.lower(): value for key, value in request.headers.items()}
        result = simulator.handle(request.method or "GET", url.path, url.query, headers, body)
        if result.drop_connection:  # as a server that closes the socket without answering
            raise requests.ConnectionError(
                ProtocolError("Connection aborted.", ConnectionResetError("dropped"))
            )

        response = requests.Response()
        response.status_code = result.status
        response.headers = CaseInsensitiveDict(
            {"Content-Type": result.content_type, "Content-Length": str(len(result.body))}
        )
        response.headers.update(result.headers)
        response.raw = HTTPResponse(
            body=BytesIO(result.body), status=result.status, preload_content=False
        )
        response._content = result.body
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.reason = ""
        return response

    def close(self) -> None:
        pass
