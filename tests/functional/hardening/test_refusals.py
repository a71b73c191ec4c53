"""Refusals grow the store by a bounded amount; forwarded hops that are not addresses are
ignored, on every store."""

from __future__ import annotations

import time
import uuid

from panelkey.core.panel import Panel
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import system_error

PROTOS = "<server><get_protos/></server>"
FLOOD = 500  # wrong keys, each one looked up: two hundred and fifty times the bound


def test_a_flood_of_wrong_keys_adds_a_bounded_number_of_audit_entries(
    make_xml: MakeXml, panel: Panel
) -> None:
    xml = make_xml(lockout_failures=0)  # no wrong-key throttle: every key is looked up
    before = len(panel.audit.entries())
    for _ in range(FLOOD):
        assert system_error(xml.call(PROTOS, key=str(uuid.uuid4())))[0] == 11003
    added = panel.audit.entries()[before:]
    assert 1 <= len(added) <= 2  # one per interval (60 s by default) and reason
    assert sum(e.count for e in added) == FLOOD
    assert {(e.reason, e.source_ip) for e in added} == {("unknown key", "127.0.0.1")}


def test_each_source_and_reason_has_an_entry_of_its_own(make_xml: MakeXml, panel: Panel) -> None:
    xml = make_xml()
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.1"):
        system_error(xml.call(PROTOS, key=str(uuid.uuid4()), address=address))
    failures = panel.audit.entries(failures_only=True)
    assert sorted((e.source_ip, e.count) for e in failures) == [("192.0.2.1", 2), ("192.0.2.2", 1)]


def test_audit_entries_past_the_retention_are_deleted(make_xml: MakeXml, panel: Panel) -> None:
    xml = make_xml(audit_retention_days=1)
    system_error(xml.call(PROTOS, key=str(uuid.uuid4())))
    assert panel.audit.entries(failures_only=True)
    assert panel.audit.prune(now=time.time() + 2 * 86_400) >= 1
    assert panel.audit.entries(failures_only=True) == []


def test_a_forwarded_hop_that_is_no_address_is_ignored(make_xml: MakeXml, panel: Panel) -> None:
    """On PostgreSQL a 300-character hop once overflowed the audit's address column (500)."""
    xml = make_xml("[panelkey]\ntrustedProxies = 127.0.0.1\n")
    hop = "x" * 300
    root = xml.call(PROTOS, key=str(uuid.uuid4()), headers={"X-Forwarded-For": hop})
    assert system_error(root)[0] == 11003
    root = xml.call(
        PROTOS, key=str(uuid.uuid4()), headers={"X-Forwarded-For": f"203.0.113.9, {hop}"}
    )
    assert system_error(root)[0] == 11003
    sources = {e.source_ip for e in panel.audit.entries(failures_only=True)}
    assert sources == {"127.0.0.1", "203.0.113.9"}  # the peer, then the real hop
    # The key path and its last-used recording keep working for a good key.
    assert [c.tag for c in xml.call(PROTOS, headers={"X-Forwarded-For": hop})] == ["server"]
