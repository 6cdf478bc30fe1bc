"""Shared fixtures: a small cast of users and a clean cache for every test."""

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from finalpos_simulator.app import Simulator
from finalpos_simulator.faults import FaultRule
from finalpos_simulator.server import SimulatorServer
from finalpos_simulator.store import Store
from finalpos_simulator.tills import TillActivity
from sessions_app.finalpos import get_client
from sessions_app.models import OutletAssignment, StaffProfile
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP

OUTLET_A = "aaaaaaaaaaaaaaaaaaaaaaa1"
OUTLET_B = "bbbbbbbbbbbbbbbbbbbbbbb2"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _api_key_never_leaks(caplog):
    """Across the whole suite: no page, header or log line may carry the Final POS API key."""
    from tests.leak_guard import LEAKS, secrets_in_use

    LEAKS.clear()
    yield
    keys = [*secrets_in_use(), SIMULATOR_KEY]
    logged = [key for key in keys if key in caplog.text]
    assert not logged, "The API key appeared in a log line"
    assert not LEAKS, "\n".join(LEAKS)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts, and leaves the next one, in the site's language: a test that signs
    in a German speaker or renders a French e-mail activates theirs in this thread, and under
    pytest-xdist any test may follow it in the same worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # The circuit breaker and the page caches live in the cache; Redis outlives a test, and
    # this process's own copy (kept while the cache is down) would outlive it too.
    from sessions_app import shared_cache, site_origin

    caches["default"].clear()
    shared_cache.forget_local()
    site_origin.forget_checked()
    yield
    caches["default"].clear()
    shared_cache.forget_local()
    site_origin.forget_checked()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations(tmp_path_factory) -> Iterator[Path]:
    """The catalogues in locale/ compiled as every build compiles them, into this run's own
    folder: plain `pytest` in a fresh clone speaks Spanish, French and German too, and a test
    never reads a .mo older than its .po."""
    from django.test import override_settings

    from sessions_app.management.commands.compile_translations import mo_bytes

    locale = Path(__file__).resolve().parents[1] / "locale"
    compiled = tmp_path_factory.mktemp("locale")
    for catalogue in locale.glob("*/LC_MESSAGES/*.po"):
        target = compiled / catalogue.relative_to(locale).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(mo_bytes(catalogue))
    with override_settings(LOCALE_PATHS=[compiled]):
        yield compiled


@pytest.fixture(scope="session")
def collected_static(django_db_blocker) -> Path:
    """STATIC_ROOT filled by collectstatic as a release does (hashed names, compressed
    copies, the manifest), once per run: the processes that run production settings serve
    from it, and so does ``manifest_static``."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(STORAGES=settings.PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return Path(settings.STATIC_ROOT)


@pytest.fixture
def manifest_static(settings, collected_static) -> Path:
    """Static files as production serves them: whitenoise, hashed names, the manifest."""
    settings.STORAGES = settings.PRODUCTION_STORAGES
    return collected_static


@pytest.fixture
def make_staff(django_user_model) -> Callable:
    def make(username: str, group: str, outlet_ids=(), **fields):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.com", **fields
        )
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        StaffProfile.objects.create(user=user)
        for outlet_id in outlet_ids:
            OutletAssignment.objects.create(user=user, outlet_id=outlet_id)
        return user

    return make


@pytest.fixture
def manager(make_staff):
    return make_staff("mia", MANAGER_GROUP, [OUTLET_A], first_name="Mia", last_name="Manager")


@pytest.fixture
def manager_b(make_staff):
    return make_staff("bob", MANAGER_GROUP, [OUTLET_B], first_name="Bob", last_name="Boss")


@pytest.fixture
def cashier(make_staff):
    return make_staff("cal", CASHIER_GROUP, [OUTLET_A], first_name="Cal", last_name="Cashier")


@pytest.fixture
def cashier_b(make_staff):
    return make_staff("cora", CASHIER_GROUP, [OUTLET_B], first_name="Cora", last_name="Cashier")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)


# --- Final POS: a real simulator on loopback, and a client checked against the contract -----

SIMULATOR_KEY = "loopback-test-key-0123"
OPENAPI_PATH = Path(__file__).resolve().parents[1] / "docs" / "finalpos-openapi.yaml"


class AnsweringSimulator(Simulator):
    """The simulator, counting the requests it is still answering: a test (or the settling of
    a lost answer) waits until a write still on its way has landed, or not, instead of
    sleeping for as long as that might take."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._answered = threading.Condition()
        self._answering = 0

    def handle(self, *args, **kwargs):
        with self._answered:
            self._answering += 1
        try:
            return super().handle(*args, **kwargs)
        finally:
            with self._answered:
                self._answering -= 1
                self._answered.notify_all()

    def wait_until_answered(self, timeout: float) -> None:
        """Returns once no request is being answered, or after ``timeout`` seconds."""
        with self._answered:
            self._answered.wait_for(lambda: self._answering == 0, timeout=timeout)


