"""The per-address counters of the supplier pages are pruned once idle, never while a rate
window or a lockout is running; pruning twice deletes nothing more (a daily job)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from portal import throttle
from portal.models import TokenThrottle

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def ips() -> set[str]:
    return set(TokenThrottle.objects.values_list("ip", flat=True))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_an_address_idle_for_a_day_is_pruned_and_a_recent_one_kept(clock):
    throttle.admit("198.51.100.1")
    clock.shift(timedelta(hours=23))
    throttle.admit("198.51.100.2")
    clock.shift(timedelta(hours=1, seconds=1))

    assert throttle.prune() == 1
    assert ips() == {"198.51.100.2"}


def test_pruning_is_idempotent(clock):
    for n in range(3):
        throttle.admit(f"198.51.100.{n}")
    clock.shift(timedelta(days=2))
    throttle.admit("198.51.100.9")

    assert throttle.prune() == 3
    assert throttle.prune() == 0
    assert ips() == {"198.51.100.9"}


def test_a_running_lockout_is_never_pruned_even_with_a_short_retention(clock, settings):
    settings.PORTAL_THROTTLE_RETENTION_HOURS = 0
    settings.PORTAL_TOKEN_FAILURE_LIMIT = 2
    settings.PORTAL_LOCKOUT_MINUTES = 15
    throttle.admit("203.0.113.66")
    throttle.missed("203.0.113.66")
    throttle.missed("203.0.113.66")
    clock.shift(timedelta(minutes=14))

    assert throttle.prune() == 0
    with pytest.raises(throttle.Refused):
        throttle.admit("203.0.113.66")  # still locked out: pruning lifted nothing

    clock.shift(timedelta(minutes=2))
    assert throttle.prune() == 1
    throttle.admit("203.0.113.66")  # the lockout is over anyway: a fresh row


def test_a_running_rate_window_is_never_pruned(clock, settings):
    settings.PORTAL_THROTTLE_RETENTION_HOURS = 0
    settings.PORTAL_RATE_LIMIT = 1
    throttle.admit("203.0.113.5")
    clock.shift(timedelta(minutes=5))

    assert throttle.prune() == 0
    with pytest.raises(throttle.Refused):
        throttle.admit("203.0.113.5")


def test_wrong_links_below_the_limit_are_forgotten_once_idle(clock, settings):
    settings.PORTAL_TOKEN_FAILURE_LIMIT = 3
    throttle.admit("203.0.113.7")
    throttle.missed("203.0.113.7")
    throttle.missed("203.0.113.7")
    clock.shift(timedelta(days=1, seconds=1))

    assert throttle.prune() == 1
    throttle.admit("203.0.113.7")
    throttle.missed("203.0.113.7")
    assert TokenThrottle.objects.get(ip="203.0.113.7").misses == 1


def test_the_command_reports_and_can_run_twice(clock):
    throttle.admit("198.51.100.1")
    clock.shift(timedelta(days=3))
    out = StringIO()

    call_command("prune_portal_throttle", stdout=out)
    call_command("prune_portal_throttle", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "1 idle address counter(s) deleted (idle for over 24 h).",
        "0 idle address counter(s) deleted (idle for over 24 h).",
    ]
    assert not TokenThrottle.objects.exists()
