"""Operator dns: get_rec, add_rec, del_rec over the zones, with rights."""

from __future__ import annotations

from lxml import etree

from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error
from tests.functional.xml_domains.conftest import World


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


def test_a_reseller_reaches_its_customers_zones(xml: XmlClient, world: World) -> None:
    rick = world.reseller.key
    added = _add(xml, world.carol_site, "<type>TXT</type><host>r</host><value>v</value>", rick)
    assert added.findtext("status") == "ok"
    (r,) = _records(xml, f"<id>{added.findtext('id')}</id>", world.carol.key)
    assert _data(r)[1] == "r.blog.carol.example."
    (miss,) = _records(xml, f"<site-id>{world.dave_ws}</site-id>", rick)
    assert error_of(miss)[0] == 1013


def test_del_rec_by_site_id_empties_the_zone(xml: XmlClient, world: World) -> None:
    before = len(_records(xml, f"<site-id>{world.dave_ws}</site-id>"))
    root = xml.call(
        f"<dns><del_rec><filter><site-id>{world.dave_ws}</site-id></filter></del_rec></dns>"
    )
    assert [r.findtext("status") for r in results(root, "dns/del_rec")] == ["ok"] * before
    assert _records(xml, f"<site-id>{world.dave_ws}</site-id>")[0].find("id") is None


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
