"""Operator dns, the name server's side: ACL, switch, master servers, remote DNS and
recursion (a row each, from tests/functional/xml/rows.py), and the flows: a zone
switched to slave is no longer answered by the DNS listener (nor any zone with remote
DNS on) and dns/get shows its type; the ACL and recursion are kept and shown."""

from __future__ import annotations

import dns.message
import dns.rcode
import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.dnsserver import resolve
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

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
    Case("dns", "get_master_server", "<filter><id>{b0}</id></filter>",
         "<get_master_server><filter><id>{b0}</id><site-id>{carol_site}</site-id></filter>"
         "</get_master_server>", "site-id", "<filter><id>99999</id></filter>",
         "Master DNS server does not exist", "dave", denied=1013, before=ADD_MASTER),
    Case("dns", "del_master_server", "<filter><id>{b0}</id></filter>",
         "<del_master_server/>", "del_master_server", "<filter><id>99999</id></filter>",
         "Master DNS server does not exist", "dave", denied=1013, before=ADD_MASTER),
    *(_empty(op) for op in ("enable-remote-dns", "disable-remote-dns", "get-status-remote-dns",
                            "get-recursion", "get-supported-recursion")),
    Case("dns", "set-recursion", "<value>local</value>",
         "<set-recursion><value>on</value><value>off</value></set-recursion>", "value", None,
         "", "carol"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def _one(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    root = xml.call(f"<dns><{operation}>{inner}</{operation}></dns>", key=key)
    (found,) = results(root, f"dns/{operation}")
    return found


def _rcode(panel: Panel, name: str) -> int:
    return int(resolve(panel.dns_zones, dns.message.make_query(name, "SOA")).rcode())


def _zone_type(xml: XmlClient, site: int, key: str | None = None) -> str | None:
    got = _one(xml, "get", f"<filter><site-id>{site}</site-id></filter>", key)
    return got.findtext("zone_type")


def test_a_slave_zone_is_not_answered_and_its_masters_are_kept(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    name, site, key = "blog.carol.example", world.carol_site, world.carol.key
    assert _rcode(panel, name) == dns.rcode.NOERROR
    assert _zone_type(xml, site) == "master"
    done = _one(xml, "switch", f"<filter><site-id>{site}</site-id></filter>"
                "<zone_type>slave</zone_type>", key)  # fmt: skip
    assert [(c.tag, c.text) for c in done] == [("status", "ok"), ("site-id", str(site))]
    assert _zone_type(xml, site, key) == "slave"
    assert _rcode(panel, name) == dns.rcode.REFUSED
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR  # other zones still are
    # its primary servers, the customer's own
    made = _one(xml, "add_master_server", f"<site-id>{site}</site-id>"
                "<ip_address>203.0.113.53</ip_address>", key)  # fmt: skip
    master = made.findtext("id")
    again = _one(xml, "add_master_server", f"<site-id>{site}</site-id>"
                 "<ip_address>203.0.113.53</ip_address>")  # fmt: skip
    assert error_of(again)[0] == 1023
    found = _one(xml, "get_master_server", f"<filter><site-id>{site}</site-id></filter>", key)
    assert [(c.tag, c.text) for c in found] == [
        ("status", "ok"), ("id", master), ("site-id", str(site)), ("ip_address", "203.0.113.53"),
    ]  # fmt: skip
    # dave sees none of them
    assert _one(xml, "get_master_server", "<filter/>", world.dave.key).find("id") is None
    assert (
        _one(xml, "del_master_server", f"<filter><id>{master}</id></filter>", key).findtext(
            "status"
        )
        == "ok"
    )
    assert _one(xml, "get_master_server", "<filter/>").find("id") is None
    _one(xml, "switch", f"<filter><site-id>{site}</site-id></filter><zone_type>master</zone_type>")
    assert _rcode(panel, name) == dns.rcode.NOERROR
    bad = _one(xml, "switch", f"<filter><site-id>{site}</site-id></filter><zone_type>x</zone_type>")
    assert error_of(bad)[0] == 1019


def test_remote_dns_silences_the_local_server(xml: XmlClient, panel: Panel, world: World) -> None:
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR
    assert _one(xml, "get-status-remote-dns").findtext("enabled") == "false"
    ok(xml.call("<dns><enable-remote-dns/></dns>"), "dns/enable-remote-dns")
    assert _one(xml, "get-status-remote-dns").findtext("enabled") == "true"
    assert _rcode(panel, "carol.example") == dns.rcode.REFUSED
    ok(xml.call("<dns><disable-remote-dns/></dns>"), "dns/disable-remote-dns")
    assert _rcode(panel, "carol.example") == dns.rcode.NOERROR


def test_acl_and_recursion_are_kept_and_shown(xml: XmlClient, world: World) -> None:
    assert _one(xml, "get_acl").find("host") is None
    root = xml.call(
        "<dns><add_to_acl><filter><host>203.0.113.7</host><host>198.51.100.0/24</host>"
        "<host>not a host!</host></filter></add_to_acl></dns>"
    )
    added = results(root, "dns/add_to_acl")
    assert [r.findtext("status") for r in added] == ["ok", "ok", "error"]
    assert error_of(added[2])[0] == 1019
    assert [h.text for h in _one(xml, "get_acl").findall("host")] == [
        "198.51.100.0/24",
        "203.0.113.7",
    ]
    assert error_of(_one(xml, "add_to_acl", "<filter><host>203.0.113.7</host></filter>"))[0] == 1023
    _one(xml, "remove_from_acl", "<filter><host>203.0.113.7</host></filter>")
    assert [h.text for h in _one(xml, "get_acl").findall("host")] == ["198.51.100.0/24"]
    # recursion: the supported values, one set, and a value outside them refused
    supported = [v.text for v in _one(xml, "get-supported-recursion").findall("value")]
    assert supported == ["on", "off", "local", "localnets"]
    assert _one(xml, "get-recursion").findtext("value") == "localnets"
    _one(xml, "set-recursion", "<value>off</value>")
    assert _one(xml, "get-recursion").findtext("value") == "off"
    assert error_of(_one(xml, "set-recursion", "<value>any</value>"))[0] == 1019
    assert error_of(_one(xml, "get-recursion", key=world.carol.key))[0] == 1006
