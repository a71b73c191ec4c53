"""Operator customer: get-domain-list, convert-to-reseller, change-owner (tier 1)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_tier1.tier1 import (
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    one,
)


def _op(
    xml: XmlClient, op: str, flt: str, extra: str = "", key: str | None = None
) -> etree._Element:
    root = xml.call(f"<customer><{op}><filter>{flt}</filter>{extra}</{op}></customer>", key=key)
    return one(root, f"customer/{op}")


def test_get_domain_list_lists_the_customers_domains(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    cid = add_customer(xml, "c1")
    c1 = panel.accounts.get(cid)
    ws = panel.domains.create(admin, name="c1.example", owner=c1)
    panel.domains.create(admin, name="blog.c1.example", base_domain=ws)
    panel.domains.create(admin, name="other.example")
    result = ok(_op(xml, "get-domain-list", "<login>c1</login>"))
    assert result.findtext("id") == str(cid)
    rows = [
        (d.findtext("name"), d.findtext("type"), d.findtext("main"))
        for d in result.findall("domains/domain")
    ]
    assert rows == [("c1.example", "webspace", "true"), ("blog.c1.example", "site", "false")]


def test_convert_to_reseller(xml: XmlClient, panel: Panel) -> None:
    cid = add_customer(xml, "c1")
    ok(_op(xml, "convert-to-reseller", f"<id>{cid}</id>"))
    assert panel.accounts.get(cid).type == "reseller"
    assert [e.action for e in panel.events.list(obj_class="reseller")] == ["reseller_update"]
    # it now answers as a reseller, no longer as a customer
    assert error_of(_op(xml, "get-domain-list", f"<id>{cid}</id>"))[1] == "Client does not exist"


def test_change_owner_moves_the_customer_and_its_webspaces_ip(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    rid = add_reseller(xml, "res1")
    cid = add_customer(xml, "c1")
    panel.ips.add(admin, address="192.0.2.90", netmask="24")
    panel.ips.pool_put(admin, panel.accounts.get(rid), "192.0.2.90")
    panel.domains.create(admin, name="c1.example", owner=panel.accounts.get(cid))
    # 127.0.0.1 is not in res1's pool: refused until an address of the pool is given
    refused = _op(
        xml, "change-owner", "<login>c1</login>", "<new-owner-login>res1</new-owner-login>"
    )
    assert error_of(refused)[0] == 1019
    assert panel.accounts.get(cid).owner_id != rid
    ok(
        _op(
            xml,
            "change-owner",
            "<login>c1</login>",
            "<new-owner-login>res1</new-owner-login><ipV4-address>192.0.2.90</ipV4-address>",
        )
    )
    assert panel.accounts.get(cid).owner_login == "res1"
    assert panel.domains.by_name(admin, "c1.example").ip_address == "192.0.2.90"


def test_change_owner_to_an_unknown_owner_is_1015(xml: XmlClient) -> None:
    add_customer(xml, "c1")
    result = _op(
        xml, "change-owner", "<login>c1</login>", "<new-owner-login>ghost</new-owner-login>"
    )
    assert error_of(result)[0] == 1015


def test_elements_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    code, text = fault(
        xml,
        "<customer><change-owner><new-owner-login>admin</new-owner-login>"
        "<filter><login>c1</login></filter></change-owner></customer>",
    )
    assert code == 1014 and "'new-owner-login'" in text
    # Plesk spells the addresses ipV4-address / ipV6-address
    code, text = fault(
        xml,
        "<customer><change-owner><filter><login>c1</login></filter><new-owner-login>admin"
        "</new-owner-login><ipv4-address>127.0.0.1</ipv4-address></change-owner></customer>",
    )
    assert code == 1014 and "'ipv4-address'" in text


def test_an_unknown_customer_is_1013(xml: XmlClient) -> None:
    result = _op(xml, "get-domain-list", "<id>4242</id>")
    assert error_of(result) == (1013, "Client does not exist")
    assert result.findtext("id") == "4242"


def test_callers_without_rights(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    add_reseller(xml, "res1")
    add_customer(xml, "mine", owner="res1")
    add_customer(xml, "theirs")
    res1 = key_for("res1")
    ok(_op(xml, "get-domain-list", "<login>mine</login>", key=res1))
    assert error_of(_op(xml, "get-domain-list", "<login>theirs</login>", key=res1))[0] == 1013
    assert error_of(_op(xml, "convert-to-reseller", "<login>mine</login>", key=res1))[0] == 1006
    moved = _op(
        xml,
        "change-owner",
        "<login>mine</login>",
        "<new-owner-login>admin</new-owner-login>",
        key=res1,
    )
    assert error_of(moved)[0] == 1006
    mine = key_for("mine")
    ok(_op(xml, "get-domain-list", "<login>mine</login>", key=mine))
    assert error_of(_op(xml, "get-domain-list", "<login>theirs</login>", key=mine))[0] == 1013


def test_get_stat_has_every_element_of_plesks_client_stat(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    cid = add_customer(xml, "c1")
    panel.domains.create(admin, name="c1.example", owner=panel.accounts.get(cid))
    panel.domains.create(
        admin, name="off.example", owner=panel.accounts.get(cid), status="suspended"
    )
    root = xml.call(
        "<customer><get><filter><login>c1</login></filter>"
        "<dataset><gen_info/><stat/></dataset></get></customer>"
    )
    result = ok(one(root, "customer/get"))
    stat = result.find("data/stat")
    assert stat is not None
    assert [c.tag for c in stat] == [
        "active_domains", "subdomains", "disk_space", "postboxs", "redirects",
        "mail_groups", "mail_resps", "mail_lists", "web_users", "data_bases",
        "webapps", "traffic", "traffic_prevday",
    ]  # fmt: skip
    assert stat.findtext("active_domains") == "1"


def test_dataset_flags_take_any_content_as_plesks_untyped_ones_do(xml: XmlClient) -> None:
    add_customer(xml, "c1")
    result = ok(_op(xml, "get", "<login>c1</login>", "<dataset><gen_info>1</gen_info></dataset>"))
    assert result.findtext("data/gen_info/login") == "c1"


def test_set_guid_is_an_empty_element_and_a_value_is_1014(xml: XmlClient, panel: Panel) -> None:
    cid = add_customer(xml, "c1")
    before = panel.accounts.get(cid)
    assert before is not None
    code, text = fault(
        xml,
        "<customer><set><filter><login>c1</login></filter><values><gen_info>"
        f"<guid>{before.guid}</guid></gen_info></values></set></customer>",
    )
    assert code == 1014 and "'guid'" in text
    assert panel.accounts.get(cid) == before


def test_convert_to_reseller_onto_a_reseller_plan(xml: XmlClient, panel: Panel) -> None:
    add_customer(xml, "c1")
    ok(
        one(
            xml.call("<reseller-plan><add><name>RP</name></add></reseller-plan>"),
            "reseller-plan/add",
        )
    )
    ok(
        _op(
            xml,
            "convert-to-reseller",
            "<login>c1</login>",
            "<reseller-plan-name>RP</reseller-plan-name>",
        )
    )
    account = panel.accounts.by_login("c1")
    assert account is not None and account.type == "reseller"
    plan = panel.resellers.plan(account)
    assert plan is not None and plan.name == "RP"


def test_change_owner_to_an_unknown_plan_moves_nothing(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    cid = add_customer(xml, "c1")
    add_reseller(xml, "res1")
    result = _op(
        xml,
        "change-owner",
        "<login>c1</login>",
        "<new-owner-login>res1</new-owner-login><plan-name>Nope</plan-name>",
    )
    assert error_of(result) == (1013, "Service plan does not exist")
    moved = panel.accounts.get(cid)
    assert moved is not None and moved.owner_login == "admin"
