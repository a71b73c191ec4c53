"""Operator ip: the server's IP pool."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from panelkey.core.domains.ips import host_addresses
from panelkey.core.panel import Panel
from tests import factories
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    add_reseller,
    error_of,
    fault,
    ok,
    only,
    tags,
)

ADD = (
    "<ip><add><ip_address>{a}</ip_address><netmask>255.255.255.0</netmask>"
    "<type>{t}</type><interface>eth9</interface></add></ip>"
)


def _addresses(xml: XmlClient, key: str | None = None) -> dict[str, dict[str, str]]:
    result = ok(only(xml.call("<ip><get/></ip>", key=key), "ip/get"))
    return {
        info.findtext("ip_address") or "": {c.tag: c.text or "" for c in info}
        for info in result.findall("addresses/ip_info")
    }


def test_the_pool_starts_with_the_hosts_own_addresses(xml: XmlClient) -> None:
    listed = _addresses(xml)
    assert listed["127.0.0.1"] == {
        "ip_address": "127.0.0.1",
        "netmask": "255.0.0.0",
        "type": "shared",
        "interface": "lo",
    }
    assert set(listed) == {a for a, _, _ in host_addresses()}


def test_add_set_del_round_trip(xml: XmlClient, panel: Panel) -> None:
    added = ok(only(xml.call(ADD.format(a="192.0.2.50", t="shared")), "ip/add"))
    assert tags(added) == ["status", "ip_address"]
    info = _addresses(xml)["192.0.2.50"]
    assert [info["netmask"], info["type"], info["interface"]] == ["255.255.255.0", "shared", "eth9"]
    root = xml.call(
        "<ip><set><filter><ip_address>192.0.2.50</ip_address></filter>"
        "<type>exclusive</type></set></ip>"
    )
    ok(only(root, "ip/set"))
    assert _addresses(xml)["192.0.2.50"]["type"] == "exclusive"
    ok(
        only(
            xml.call("<ip><del><filter><ip_address>192.0.2.50</ip_address></filter></del></ip>"),
            "ip/del",
        )
    )
    assert "192.0.2.50" not in _addresses(xml)
    assert [e.action for e in panel.events.list(obj_class="ip_address")] == [
        "ip_address_create",
        "ip_address_update",
        "ip_address_delete",
    ]


def test_a_taken_address_is_1007_and_a_bad_one_1019(xml: XmlClient) -> None:
    ok(only(xml.call(ADD.format(a="192.0.2.51", t="shared")), "ip/add"))
    assert error_of(only(xml.call(ADD.format(a="192.0.2.51", t="shared")), "ip/add"))[0] == 1007
    assert error_of(only(xml.call(ADD.format(a="192.0.2.999", t="shared")), "ip/add"))[0] == 1019


def test_add_takes_its_children_in_any_order_as_plesk_does(xml: XmlClient) -> None:
    # Plesk's ip/add is an xs:all: netmask before ip_address is a good packet
    root = xml.call(
        "<ip><add><interface>eth0</interface><netmask>255.255.255.0</netmask>"
        "<type>shared</type><ip_address>192.0.2.9</ip_address></add></ip>"
    )
    ok(only(root, "ip/add"))
    assert _addresses(xml)["192.0.2.9"]["netmask"] == "255.255.255.0"


def test_an_unknown_repeated_or_missing_child_of_add_is_1014_naming_it(xml: XmlClient) -> None:
    code, text = fault(
        xml,
        "<ip><add><netmask>255.255.255.0</netmask><x/><ip_address>192.0.2.9</ip_address>"
        "<type>shared</type><interface>eth0</interface></add></ip>",
    )
    assert code == 1014 and "'x'" in text
    code, text = fault(
        xml,
        "<ip><add><netmask>255.255.255.0</netmask><netmask>255.255.255.0</netmask>"
        "<ip_address>192.0.2.9</ip_address><type>shared</type><interface>eth0</interface>"
        "</add></ip>",
    )
    assert code == 1014 and "'netmask'" in text
    code, text = fault(
        xml,
        "<ip><add><netmask>255.255.255.0</netmask><ip_address>192.0.2.9</ip_address>"
        "<interface>eth0</interface></add></ip>",
    )
    assert code == 1014 and "'add'" in text
    assert "192.0.2.9" not in _addresses(xml)


def test_an_unknown_address_is_1013(xml: XmlClient) -> None:
    root = xml.call("<ip><del><filter><ip_address>198.51.100.7</ip_address></filter></del></ip>")
    assert error_of(only(root, "ip/del")) == (1013, "IP address does not exist")


def test_an_address_in_use_cannot_be_deleted(xml: XmlClient, panel: Panel) -> None:
    ok(only(xml.call(ADD.format(a="192.0.2.60", t="shared")), "ip/add"))
    factories.webspace(panel, "on-ip.example", ip_address="192.0.2.60")
    root = xml.call("<ip><del><filter><ip_address>192.0.2.60</ip_address></filter></del></ip>")
    assert error_of(only(root, "ip/del"))[0] == 1023
    assert "192.0.2.60" in _addresses(xml)


def test_a_reseller_sees_its_share_and_may_not_change_the_pool(
    xml: XmlClient, key_for: Callable[[str], str]
) -> None:
    ok(only(xml.call(ADD.format(a="192.0.2.70", t="shared")), "ip/add"))
    rid = add_reseller(xml, "res1")
    ok(
        only(
            xml.call(
                f"<reseller><ippool-add-ip><reseller-id>{rid}</reseller-id><ip>"
                "<ip-address>192.0.2.70</ip-address><ip-type>exclusive</ip-type></ip>"
                "</ippool-add-ip></reseller>"
            ),
            "reseller/ippool-add-ip",
        )
    )
    key = key_for("res1")
    assert _addresses(xml, key) == {
        "192.0.2.70": {
            "ip_address": "192.0.2.70",
            "netmask": "255.255.255.0",
            "type": "exclusive",
            "interface": "eth9",
        }
    }
    root = xml.call(ADD.format(a="192.0.2.71", t="shared"), key=key)
    assert error_of(only(root, "ip/add"))[0] == 1006
    root = xml.call(
        "<ip><del><filter><ip_address>192.0.2.70</ip_address></filter></del></ip>", key=key
    )
    assert error_of(only(root, "ip/del"))[0] == 1006


def test_get_takes_any_content_as_plesks_untyped_get_does(xml: XmlClient) -> None:
    # Plesk's ip/get has no type (xs:anyType): clients that send `<get>1</get>` are answered
    root = xml.call("<ip><get>1<anything/></get></ip>")
    assert "127.0.0.1" in {
        i.findtext("ip_address") for i in ok(only(root, "ip/get")).iter("ip_info")
    }


def test_a_service_node_needs_one_non_empty_reference(xml: XmlClient) -> None:
    for node in ("", "<id/>", "<id>a</id><external-id>b</external-id>", "<name>n</name>"):
        code, text = fault(
            xml,
            "<ip><add><ip_address>192.0.2.91</ip_address><netmask>255.255.255.0</netmask>"
            f"<type>shared</type><interface>eth0</interface><service-node>{node}</service-node>"
            "</add></ip>",
        )
        assert code == 1014, node
    assert "192.0.2.91" not in _addresses(xml)


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case("ip", "get", "", "<get/><x/>", "x", None, "", None),
    Case(
        "ip",
        "add",
        "<ip_address>192.0.2.20</ip_address><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface>",
        "<add><ip_address>192.0.2.20</ip_address><x/><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface></add>",
        "x",
        None,
        "",
        "rick",
    ),
    Case(
        "ip",
        "set",
        "<filter><ip_address>192.0.2.10</ip_address></filter><type>exclusive</type>",
        "<set><type>exclusive</type><filter><ip_address>192.0.2.10</ip_address></filter></set>",
        "type",
        "<filter><ip_address>198.51.100.77</ip_address></filter><type>shared</type>",
        "IP address does not exist",
        "rick",
    ),
    Case(
        "ip",
        "del",
        "<filter><ip_address>192.0.2.11</ip_address></filter>",
        "<del><filter><ip_address>192.0.2.11</ip_address></filter><x/></del>",
        "x",
        "<filter><ip_address>198.51.100.77</ip_address></filter>",
        "IP address does not exist",
        "rick",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