@pytest.fixture(scope="module")
def _simulator_server(tmp_path_factory):
    """One simulator server per test module; each test gets it with a store of its own."""
    store = Store(str(tmp_path_factory.mktemp("simulator") / "empty.sqlite3"))
    server = SimulatorServer(Simulator(store=store, api_key=SIMULATOR_KEY)).start_in_background()
    yield server
    server.stop()


@pytest.fixture
def simulator(_simulator_server, tmp_path):
    """A Final POS simulator served over HTTP on 127.0.0.1 with an empty store, no faults and
    an empty request log."""
    # A new simulator object, not a reset one: a request still running from the test before
    # (a delayed write, say) finishes against the old store, never this test's.
    _simulator_server.simulator = AnsweringSimulator(
        store=Store(str(tmp_path / "simulator.sqlite3")), api_key=SIMULATOR_KEY
    )
    return _simulator_server


@pytest.fixture(scope="session")
def openapi_spec():
    from openapi_core import OpenAPI

    return OpenAPI.from_file_path(str(OPENAPI_PATH))


@pytest.fixture
def finalpos(simulator, settings, openapi_spec, monkeypatch):
    """Points the dashboard at the loopback simulator (live mode) and checks every request
    the client sends against docs/finalpos-openapi.yaml. After a lost answer, the looks
    again at Final POS wait until the simulator has answered everything it was asked (a
    write on its way has landed) rather than for a fixed pause."""
    from openapi_core.contrib.requests import RequestsOpenAPIRequest

    from sessions_app.services.settle import updates as settle

    monkeypatch.setattr(
        settle, "sleep", lambda pause: simulator.simulator.wait_until_answered(pause)
    )
    settings.FINALPOS_API_KEY = SIMULATOR_KEY
    settings.FINALPOS_DEMO_MODE = False
    settings.FINALPOS_BASE_URL = simulator.url
    settings.FINALPOS_TIMEOUT = 2.0
    settings.FINALPOS_CONNECT_TIMEOUT = 1.0
    client = get_client()
    violations: list[str] = []

    def validate(response, *args, **kwargs):
        prepared = response.request.copy()
        if prepared.path_url.startswith("/_simulator/"):
            return
        prepared.prepare_url("https://api.finalpos.com" + prepared.path_url, None)
        try:
            openapi_spec.validate_request(RequestsOpenAPIRequest(prepared))
        except Exception as error:
            violations.append(f"{prepared.method} {prepared.path_url}: {error!r}")

    client.http.hooks["response"].append(validate)
    yield client
    client.http.hooks["response"].remove(validate)
    assert not violations, "Requests outside the OpenAPI contract:\n" + "\n".join(violations)


DEMO_COPY_FOR = 300  # seconds a seeded demo company is copied from before it is seeded again


@pytest.fixture(scope="session")
def seed_demo(tmp_path_factory) -> Callable[[Store], None]:
    """Fills a store with the demo company as ``seed_demo_company`` does, by copying one seeded
    a little earlier in the run (about a second to seed, milliseconds to copy). A copy is at
    most DEMO_COPY_FOR seconds old (the open shifts opened "hours ago" by then), and made in
    the time zone and currency the test runs with."""
    from datetime import date

    from django.conf import settings

    from finalpos_simulator.seed import seed_demo_company

    seeded: dict[tuple[str, str, date], tuple[float, Path]] = {}

    def seed(store: Store) -> None:
        key = (settings.TIME_ZONE, settings.CURRENCY, date.today())
        made = seeded.get(key)
        if made is None or time.monotonic() - made[0] > DEMO_COPY_FOR:
            path = tmp_path_factory.mktemp("demo-company") / "seeded.sqlite3"
            seed_demo_company(Store(str(path)))
            made = seeded[key] = (time.monotonic(), path)
        with sqlite3.connect(made[1]) as source, sqlite3.connect(store.path) as target:
            source.backup(target)

    return seed


