"""The one door to the Final POS REST API.

Builds URLs, sends the key, applies (connect, read) timeouts, retries only what is safe,
parses answers into typed records and turns every failure into a FinalPOSError.
"""

import logging
import threading
from collections.abc import Iterator
from typing import Any

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter

from sessions_app.finalpos import circuit
from sessions_app.finalpos.errors import (
    FinalPOSBadResponse,
    FinalPOSBusy,
    FinalPOSCircuitOpen,
    FinalPOSUnavailable,
)
from sessions_app.finalpos.records import (
    Outlet,
    OutletInput,
    Session,
    SessionInput,
    Station,
    StationInput,
    Transaction,
    TransactionRef,
    validate_id,
)
from sessions_app.finalpos.transport import WRITES, RetryableRead, exchange

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 1000  # a server that ignores `skip` must not keep us looping forever

_http_sessions: dict[tuple[str, str], requests.Session] = {}
_http_sessions_lock = threading.Lock()


def _http_session(base_url: str, api_key: str) -> requests.Session:
    """One pooled requests.Session per process (per configuration, for tests)."""
    key = (base_url, api_key)
    with _http_sessions_lock:
        session = _http_sessions.get(key)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {
                    "x-api-key": api_key,
                    "Accept": "application/json",
                    "User-Agent": f"finalpos-till-dashboard/{settings.VERSION} "
                    f"python-requests/{requests.__version__}",
                }
            )
            pool = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
            session.mount("https://", pool)
            session.mount("http://", pool)
            for prefix, adapter_path in settings.FINALPOS_TRANSPORTS.items():
                if base_url.startswith(prefix):
                    session.mount(prefix, import_string(adapter_path)())
            _http_sessions[key] = session
        return session


