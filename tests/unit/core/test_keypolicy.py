"""Keys' limits parsed and judged: expiry, scope, rate, and REST calls under XML names."""

from __future__ import annotations

import calendar

import pytest

from panelkey.core.access.auth import RateLimiter
from panelkey.core.access.keypolicy import Rate, Scope, parse_expires
from panelkey.core.errors import InvalidValue

NOW = float(calendar.timegm((2026, 6, 1, 12, 0, 0, 0, 0, 0)))


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("90s", "2026-06-01T12:01:30Z"),
        ("15m", "2026-06-01T12:15:00Z"),
        (" 12h ", "2026-06-02T00:00:00Z"),
        ("30d", "2026-07-01T12:00:00Z"),
        ("2027-01-31T12:00:00Z", "2027-01-31T12:00:00Z"),
        ("2027-01-31 08:30", "2027-01-31T08:30:00Z"),
        ("2027-01-31", "2027-01-31T00:00:00Z"),
        ("2027-01-31T12:00:00+00:00", "2027-01-31T12:00:00Z"),
    ],
)
def test_expiry_is_a_utc_time_or_a_duration(given: str, stored: str) -> None:
    assert parse_expires(given, now=NOW) == stored


@pytest.mark.parametrize(
    "bad",
    ["", "soon", "0s", "2026-06-01T11:59:59Z", "2027-02-30", "2027-01-31T24:00:00Z",
     "2027-01-31T12:00:00+02:00", "5w", "-5m"],
)  # fmt: skip
def test_bad_or_past_expiry_is_refused(bad: str) -> None:
    with pytest.raises(InvalidValue):
        parse_expires(bad, now=NOW)


@pytest.mark.parametrize(
    ("scope", "operation", "allowed"),
    [
        ("read", "customer/get", True),
        ("read", "site/get-physical-hosting-descriptor", True),
        ("read", "customer/add", False),
        ("read", "server/create_session", False),
        ("dns/*", "dns/add_rec", True),
        ("dns/*", "dns/del_rec", True),
        ("dns/*", "site/get", False),
        ("site/get", "site/get", True),
        ("site/get", "site/set", False),
        ("*/get", "webspace/get", True),
        ("*/get", "webspace/get_traffic", False),
        ("read,dns/*", "dns/add_rec", True),
        ("read,dns/*", "customer/del", False),
        ("", "customer/del", True),  # no scope: a plain key, no limit
    ],
)
def test_scope_allows_by_xml_name(scope: str, operation: str, allowed: bool) -> None:
    assert Scope.parse(scope).allows(*operation.split("/")) is allowed


@pytest.mark.parametrize("bad", ["dns", "dns/", "/get", "DNS/*;drop", ["read", 7]])
def test_bad_scope_items_are_refused(bad: object) -> None:
    with pytest.raises(InvalidValue):
        Scope.parse(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "rate"),
    [("10/s", Rate(10, 1)), ("5 / m", Rate(5, 60)), ("100/h", Rate(100, 3600)), ("", None)],
)
def test_rate_is_n_per_second_minute_or_hour(text: str, rate: Rate | None) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("bad", ["0/s", "5/d", "five/m", "5", "-1/s"])
def test_bad_rates_are_refused(bad: str) -> None:
    with pytest.raises(InvalidValue):
        Rate.parse(bad)


def test_the_rate_limiter_counts_one_window_and_says_how_long_to_wait() -> None:
    limiter = RateLimiter()
    rate = Rate(2, 60)
    start = NOW - NOW % 60  # the start of a window
    assert [limiter.wait(7, rate, now=start + t) for t in (0, 1, 2)] == [0, 0, 58]
    assert limiter.wait(8, rate, now=start + 2) == 0  # another key, its own count
    assert limiter.wait(7, rate, now=start + 60) == 0  # the next window starts afresh