def add_faults(simulator, *rules: dict) -> None:
    simulator.simulator.faults.rules.extend(FaultRule(**rule) for rule in rules)


# --- A small company in the loopback simulator, loaded into the local cache -----------------

STATION_A1 = "aaaaaaaaaaaaaaaaaaaa0101"
STATION_A2 = "aaaaaaaaaaaaaaaaaaaa0102"
STATION_B1 = "bbbbbbbbbbbbbbbbbbbb0201"


def _company_document(kind: str, document: dict) -> dict:
    stamp = "2026-01-05T09:00:00.000+00:00"
    return {
        "companyId": "c0ffee0000000000000000c0",
        "createdAt": stamp,
        "updatedAt": stamp,
        **document,
    }


@pytest.fixture
def tills(finalpos, simulator):
    """Outlet A with tills A1 and A2, outlet B with till B1, in Final POS and the cache."""
    from sessions_app.models import Station
    from sessions_app.services.catalog import catalog_refresh

    store = simulator.simulator.store
    for outlet_id, name in [(OUTLET_A, "Alpha Street"), (OUTLET_B, "Beta Mall")]:
        store.insert(
            "outlet",
            _company_document(
                "outlet",
                {
                    "id": outlet_id,
                    "name": name,
                    "address": "1 Main St",
                    "city": "Portland",
                    "state": "ME",
                    "country": "US",
                    "postCode": "04101",
                    "phone": "+12075550100",
                    "stations": [],
                    "sequenceNumber": 1,
                },
            ),
        )
    for station_id, outlet_id, name in [
        (STATION_A1, OUTLET_A, "Till 1"),
        (STATION_A2, OUTLET_A, "Till 2"),
        (STATION_B1, OUTLET_B, "Beta till"),
    ]:
        store.insert(
            "station",
            _company_document(
                "station",
                {
                    "id": station_id,
                    "name": name,
                    "outletId": outlet_id,
                    "status": "AVAILABLE",
                    "deviceName": f"iPad {name}",
                    "isVirtual": False,
                    "sequenceNumber": 7,
                },
            ),
        )
    catalog_refresh()
    simulator.simulator.reset_log()
    return {
        "a1": Station.objects.get(id=STATION_A1),
        "a2": Station.objects.get(id=STATION_A2),
        "b1": Station.objects.get(id=STATION_B1),
    }


def quiet_till(simulator, *, seed: int) -> TillActivity:
    """The company's tills in the simulator, acting only when a test tells them to (every
    chance at zero); ``seed`` makes their ids and amounts repeatable."""
    return TillActivity(
        simulator.simulator.store,
        rng=random.Random(seed),
        open_chance=0,
        sale_chance=0,
        close_chance=0,
        tip_chance=0,
        reclose_chance=0,
        stale_chance=0,
    )


def record_sale(
    simulator, session_id: str, amount: str, method: str = "cash", kind: str = "sale"
) -> None:
    simulator.simulator.record_transaction(
        sessionId=session_id, paymentMethod=method, amount=amount, type=kind
    )


@pytest.fixture
def mia(client, manager, tills):
    """The test client, signed in as Mia, a manager of outlet A, with the company's tills."""
    client.login(username="mia", password=PASSWORD)
    return client


@pytest.fixture
def open_shift(tills, cashier, simulator):
    """A shift open on till A1 with a 200.00 float and 40.00 of cash sales."""
    from decimal import Decimal

    from sessions_app.services.shift_open import shift_open

    record = shift_open(
        till=tills["a1"], opened_by_user=cashier, opening_amount=Decimal("200.00")
    ).record
    record_sale(simulator, record.id, "40.00", "cash")
    record_sale(simulator, record.id, "60.00", "credit_card")
    record.refresh_from_db()
    return record


