"""The circuit breaker opens after repeated failures, fails fast, and closes on recovery.

Time is a fake clock: the cool-down passes when the test says so, not after a sleep."""

import pytest

from sessions_app.finalpos import (
    FinalPOSCircuitOpen,
    FinalPOSNotFound,
    FinalPOSUnavailable,
    circuit,
    get_client,
)
from tests.conftest import add_faults
from tests.finalpos.test_client import an_outlet

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(circuit, "clock", fake)
    return fake


@pytest.fixture
def breaker_settings(settings):
    settings.FINALPOS_CIRCUIT_FAILURES = 3
    settings.FINALPOS_CIRCUIT_WINDOW = 60
    settings.FINALPOS_CIRCUIT_COOLDOWN = 30
    return settings


def _fail(client, times: int) -> None:
    for _ in range(times):
        with pytest.raises(FinalPOSUnavailable):
            client.outlet_list()


def test_it_opens_fails_fast_and_closes_again(finalpos, simulator, breaker_settings, clock):
    add_faults(simulator, {"action": "status", "status": 500, "times": 3})
    _fail(finalpos, 3)
    assert circuit.is_open()
    calls_before = sum(simulator.simulator.calls.values())

    with pytest.raises(FinalPOSCircuitOpen) as raised:
        get_client().outlet_list()
    assert sum(simulator.simulator.calls.values()) == calls_before  # failed fast, no call
    assert raised.value.retryable

    clock.advance(29)
    assert circuit.is_open()
    clock.advance(2)  # the cool-down passes; the API has recovered
    assert get_client().outlet_list() == []
    assert not circuit.is_open()


def test_a_failure_after_the_cool_down_reopens_at_once(
    finalpos, simulator, breaker_settings, clock
):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    for _ in range(3):
        with pytest.raises(FinalPOSUnavailable):
            an_outlet(finalpos)
    clock.advance(31)
    with pytest.raises(FinalPOSUnavailable):
        an_outlet(finalpos)  # the trial call fails
    assert circuit.is_open()


def test_one_success_after_the_cool_down_closes_it_for_good(
    finalpos, simulator, breaker_settings, clock
):
    add_faults(simulator, {"action": "status", "status": 500, "times": 3})
    _fail(finalpos, 3)
    clock.advance(31)
    assert finalpos.outlet_list() == []  # the trial call succeeds
    add_faults(simulator, {"action": "status", "status": 500, "times": 1})
    _fail(finalpos, 1)
    assert not circuit.is_open()  # one failure again is not enough: the count starts over


def test_rejections_do_not_count_as_failures(finalpos, simulator, breaker_settings):
    for _ in range(5):
        with pytest.raises(FinalPOSNotFound):
            finalpos.outlet_get("0123456789abcdef01234567")
    assert not circuit.is_open()
