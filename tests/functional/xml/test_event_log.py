"""Operator event_log: what a flow did, in order, without secrets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    only,
)


def _events(xml: XmlClient, inner: str = "") -> list[etree._Element]:
    root = xml.call(f"<event_log><get_events>{inner}</get_events></event_log>")
    return ok(only(root, "event_log/get_events")).findall("event")


def _last_id(xml: XmlClient) -> int:
    root = xml.call("<event_log><get-last-id/></event_log>")
    return int(ok(only(root, "event_log/get-last-id")).findtext("id") or 0)


def test_a_flow_is_logged_in_order_without_secrets(xml: XmlClient) -> None:
    start = _last_id(xml)
    add_reseller(xml, "res1")
    add_customer(xml, "c1", owner="res1")
    xml.call(
        "<customer><set><filter><login>c1</login></filter><values><gen_info>"
        "<pname>Renamed</pname><passwd>new-secret-pw-1</passwd></gen_info></values></set></customer>"
    )
    xml.call("<reseller><del><filter><login>res1</login></filter></del></reseller>")
    events = _events(xml, f"<lastId>{start}</lastId>")
    assert [(e.findtext("type"), e.findtext("class")) for e in events] == [
        ("reseller_create", "reseller"),
        ("client_create", "client"),
        ("client_update", "client"),
        ("client_delete", "client"),
        ("reseller_delete", "reseller"),
    ]
    first = events[0]
    # Plesk's output schema of an event, and nothing else (no obj_name, old, new)
    assert [c.tag for c in first] == ["id", "type", "time", "class", "obj_id", "user", "host"]
    assert first.findtext("user") == "admin"
    packet = etree.tostring(xml.call("<event_log><get_events/></event_log>"))
    assert b"new-secret-pw-1" not in packet and b"pw-c1-1234" not in packet
    assert _last_id(xml) == int(events[-1].findtext("id") or 0)


def test_get_events_filters_by_type_and_class(xml: XmlClient) -> None:
    add_reseller(xml, "res1")
    add_customer(xml, "c1")
    c1 = only(
        xml.call(
            "<customer><get><filter><login>c1</login></filter><dataset><gen_info/>"
            "</dataset></get></customer>"
        ),
        "customer/get",
    ).findtext("id")
    created = _events(xml, "<events><type>client_create</type><class>client</class></events>")
    assert [e.findtext("obj_id") for e in created] == [c1]
    short = _events(xml, "<events><type>create</type><class>reseller</class></events>")
    assert [e.findtext("class") for e in short] == ["reseller"]


def test_get_lists_every_event_and_flush_empties_the_log(xml: XmlClient) -> None:
    add_customer(xml, "c1")
    root = xml.call(
        "<event_log><get><flush_selected_range>true</flush_selected_range></get></event_log>"
    )
    listed = ok(only(root, "event_log/get")).findall("event")
    assert [c.tag for c in listed[-1]] == ["type", "time", "class", "id"]
    assert listed[-1].findtext("type") == "client_create"
    root = xml.call("<event_log><get/></event_log>")
    assert ok(only(root, "event_log/get")).findall("event") == []


def test_order_fault_and_rights(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    code, text = fault(
        xml,
        "<event_log><get_events><events><type>x</type><class>y</class></events>"
        "<lastId>1</lastId></get_events></event_log>",
    )
    assert code == 1014 and "'lastId'" in text
    add_reseller(xml, "res1")
    root = xml.call("<event_log><get-last-id/></event_log>", key=key_for("res1"))
    assert error_of(only(root, "event_log/get-last-id"))[0] == 1006


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case("event_log", "get", "", "<get><x/></get>", "x", None, "", "rick"),
    Case(
        "event_log",
        "get_events",
        "<lastId>0</lastId>",
        "<get_events><events><type>x</type><class>y</class></events><lastId>1</lastId>"
        "</get_events>",
        "lastId",
        None,
        "",
        "rick",
    ),
    Case(
        "event_log",
        "get-last-id",
        "",
        "<get-last-id><x/></get-last-id>",
        "get-last-id",
        None,
        "",
        "rick",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