@pytest.fixture
def close_open_shift(open_shift, cashier):
    """Cal closes the open_shift: the cash counted as given, 60.00 on card, nothing by Oliver
    Pay; no note and no reason unless the test gives them."""
    from decimal import Decimal

    from sessions_app.services.shift_close import shift_close

    def close(
        *, cash: str, closing_note: str = "", variance_reason: str = "", request_id: str = "c" * 32
    ):
        return shift_close(
            record=open_shift,
            closed_by_user=cashier,
            counted={"cash": Decimal(cash), "card": Decimal("60.00"), "oliverPay": Decimal(0)},
            closing_note=closing_note,
            variance_reason=variance_reason,
            seen_updated_at=None,
            close_request_id=request_id,
        ).record

    return close


@pytest.fixture
def closed_shift(close_open_shift):
    """The open_shift closed $10.00 short on cash (230.00 cash, 60.00 card counted)."""
    return close_open_shift(
        cash="230.00", closing_note="Busy night", variance_reason="Wrong change"
    )


def make_shifts(
    count: int,
    *,
    outlet=None,
    station=None,
    variance="-1.00",
    card_variance=None,
    opened_by="Cal Cashier",
    start=0,
) -> None:
    """Indexes `count` closed shifts directly (one a day going back from today), for pages
    that read only the local index: off in cash by `variance`, and on card by
    `card_variance` when given."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from sessions_app.closing.variance import other_tenders_off, shift_result
    from sessions_app.models import SessionRecord
    from sessions_app.services.daily_totals import daily_totals_rebuild

    outlet, station = outlet or OUTLET_A, station or STATION_A1
    now = timezone.now()
    amount = Decimal(variance)
    variances = {"cash": amount}
    if card_variance is not None:
        variances["card"] = Decimal(card_variance)
    SessionRecord.objects.bulk_create(
        SessionRecord(
            id=f"{outlet[:4]}{station[-4:]}{start + index:016x}",
            session_number=f"S-2026-{start + index + 1:04d}",
            outlet_id=outlet,
            station_id=station,
            opened_by=opened_by,
            closed_by=opened_by,
            open_time=now - timedelta(days=index, hours=8),
            close_time=now - timedelta(days=index),
            business_date=timezone.localtime(now - timedelta(days=index)).date(),
            opening_amount=Decimal(200),
            closing_amount=Decimal(200) + amount,
            counted={"cash": str(Decimal(200) + amount)},
            expected={"cash": "200.00"},
            variances={key: str(value) for key, value in variances.items()},
            cash_variance=amount,
            variance_abs=max(abs(value) for value in variances.values()),
            result=shift_result(variances),
            other_tenders_off=other_tenders_off(variances),
            fetched_at=now,
        )
        for index in range(count)
    )
    daily_totals_rebuild()  # as every bulk load does


def till_session(simulator, station_id: str, number: str, *, closed: bool = True, **fields):
    """A session as the Final POS app on a till writes it (its own number, its own report,
    a gift card tender and fields the dashboard does not know), stored in the simulator."""
    import secrets

    document = _company_document(
        "session",
        {
            "id": secrets.token_hex(12),
            "stationId": station_id,
            "sessionNumber": number,
            "openedBy": "Tia Till",
            "openTime": "2026-03-02T09:00:00.000+00:00",
            "openingAmount": "150.00",
            "notes": ["Float counted by two"],
            "closingAmounts": {},
            "openingNote": "",
            "tipTotal": "3.50",
            "meta": {"device": "ipad-7", "build": 412, "flags": [True, None]},
        },
    )
    if closed:
        document |= {
            "closedBy": "Tia Till",
            "closeTime": "2026-03-02T17:05:00.000+00:00",
            "closingAmount": "180.00",
            "closingAmounts": {
                "cash": "180.00",
                "card": "95.00",
                "oliverPay": "0.00",
                "giftCard": "25.00",
            },
            "closingNote": "",
            "closingReportData": '{"source":"final-pos-ipad","totals":{"cash":"180.00"}}',
        }
    document |= fields
    simulator.simulator.store.insert("session", document)
    return document
