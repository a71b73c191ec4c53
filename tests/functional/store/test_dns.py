"""DNS rules every face shares, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from panelkey.core.errors import InvalidValue
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("_acme-challenge", "_acme-challenge.example.com."),
        ("", "example.com."),
        ("@", "example.com."),
        ("www.example.com", "www.example.com."),
        ("WWW.Example.com.", "www.example.com."),
    ],
)
def test_hosts_are_stored_absolute_inside_the_zone(
    panel: Panel, admin: Identity, given: str, stored: str
) -> None:
    domain = panel.domains.create(admin, name="example.com")
    record = panel.dns.add(admin, domain, type="TXT", host=given, value="x")
    assert record.host == stored


@pytest.mark.parametrize("host", ["other.org.", "example.com.evil.org.", "notexample.com."])
def test_a_host_outside_the_zone_is_refused_and_nothing_added(
    panel: Panel, admin: Identity, host: str
) -> None:
    domain = panel.domains.create(admin, name="example.com")
    before = panel.dns.records(admin, domain)
    with pytest.raises(InvalidValue):
        panel.dns.add(admin, domain, type="TXT", host=host, value="x")
    assert panel.dns.records(admin, domain) == before
    assert len(before) > 5  # a new zone starts with several default records
