"""Operator dns: get_rec, add_rec, del_rec over the zones, with rights; every record type,
the server-wide template, sync-with-template, zone SOA settings, enable/disable, and
their events; the name server's side: a zone switched to slave (or any, with remote DNS
on) is no longer answered by the DNS listener, its master servers, the ACL and
recursion kept and shown."""

from __future__ import annotations

import dns.message
import dns.rcode
import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.dnsserver import resolve
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    all_ok,
    error_of,
    results,
    system_error,
)


def _records(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    root = xml.call(f"<dns><get_rec><filter>{flt}</filter></get_rec></dns>", key=key)
    return results(root, "dns/get_rec")


def _data(result: etree._Element) -> tuple[str, str, str, str]:
    d = result.find("data")
    assert d is not None
    return (
        d.findtext("type") or "",
        d.findtext("host") or "",
        d.findtext("value") or "",
        d.findtext("opt") or "",
    )


def _add(xml: XmlClient, site_id: int, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<dns><add_rec><site-id>{site_id}</site-id>{inner}</add_rec></dns>", key=key)
    (result,) = results(root, "dns/add_rec")
    return result


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_new_zone_has_the_records_of_a_new_plesk_domain(xml: XmlClient, world: World) -> None:
    found = _records(xml, f"<site-id>{world.dave_ws}</site-id>")
    assert len(found) >= 5
    for r in found:
        assert [c.tag for c in r] == ["status", "id", "data"]
        assert [c.tag for c in r.find("data")] == ["site-id", "type", "host", "value", "opt"]  # type: ignore[union-attr]
        assert r.findtext("data/site-id") == str(world.dave_ws)
        assert (r.findtext("data/host") or "").endswith("dave.example.")
    recs = {_data(r) for r in found}
    assert ("MX", "dave.example.", "mail.dave.example.", "10") in recs
    assert ("A", "www.dave.example.", "127.0.0.1", "") in recs
    assert ("NS", "dave.example.", "ns.dave.example.", "") in recs
    assert any(t == "TXT" and v.startswith("v=spf1") for t, _h, v, _o in recs)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_acme_challenge_with_a_relative_host_and_an_empty_opt(xml: XmlClient, world: World) -> None:
    key = world.dave.key
    added = _add(
        xml,
        world.dave_ws,
        "<type>TXT</type><host>_acme-challenge</host><value>tok-EN_1</value><opt/>",
        key,
    )
    assert [c.tag for c in added] == ["status", "id"]
    rid = added.findtext("id")
    listed = [
        r
        for r in _records(xml, f"<site-id>{world.dave_ws}</site-id>", key)
        if r.findtext("id") == rid
    ]
    assert [_data(r) for r in listed] == [("TXT", "_acme-challenge.dave.example.", "tok-EN_1", "")]
    (one,) = _records(xml, f"<id>{rid}</id>", key)
    assert _data(one)[1] == "_acme-challenge.dave.example."
    root = xml.call(f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec></dns>", key=key)
    (deleted,) = results(root, "dns/del_rec")
    assert [(c.tag, c.text) for c in deleted] == [("status", "ok"), ("id", rid)]
    (gone,) = _records(xml, f"<id>{rid}</id>", key)
    assert error_of(gone)[0] == 1013


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_hosts_and_values_are_made_absolute(xml: XmlClient, world: World) -> None:
    cases = [
        (
            "<type>CNAME</type><host>shop</host><value>dave.example</value>",
            ("CNAME", "shop.dave.example.", "dave.example.", ""),
        ),
        (
            "<type>MX</type><host/><value>mx.other.example.</value><opt>20</opt>",
            ("MX", "dave.example.", "mx.other.example.", "20"),
        ),
        (
            "<type>A</type><host>api.dave.example</host><value>192.0.2.1</value>",
            ("A", "api.dave.example.", "192.0.2.1", ""),
        ),
        (
            "<type>TXT</type><host>_x.dave.example.</host><value>v</value>",
            ("TXT", "_x.dave.example.", "v", ""),
        ),
    ]
    for inner, expected in cases:
        added = _add(xml, world.dave_ws, inner)
        assert added.findtext("status") == "ok", etree.tostring(added)
        (r,) = _records(xml, f"<id>{added.findtext('id')}</id>")
        assert _data(r) == expected


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_bad_records_are_refused(xml: XmlClient, world: World) -> None:
    for inner in (
        "<type>BOGUS</type><host>a</host><value>v</value>",
        "<type>A</type><host>a</host><value>not-an-ip</value>",
        "<type>MX</type><host/><value>mx.example.</value><opt>high</opt>",
        "<type>TXT</type><host>elsewhere.example.</host><value>v</value>",
    ):
        assert error_of(_add(xml, world.dave_ws, inner))[0] == 1019, inner
    # The schema wants site-id, type, host, value, opt in that order.
    root = xml.call(
        f"<dns><add_rec><site-id>{world.dave_ws}</site-id><host>a</host><type>TXT</type>"
        "<value>v</value></add_rec></dns>"
    )
    assert system_error(root)[0] == 1014


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_two_del_rec_siblings_one_real_one_unknown(xml: XmlClient, world: World) -> None:
    rid = _add(xml, world.dave_ws, "<type>TXT</type><host>t</host><value>v</value>").findtext("id")
    root = xml.call(
        f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec>"
        "<del_rec><filter><id>987654</id></filter></del_rec></dns>"
    )
    ops = root.findall("dns/del_rec")
    assert len(ops) == 2
    (ok,) = ops[0].findall("result")
    (miss,) = ops[1].findall("result")
    assert (ok.findtext("status"), ok.findtext("id")) == ("ok", rid)
    assert error_of(miss)[0] == 1013 and miss.findtext("id") == "987654"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_several_dns_elements_in_one_packet(xml: XmlClient, world: World) -> None:
    """As lexicon sends deletions: one <dns> per record."""
    ids = [
        _add(xml, world.dave_ws, f"<type>TXT</type><host>d{i}</host><value>v</value>").findtext(
            "id"
        )
        for i in range(2)
    ]
    root = xml.call(
        "".join(f"<dns><del_rec><filter><id>{i}</id></filter></del_rec></dns>" for i in ids)
        + "<dns><del_rec><filter><id>987654</id></filter></del_rec></dns>"
    )
    answers = root.findall("dns")
    assert len(answers) == 3
    assert [a.findtext("del_rec/result/status") for a in answers] == ["ok", "ok", "error"]
    assert answers[2].findtext("del_rec/result/errcode") == "1013"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_one_customer_cannot_touch_anothers_zone(xml: XmlClient, world: World) -> None:
    carol = world.carol.key
    (miss,) = _records(xml, f"<site-id>{world.dave_ws}</site-id>", carol)
    assert error_of(miss) == (1013, "Site does not exist")
    daves = _records(xml, f"<site-id>{world.dave_ws}</site-id>")
    rid = daves[0].findtext("id")
    (miss,) = _records(xml, f"<id>{rid}</id>", carol)
    assert error_of(miss)[0] == 1013
    added = _add(xml, world.dave_ws, "<type>TXT</type><host>x</host><value>v</value>", carol)
    assert error_of(added) == (1013, "Site does not exist")
    root = xml.call(f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec></dns>", key=carol)
    assert error_of(results(root, "dns/del_rec")[0])[0] == 1013
    root = xml.call(
        f"<dns><del_rec><filter><site-id>{world.dave_ws}</site-id></filter></del_rec></dns>",
        key=carol,
    )
    assert error_of(results(root, "dns/del_rec")[0])[0] == 1013
    # Nothing of dave's changed, and carol's empty filter lists only carol's zones.
    assert len(_records(xml, f"<site-id>{world.dave_ws}</site-id>")) == len(daves)
    mine = _records(xml, "", carol)
    assert {r.findtext("data/site-id") for r in mine} == {
        str(world.carol_ws),
        str(world.carol_site),
    }


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_reseller_reaches_its_customers_zones(xml: XmlClient, world: World) -> None:
    rick = world.reseller.key
    added = _add(xml, world.carol_site, "<type>TXT</type><host>r</host><value>v</value>", rick)
    assert added.findtext("status") == "ok"
    (r,) = _records(xml, f"<id>{added.findtext('id')}</id>", world.carol.key)
    assert _data(r)[1] == "r.blog.carol.example."
    (miss,) = _records(xml, f"<site-id>{world.dave_ws}</site-id>", rick)
    assert error_of(miss)[0] == 1013


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_del_rec_by_site_id_empties_the_zone(xml: XmlClient, world: World) -> None:
    before = len(_records(xml, f"<site-id>{world.dave_ws}</site-id>"))
    root = xml.call(
        f"<dns><del_rec><filter><site-id>{world.dave_ws}</site-id></filter></del_rec></dns>"
    )
    assert [r.findtext("status") for r in results(root, "dns/del_rec")] == ["ok"] * before
    assert _records(xml, f"<site-id>{world.dave_ws}</site-id>")[0].find("id") is None


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_zone_by_name_and_aliases(xml: XmlClient, world: World) -> None:
    by_name = _records(xml, "<dns-zone-name>dave.example</dns-zone-name>")
    assert by_name and {r.findtext("data/site-id") for r in by_name} == {str(world.dave_ws)}
    (alias,) = _records(xml, "<site-alias-id>5</site-alias-id>")
    assert error_of(alias)[0] == 1013
    root = xml.call(
        "<dns><add_rec><site-alias-id>5</site-alias-id><type>TXT</type><host/>"
        "<value>v</value></add_rec></dns>"
    )
    assert error_of(results(root, "dns/add_rec")[0])[0] == 1013


# -- every record type, the template, SOA, enable/disable ---------------------------------
# SQLite only: the store does not change these rules (the tests above run on both).


def _get_rec(xml: XmlClient, inner: str, key: str | None = None) -> list[etree._Element]:
    return results(xml.call(f"<dns><get_rec>{inner}</get_rec></dns>", key=key), "dns/get_rec")


def _zone(xml: XmlClient, site_id: int) -> set[tuple[str, str, str, str]]:
    return {
        tuple(r.findtext(f"data/{f}") or "" for f in ("type", "host", "value", "opt"))  # type: ignore[misc]
        for r in _get_rec(xml, f"<filter><site-id>{site_id}</site-id></filter>")
    }


def _add_rec(xml: XmlClient, inner: str, key: str | None = None) -> etree._Element:
    (result,) = results(xml.call(f"<dns><add_rec>{inner}</add_rec></dns>", key=key), "dns/add_rec")
    return result


TDSA = "b" * 64


ROUND_TRIP = [
    # (type, host, value, opt) sent -> (host, value, opt) answered
    (("A", "a", "192.0.2.9", ""), ("a.dave.example.", "192.0.2.9", "")),
    (("AAAA", "a6", "2001:DB8::1", ""), ("a6.dave.example.", "2001:db8::1", "")),
    (("CNAME", "c", "target.example.org", ""), ("c.dave.example.", "target.example.org.", "")),
    (("MX", "", "mx2.dave.example", "5"), ("dave.example.", "mx2.dave.example.", "5")),
    (("NS", "sub", "ns1.example.net.", ""), ("sub.dave.example.", "ns1.example.net.", "")),
    (("TXT", "t", 'say "hi"; ok', ""), ("t.dave.example.", 'say "hi"; ok', "")),
    (
        ("SRV", "_sip._tcp", "sip.dave.example", "10 5 5060"),
        ("_sip._tcp.dave.example.", "sip.dave.example.", "10 5 5060"),
    ),
    (("PTR", "9", "host.dave.example", ""), ("9.dave.example.", "host.dave.example.", "")),
    (("CAA", "", "letsencrypt.org", "0 issue"), ("dave.example.", "letsencrypt.org", "0 issue")),
    (
        ("CAA", "w", '128 iodef "mailto:x@dave.example"', ""),
        ("w.dave.example.", "mailto:x@dave.example", "128 iodef"),
    ),
    (
        ("DS", "sec", f"60485 13 2 {TDSA.upper()}", ""),
        ("sec.dave.example.", f"60485 13 2 {TDSA}", ""),
    ),
    (
        ("TLSA", "_443._tcp", f"3 1 1 {TDSA}", ""),
        ("_443._tcp.dave.example.", f"3 1 1 {TDSA}", ""),
    ),
    (("HTTPS", "h", "1 . alpn=h2", ""), ("h.dave.example.", '1 . alpn="h2"', "")),
]


INVALID = [
    ("A", "192.0.2.300", ""),
    ("AAAA", "2001:db8::zz", ""),
    ("CNAME", "bad..name", ""),
    ("MX", "mx.example.", "high"),
    ("NS", "a" * 64 + ".example.", ""),
    ("TXT", "x" * 20000, ""),
    ("SRV", "sip.example.", "10 5"),
    ("PTR", "bad..ptr", ""),
    ("CAA", "letsencrypt.org", "300 issue"),
    ("DS", "60485 13 2 nothex", ""),
    ("TLSA", "3 1 1 abcd", ""),
    ("HTTPS", "1 . alpn", ""),
    ("SOA", "ns. host. 1 2 3 4 5", ""),
]


def test_every_record_type_round_trips(xml: XmlClient, world: World) -> None:
    for (kind, host, value, opt), expected in ROUND_TRIP:
        added = _add_rec(
            xml,
            f"<site-id>{world.dave_ws}</site-id><type>{kind}</type><host>{host}</host>"
            f"<value>{_esc(value)}</value><opt>{opt}</opt>",
        )
        assert added.findtext("status") == "ok", etree.tostring(added)
        (r,) = _get_rec(xml, f"<filter><id>{added.findtext('id')}</id></filter>")
        got = tuple(r.findtext(f"data/{f}") or "" for f in ("host", "value", "opt"))
        assert (r.findtext("data/type"), got) == (kind, expected)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def test_an_invalid_value_for_each_type_is_1019_and_writes_nothing(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    before = _zone(xml, world.dave_ws)
    events = panel.events.last_id()
    for kind, value, opt in INVALID:
        refused = _add_rec(
            xml,
            f"<site-id>{world.dave_ws}</site-id><type>{kind}</type><host>x</host>"
            f"<value>{value}</value><opt>{opt}</opt>",
        )
        assert error_of(refused)[0] == 1019, (kind, value)
    assert _zone(xml, world.dave_ws) == before
    assert panel.events.last_id() == events


def test_srv_in_plesks_srv_element_form(xml: XmlClient, world: World) -> None:
    added = _add_rec(
        xml,
        f"<site-id>{world.dave_ws}</site-id><type>SRV</type><host>_xmpp</host>"
        '<value>chat.dave.example.</value><opt><Srv Protocol="tcp" Port="5222" Priority="1" '
        'Weight="2"/></opt>',
    )
    (r,) = _get_rec(xml, f"<filter><id>{added.findtext('id')}</id></filter>")
    assert (r.findtext("data/host"), r.findtext("data/opt")) == (
        "_xmpp._tcp.dave.example.",
        "1 2 5222",
    )


def test_template_shapes_a_new_zone_and_is_admin_only(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    seeded = _get_rec(xml, "<filter/><template/>")
    rows = {
        (r.findtext("data/type"), r.findtext("data/host"), r.findtext("data/value")) for r in seeded
    }
    assert ("MX", "<domain>.", "mail.<domain>.") in rows and ("A", "www.<domain>.", "<ip>") in rows
    assert all(r.find("data/site-id") is None for r in seeded)
    added = _add_rec(
        xml, "<type>TXT</type><host>_hello</host><value>v=&lt;domain&gt; at &lt;ip&gt;</value>"
    )
    assert added.findtext("status") == "ok"
    www = next(r for r in seeded if r.findtext("data/host") == "www.<domain>.")
    root = xml.call(
        f"<dns><del_rec><filter><id>{www.findtext('id')}</id></filter><template/></del_rec></dns>"
    )
    assert results(root, "dns/del_rec")[0].findtext("status") == "ok"
    made = factories.webspace(panel, "fresh.example", ip_address="192.0.2.44")
    zone = _zone(xml, made.id)
    assert ("TXT", "_hello.fresh.example.", "v=fresh.example at 192.0.2.44", "") in zone
    assert ("A", "fresh.example.", "192.0.2.44", "") in zone
    assert not any(h == "www.fresh.example." for _t, h, _v, _o in zone)
    # A customer reaches no part of the template.
    carol = world.carol.key
    assert error_of(_get_rec(xml, "<filter/><template/>", carol)[0])[0] == 1006
    assert error_of(_add_rec(xml, "<type>TXT</type><host/><value>v</value>", carol))[0] == 1006
    # <template/> comes after the filter, as in Plesk's schema.
    code, text = system_error(xml.call("<dns><get_rec><template/><filter/></get_rec></dns>"))
    assert code == 1014 and "template" in text
    miss = _get_rec(xml, "<filter><id>99999</id></filter><template/>")
    assert error_of(miss[0])[0] == 1013


def test_a_bad_template_record_is_refused(xml: XmlClient) -> None:
    before = len(_get_rec(xml, "<filter/><template/>"))
    for inner in (
        "<type>A</type><host>x</host><value>not-an-ip</value>",
        "<type>TXT</type><host>elsewhere.example.</host><value>v</value>",
        "<type>MX</type><host/><value>mail.<domain>.</value><opt>x</opt>",
    ):
        assert error_of(_add_rec(xml, inner.replace("<domain>", "&lt;domain&gt;")))[0] == 1019
    assert len(_get_rec(xml, "<filter/><template/>")) == before


def test_sync_with_template_keeps_user_changes(
    xml: XmlClient, world: World, panel: Panel, admin: Identity
) -> None:
    site = world.dave_ws
    template = {
        r.findtext("data/host"): r.findtext("id") for r in _get_rec(xml, "<filter/><template/>")
    }
    # The user changes the mail A record; the template drops www and webmail, adds one.
    domain = panel.domains.get(admin, site)
    assert domain is not None
    mail = next(r for r in panel.dns.records(admin, domain) if r.host == "mail.dave.example.")
    panel.dns.update(admin, mail, {"value": "192.0.2.99"})
    for host in ("www.<domain>.", "webmail.<domain>."):
        xml.call(
            f"<dns><del_rec><filter><id>{template[host]}</id></filter><template/></del_rec></dns>"
        )
    _add_rec(xml, "<type>TXT</type><host>_new</host><value>fresh</value>")
    mine = _add_rec(
        xml, f"<site-id>{site}</site-id><type>TXT</type><host>own</host><value>k</value>"
    )
    root = xml.call(
        "<dns><sync-with-template><filter><used-ip>127.0.0.1</used-ip></filter></sync-with-template></dns>"
    )
    assert [r.findtext("status") for r in results(root, "dns/sync-with-template")] == ["ok"]
    zone = _zone(xml, site)
    assert ("A", "mail.dave.example.", "192.0.2.99", "") in zone
    assert ("TXT", "_new.dave.example.", "fresh", "") in zone
    assert ("TXT", "own.dave.example.", "k", "") in zone and mine.findtext("status") == "ok"
    assert not any(h in ("www.dave.example.", "webmail.dave.example.") for _t, h, _v, _o in zone)
    # Carol's zones use the same address: synced too; a customer may not sync.
    assert ("TXT", "_new.carol.example.", "fresh", "") in _zone(xml, world.carol_ws)
    root = xml.call(
        f"<dns><sync-with-template><filter><site-id>{site}</site-id></filter>"
        "</sync-with-template></dns>",
        key=world.dave.key,
    )
    assert error_of(results(root, "dns/sync-with-template")[0])[0] == 1006


def test_zone_soa_get_and_set(xml: XmlClient, world: World) -> None:
    site = world.dave_ws
    soa = (
        "<soa><ttl>3600</ttl><refresh>7200</refresh><retry>600</retry>"
        "<expire>1209600</expire><minimum>300</minimum></soa>"
    )
    root = xml.call(f"<dns><set><filter><site-id>{site}</site-id></filter>{soa}</set></dns>")
    (ok,) = results(root, "dns/set")
    assert [(c.tag, c.text) for c in ok] == [("status", "ok"), ("site-id", str(site))]
    root = xml.call(f"<dns><get><filter><site-id>{site}</site-id></filter><soa/></get></dns>")
    (got,) = results(root, "dns/get")
    assert [c.tag for c in got] == ["status", "site-id", "soa", "zone_type", "zone_status"]
    assert [(c.tag, c.text) for c in got.find("soa")] == [  # type: ignore[union-attr]
        ("ttl", "3600"),
        ("refresh", "7200"),
        ("retry", "600"),
        ("expire", "1209600"),
        ("minimum", "300"),
    ]
    assert got.findtext("zone_status") == "enabled"
    # Without <soa/> only the type and status; without a filter, the template.
    root = xml.call("<dns><get><filter><site-name>dave.example</site-name></filter></get></dns>")
    assert [c.tag for c in results(root, "dns/get")[0]] == [
        "status",
        "site-id",
        "zone_type",
        "zone_status",
    ]
    xml.call("<dns><set><soa><ttl>600</ttl></soa></set></dns>")
    (tpl,) = results(xml.call("<dns><get/></dns>"), "dns/get")
    assert tpl.findtext("soa/ttl") == "600" and tpl.findtext("soa/refresh") == "10800"
    # Bad value 1019; unknown or foreign zone 1013; order fault 1014.
    bad = xml.call(
        f"<dns><set><filter><site-id>{site}</site-id></filter><soa><ttl>soon</ttl></soa></set></dns>"
    )
    assert error_of(results(bad, "dns/set")[0])[0] == 1019
    miss = xml.call(
        "<dns><set><filter><site-id>9999</site-id></filter><soa><ttl>1</ttl></soa></set></dns>"
    )
    assert error_of(results(miss, "dns/set")[0])[0] == 1013
    foreign = xml.call(
        f"<dns><get><filter><site-id>{site}</site-id></filter></get></dns>", key=world.carol.key
    )
    assert error_of(results(foreign, "dns/get")[0])[0] == 1013
    code, text = system_error(xml.call(f"<dns><set>{soa}<filter/></set></dns>"))
    assert code == 1014 and "filter" in text


def test_enable_and_disable_a_zone(xml: XmlClient, world: World, panel: Panel) -> None:
    site = world.carol_ws
    root = xml.call(
        f"<dns><disable><filter><site-id>{site}</site-id></filter></disable></dns>",
        key=world.carol.key,
    )
    assert results(root, "dns/disable")[0].findtext("status") == "ok"
    assert panel.dns_zones.lookup("www.carol.example.") is None
    found = panel.dns_zones.lookup("www.blog.carol.example.")
    assert found is not None and found[0].name == "blog.carol.example"
    (got,) = results(
        xml.call(f"<dns><get><filter><site-id>{site}</site-id></filter></get></dns>"), "dns/get"
    )
    assert got.findtext("zone_status") == "disabled"
    xml.call(f"<dns><enable><filter><site-id>{site}</site-id></filter></enable></dns>")
    assert panel.dns_zones.lookup("www.carol.example.") is not None
    refused = xml.call(
        f"<dns><disable><filter><site-id>{world.dave_ws}</site-id></filter></disable></dns>",
        key=world.carol.key,
    )
    assert error_of(results(refused, "dns/disable")[0])[0] == 1013
    assert panel.dns_zones.lookup("dave.example.") is not None


def test_record_writes_are_events(xml: XmlClient, world: World, panel: Panel) -> None:
    after = panel.events.last_id()
    rid = _add_rec(
        xml, f"<site-id>{world.dave_ws}</site-id><type>TXT</type><host>e</host><value>v</value>"
    ).findtext("id")
    xml.call(f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec></dns>")
    seen = [(e.action, e.obj_id, e.obj_name) for e in panel.events.list(after_id=after)]
    assert seen == [
        ("dns_zone_rec_create", int(rid or 0), "e.dave.example."),
        ("dns_zone_rec_delete", int(rid or 0), "e.dave.example."),
    ]


def test_template_and_soa_flags_take_content_as_plesk_does(xml: XmlClient, world: World) -> None:
    """Plesk types get_rec's and del_rec's ``template`` and get's ``soa`` anyType:
    ``<template>1</template>`` means what ``<template/>`` does."""
    bare = {r.findtext("id") for r in _get_rec(xml, "<filter/><template/>")}
    assert (
        bare
        and {r.findtext("id") for r in _get_rec(xml, "<filter/><template>1</template>")} == bare
    )
    root = xml.call(
        f"<dns><get><filter><site-id>{world.dave_ws}</site-id></filter><soa>true</soa></get></dns>"
    )
    (got,) = results(root, "dns/get")
    assert got.findtext("soa/ttl") and got.findtext("soa/minimum"), etree.tostring(got)
    gone = sorted(bare, key=int)[0]
    root = xml.call(
        f"<dns><del_rec><filter><id>{gone}</id></filter><template>yes</template></del_rec></dns>"
    )
    assert results(root, "dns/del_rec")[0].findtext("status") == "ok"
    assert gone not in {r.findtext("id") for r in _get_rec(xml, "<filter/><template/>")}
    # template and include-subdomains exclude each other, as in Plesk's schema.
    code, _text = system_error(
        xml.call("<dns><get_rec><filter/><template/><include-subdomains/></get_rec></dns>")
    )
    assert code == 1014


# -- the name server's side: switch, master servers, ACL, remote DNS, recursion ----------


def _ns(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    root = xml.call(f"<dns><{operation}>{inner}</{operation}></dns>", key=key)
    (found,) = results(root, f"dns/{operation}")
    return found


def _rcode(panel: Panel, name: str) -> int:
    return int(resolve(panel.dns_zones, dns.message.make_query(name, "SOA")).rcode())


def _zone_type(xml: XmlClient, site: int, key: str | None = None) -> str | None:
    got = _ns(xml, "get", f"<filter><site-id>{site}</site-id></filter>", key)
    return got.findtext("zone_type")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_slave_zone_is_not_answered_and_its_masters_are_kept(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    name, site, key = "blog.carol.example", world.carol_site, world.carol.key
    assert _rcode(panel, name) == dns.rcode.NOERROR
    assert _zone_type(xml, site) == "master"
    done = _ns(xml, "switch", f"<filter><site-id>{site}</site-id></filter>"
                "<zone_type>slave</zone_type>", key)  # fmt: skip
    assert [(c.tag, c.text) for c in done] == [("status", "ok"), ("site-id", str(site))]
    assert _zone_type(xml, site, key) == "slave"
    assert _rcode(panel, name) == dns.rcode.REFUSED
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR  # other zones still are
    # its primary servers, the customer's own
    made = _ns(xml, "add_master_server", f"<site-id>{site}</site-id>"
                "<ip_address>203.0.113.53</ip_address>", key)  # fmt: skip
    master = made.findtext("id")
    again = _ns(xml, "add_master_server", f"<site-id>{site}</site-id>"
                 "<ip_address>203.0.113.53</ip_address>")  # fmt: skip
    assert error_of(again)[0] == 1023
    found = _ns(xml, "get_master_server", f"<filter><site-id>{site}</site-id></filter>", key)
    assert [(c.tag, c.text) for c in found] == [
        ("status", "ok"), ("id", master), ("site-id", str(site)), ("ip_address", "203.0.113.53"),
    ]  # fmt: skip
    # dave sees none of them
    assert _ns(xml, "get_master_server", "<filter/>", world.dave.key).find("id") is None
    assert (
        _ns(xml, "del_master_server", f"<filter><id>{master}</id></filter>", key).findtext("status")
        == "ok"
    )
    assert _ns(xml, "get_master_server", "<filter/>").find("id") is None
    _ns(xml, "switch", f"<filter><site-id>{site}</site-id></filter><zone_type>master</zone_type>")
    assert _rcode(panel, name) == dns.rcode.NOERROR
    bad = _ns(xml, "switch", f"<filter><site-id>{site}</site-id></filter><zone_type>x</zone_type>")
    assert error_of(bad)[0] == 1019


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_remote_dns_silences_the_local_server(xml: XmlClient, panel: Panel, world: World) -> None:
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR
    assert _ns(xml, "get-status-remote-dns").findtext("enabled") == "false"
    all_ok(xml.call("<dns><enable-remote-dns/></dns>"), "dns/enable-remote-dns")
    assert _ns(xml, "get-status-remote-dns").findtext("enabled") == "true"
    assert _rcode(panel, "carol.example") == dns.rcode.REFUSED
    all_ok(xml.call("<dns><disable-remote-dns/></dns>"), "dns/disable-remote-dns")
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_acl_and_recursion_are_kept_and_shown(xml: XmlClient, world: World) -> None:
    assert _ns(xml, "get_acl").find("host") is None
    root = xml.call(
        "<dns><add_to_acl><filter><host>203.0.113.7</host><host>198.51.100.0/24</host>"
        "<host>not a host!</host></filter></add_to_acl></dns>"
    )
    added = results(root, "dns/add_to_acl")
    assert [r.findtext("status") for r in added] == ["ok", "ok", "error"]
    assert error_of(added[2])[0] == 1019
    assert [h.text for h in _ns(xml, "get_acl").findall("host")] == [
        "198.51.100.0/24",
        "203.0.113.7",
    ]
    assert error_of(_ns(xml, "add_to_acl", "<filter><host>203.0.113.7</host></filter>"))[0] == 1023
    _ns(xml, "remove_from_acl", "<filter><host>203.0.113.7</host></filter>")
    assert [h.text for h in _ns(xml, "get_acl").findall("host")] == ["198.51.100.0/24"]
    # recursion: the supported values, one set, and a value outside them refused
    supported = [v.text for v in _ns(xml, "get-supported-recursion").findall("value")]
    assert supported == ["on", "off", "local", "localnets"]
    assert _ns(xml, "get-recursion").findtext("value") == "localnets"
    _ns(xml, "set-recursion", "<value>off</value>")
    assert _ns(xml, "get-recursion").findtext("value") == "off"
    assert error_of(_ns(xml, "set-recursion", "<value>any</value>"))[0] == 1019
    assert error_of(_ns(xml, "get-recursion", key=world.carol.key))[0] == 1006


# -- every operation: the table's rows (operation_table.py) -------------------------------


CAROL_ZONE = "<filter><site-id>{carol_ws}</site-id></filter>"
NOWHERE = "<filter><site-id>999999</site-id></filter>"
TXT = "<type>TXT</type><host>t</host><value>v</value>"
ACL = "<filter><host>203.0.113.7</host></filter>"
ADD_ACL = f"<dns><add_to_acl>{ACL}</add_to_acl></dns>"
SITE = "<filter><site-id>{carol_site}</site-id></filter>"
MASTER = "<site-id>{carol_site}</site-id><ip_address>203.0.113.53</ip_address>"
ADD_MASTER = f"<dns><add_master_server>{MASTER}</add_master_server></dns>"


def _empty(operation: str) -> Case:
    """An operation without children, the administrator's: a child is refused, naming it."""
    return Case(
        "dns", operation, "", f"<{operation}><x/></{operation}>", operation, None, "", "rick"
    )


CASES = [
    Case(
        "dns",
        "get_rec",
        CAROL_ZONE,
        f"<get_rec><template/>{CAROL_ZONE}</get_rec>",
        "template",
        NOWHERE,
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "dns",
        "add_rec",
        f"<site-id>{{carol_ws}}</site-id>{TXT}",
        "<add_rec><type>TXT</type><site-id>{carol_ws}</site-id><host>t</host><value>v</value>"
        "</add_rec>",
        "site-id",
        f"<site-id>999999</site-id>{TXT}",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "dns",
        "del_rec",
        "<filter><id>{made}</id></filter>",
        "<del_rec><template/><filter><id>{made}</id></filter></del_rec>",
        "template",
        "<filter><id>987654</id></filter>",
        "DNS record does not exist",
        "dave",
        1013,
        before=f"<dns><add_rec><site-id>{{carol_ws}}</site-id>{TXT}</add_rec></dns>",
    ),
    Case(
        "dns",
        "get",
        f"{CAROL_ZONE}<soa/>",
        f"<get><soa/>{CAROL_ZONE}</get>",
        "filter",
        NOWHERE,
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "dns",
        "set",
        f"{CAROL_ZONE}<soa><ttl>3600</ttl></soa>",
        f"<set><soa><ttl>3600</ttl></soa>{CAROL_ZONE}</set>",
        "filter",
        f"{NOWHERE}<soa><ttl>3600</ttl></soa>",
        "Site does not exist",
        "dave",
        1013,
    ),
    *(
        Case(
            "dns",
            operation,
            CAROL_ZONE,
            f"<{operation}>{CAROL_ZONE}{CAROL_ZONE}</{operation}>",
            "filter",
            NOWHERE,
            "Site does not exist",
            "dave",
            1013,
        )
        for operation in ("enable", "disable")
    ),
    Case(
        "dns",
        "sync-with-template",
        CAROL_ZONE,
        "<sync-with-template><filter><used-ip>127.0.0.1</used-ip><site-id>{carol_ws}</site-id>"
        "</filter></sync-with-template>",
        "site-id",
        NOWHERE,
        "Site does not exist",
        "carol",
    ),
    Case("dns", "get_acl", ACL, "<get_acl>" + ACL + ACL + "</get_acl>", "filter", None, "",
         "rick", before=ADD_ACL),
    Case("dns", "add_to_acl", ACL, "<add_to_acl><host>a</host></add_to_acl>", "host", None, "",
         "carol"),
    Case("dns", "remove_from_acl", ACL, "<remove_from_acl><x/></remove_from_acl>", "x",
         "<filter><host>198.51.100.9</host></filter>",
         "The host 198.51.100.9 is not in the ACL.", "dave", before=ADD_ACL),
    Case("dns", "switch", SITE + "<zone_type>slave</zone_type>",
         "<switch><zone_type>slave</zone_type>" + SITE + "</switch>", "zone_type",
         "<filter><site-id>99999</site-id></filter><zone_type>slave</zone_type>",
         "Site does not exist", "dave", denied=1013),
    Case("dns", "add_master_server", MASTER,
         "<add_master_server><ip_address>203.0.113.53</ip_address>"
         "<site-id>{carol_site}</site-id></add_master_server>", "ip_address",
         "<site-id>99999</site-id><ip_address>203.0.113.53</ip_address>",
         "Site does not exist", "dave", denied=1013),
    Case("dns", "get_master_server", "<filter><id>{made}</id></filter>",
         "<get_master_server><filter><id>{made}</id><site-id>{carol_site}</site-id></filter>"
         "</get_master_server>", "site-id", "<filter><id>99999</id></filter>",
         "Master DNS server does not exist", "dave", denied=1013, before=ADD_MASTER),
    Case("dns", "del_master_server", "<filter><id>{made}</id></filter>",
         "<del_master_server/>", "del_master_server", "<filter><id>99999</id></filter>",
         "Master DNS server does not exist", "dave", denied=1013, before=ADD_MASTER),
    *(_empty(op) for op in ("enable-remote-dns", "disable-remote-dns", "get-status-remote-dns",
                            "get-recursion", "get-supported-recursion")),
    Case("dns", "set-recursion", "<value>local</value>",
         "<set-recursion><value>on</value><value>off</value></set-recursion>", "value", None,
         "", "carol"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