class FinalPOSClient:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.http = _http_session(self.base_url, api_key)

    # --- Sessions -------------------------------------------------------------------------

    def session_create(self, data: SessionInput) -> Session:
        return Session.from_wire(self._send("POST", "/v1/api/session", body=data.to_wire()))

    def session_get(self, session_id: str) -> Session:
        return Session.from_wire(self._send("GET", f"/v1/api/session/{validate_id(session_id)}"))

    def session_update(self, session_id: str, data: SessionInput) -> Session:
        path = f"/v1/api/session/{validate_id(session_id)}"
        return Session.from_wire(self._send("PUT", path, body=data.to_wire()))

    def session_delete(self, session_id: str) -> None:
        self._send("DELETE", f"/v1/api/session/{validate_id(session_id)}")

    # --- Stations -------------------------------------------------------------------------

    def station_list(self) -> list[Station]:
        return [Station.from_wire(item) for item in self._list_all("/v1/api/stations")]

    def station_get(self, station_id: str) -> Station:
        return Station.from_wire(self._send("GET", f"/v1/api/station/{validate_id(station_id)}"))

    def station_create(self, data: StationInput) -> Station:
        return Station.from_wire(self._send("POST", "/v1/api/station", body=data.to_wire()))

    def station_update(self, station_id: str, data: StationInput) -> Station:
        path = f"/v1/api/station/{validate_id(station_id)}"
        return Station.from_wire(self._send("PUT", path, body=data.to_wire()))

    def station_delete(self, station_id: str) -> None:
        self._send("DELETE", f"/v1/api/station/{validate_id(station_id)}")

    # --- Outlets --------------------------------------------------------------------------

    def outlet_list(self) -> list[Outlet]:
        return [Outlet.from_wire(item) for item in self._list_all("/v1/api/outlets")]

    def outlet_get(self, outlet_id: str) -> Outlet:
        return Outlet.from_wire(self._send("GET", f"/v1/api/outlet/{validate_id(outlet_id)}"))

    def outlet_create(self, data: OutletInput) -> Outlet:
        return Outlet.from_wire(self._send("POST", "/v1/api/outlet", body=data.to_wire()))

    def outlet_update(self, outlet_id: str, data: OutletInput) -> Outlet:
        path = f"/v1/api/outlet/{validate_id(outlet_id)}"
        return Outlet.from_wire(self._send("PUT", path, body=data.to_wire()))

    def outlet_delete(self, outlet_id: str) -> None:
        self._send("DELETE", f"/v1/api/outlet/{validate_id(outlet_id)}")

    # --- Transactions ---------------------------------------------------------------------

    def transaction_list_all(self) -> list[Transaction]:
        """Every transaction of the company, oldest first."""
        return [Transaction.from_wire(item) for item in self._list_all("/v1/api/transactions")]

    def transaction_page(self, *, skip: int, limit: int = PAGE_SIZE) -> list[TransactionRef]:
        """One page of the company's transactions, oldest first (``skip`` counts from the
        oldest), each read only for its session and time."""
        page = self._send("GET", "/v1/api/transactions", params={"skip": skip, "limit": limit})
        return [TransactionRef.from_wire(item) for item in _page_items(page)]

    def transaction_list(self, session_id: str) -> list[Transaction]:
        validate_id(session_id)
        items = self._list_all("/v1/api/transactions", {"sessionId": session_id})
        # The filter is inferred from the docs: a server that ignores it must not inflate totals.
        return [
            transaction
            for transaction in (Transaction.from_wire(item) for item in items)
            if transaction.session_id == session_id
        ]

    # --- Plumbing -------------------------------------------------------------------------

    def _list_all(self, path: str, params: dict[str, str] | None = None) -> Iterator[Any]:
        """Every page of a list: Final POS gives no total, so pages are read until one comes
        back shorter than the page size."""
        items: list[Any] = []
        for page_index in range(MAX_PAGES):
            page = self._send(
                "GET",
                path,
                params={**(params or {}), "skip": page_index * PAGE_SIZE, "limit": PAGE_SIZE},
            )
            page = _page_items(page)
            items.extend(page)
            if len(page) < PAGE_SIZE:
                return iter(items)
        raise FinalPOSBadResponse(_("Final POS kept sending full pages; the list was cut short."))

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        before = circuit.state()
        if before.open_until is not None:
            logger.warning("finalpos %s %s refused: circuit open", method, path)
            raise FinalPOSCircuitOpen()
        if wait := before.paused_for:
            logger.warning("finalpos %s %s held back: Final POS asked to wait", method, path)
            raise FinalPOSBusy(retry_after=wait)
        # Reads may be retried once; a write is never repeated blindly (it may have landed).
        attempts = 1 if method in WRITES else 2
        for attempt in range(1, attempts + 1):
            try:
                result = exchange(
                    self.http,
                    method,
                    self.base_url + path,
                    params=params,
                    body=body,
                    timeout=self.timeout,
                    attempt=attempt,
                )
            except RetryableRead as failure:
                if attempt < attempts:
                    continue
                circuit.record_failure()
                raise failure.error from None
            except FinalPOSBusy as busy:
                circuit.pause(busy.retry_after)
                raise
            except FinalPOSUnavailable:
                circuit.record_failure()
                raise
            circuit.record_success(before)
            return result
        raise AssertionError("unreachable")


def _page_items(page: Any) -> list[Any]:
    """A page of a list: a bare array as documented, or one wrapped as ``{"data": [...]}`` or
    ``{"items": [...]}``. Anything else is an answer the dashboard cannot read, never an empty
    list."""
    if isinstance(page, list):
        return page
    if isinstance(page, dict):
        for key in ("data", "items"):
            if isinstance(page.get(key), list):
                return page[key]
    raise FinalPOSBadResponse(_("Final POS sent a list the dashboard could not read."))


def get_client() -> FinalPOSClient:
    """The client for the configured account (the simulator in demo mode)."""
    api_key = settings.FINALPOS_API_KEY or settings.FINALPOS_SIMULATOR_API_KEY
    return FinalPOSClient(
        base_url=settings.FINALPOS_BASE_URL,
        api_key=api_key,
        connect_timeout=settings.FINALPOS_CONNECT_TIMEOUT,
        read_timeout=settings.FINALPOS_TIMEOUT,
    )
