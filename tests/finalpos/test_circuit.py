"""The circuit breaker opens after repeated failures, fails fast, and closes on recovery."""

import time

import pytest

from sessions_app.finalpos import FinalPOSCircuitOpen, FinalPOSUnavailable, circuit, get_client
from tests.conftest import add_faults

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaker_settings(settings):
    settings.FINALPOS_CIRCUIT_FAILURES = 3
    settings.FINALPOS_CIRCUIT_WINDOW = 60
    settings.FINALPOS_CIRCUIT_COOLDOWN = 1
    return settings


def test_it_opens_fails_fast_and_closes_again(finalpos, simulator, breaker_settings):
    add_faults(simulator, {"action": "status", "status": 500, "times": 3})
    for _ in range(3):
        with pytest.raises(FinalPOSUnavailable):
            finalpos.outlet_list()
    assert circuit.is_open()
    calls_before = sum(simulator.simulator.calls.values())

    with pytest.raises(FinalPOSCircuitOpen) as raised:
        get_client().outlet_list()
    assert sum(simulator.simulator.calls.values()) == calls_before  # failed fast, no call
    assert raised.value.retryable

    time.sleep(1.1)  # the cool-down passes; the API has recovered
    assert get_client().outlet_list() == []
    assert not circuit.is_open()


def test_a_failure_after_the_cool_down_reopens_at_once(finalpos, simulator, breaker_settings):
    add_faults(simulator, {"action": "status", "status": 503, "method": "POST"})
    from tests.finalpos.test_client import an_outlet

    for _ in range(3):
        with pytest.raises(FinalPOSUnavailable):
            an_outlet(finalpos)
    time.sleep(1.1)
    with pytest.raises(FinalPOSUnavailable):
        an_outlet(finalpos)  # the trial call fails
    assert circuit.is_open()


def test_rejections_do_not_count_as_failures(finalpos, simulator, breaker_settings):
    from sessions_app.finalpos import FinalPOSNotFound

    for _ in range(5):
        with pytest.raises(FinalPOSNotFound):
            finalpos.outlet_get("0123456789abcdef01234567")
    assert not circuit.is_open()
