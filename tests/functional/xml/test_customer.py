"""Operator customer: add, get, set, del, get-domain-list, convert-to-reseller,
change-owner; who reaches whom."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests import factories
from tests.factories import key_of
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    only,
    results,
)


def _op(
    xml: XmlClient, op: str, flt: str, extra: str = "", key: str | None = None
) -> etree._Element:
    root = xml.call(f"<customer><{op}><filter>{flt}</filter>{extra}</{op}></customer>", key=key)
    return only(root, f"customer/{op}")


def test_get_domain_list_lists_the_customers_domains(xml: XmlClient, panel: Panel) -> None:
    cid = add_customer(xml, "c1")
    c1 = panel.accounts.get(cid)
    ws = factories.webspace(panel, "c1.example", owner=c1)
    factories.site(panel, "blog.c1.example", ws)
    factories.webspace(panel, "other.example")
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
    factories.webspace(panel, "c1.example", owner=panel.accounts.get(cid))
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


def test_get_stat_has_every_element_of_plesks_client_stat(xml: XmlClient, panel: Panel) -> None:
    cid = add_customer(xml, "c1")
    factories.webspace(panel, "c1.example", owner=panel.accounts.get(cid))
    factories.webspace(panel, "off.example", owner=panel.accounts.get(cid), status="suspended")
    root = xml.call(
        "<customer><get><filter><login>c1</login></filter>"
        "<dataset><gen_info/><stat/></dataset></get></customer>"
    )
    result = ok(only(root, "customer/get"))
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
        only(
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


# -- add, get, set, del, and who reaches whom ---------------------------------------------


def _add(xml: XmlClient, login: str, extra: str = "", key: str | None = None) -> etree._Element:
    root = xml.call(
        "<customer><add><gen_info><cname>Acme</cname><pname>John Doe</pname>"
        f"<login>{login}</login><passwd>pw-{login}-123</passwd>{extra}"
        "</gen_info></add></customer>",
        key=key,
    )
    (result,) = results(root, "customer/add")
    return result


def _get(xml: XmlClient, flt: str = "", key: str | None = None) -> list[etree._Element]:
    root = xml.call(
        f"<customer><get><filter>{flt}</filter><dataset><gen_info/></dataset></get></customer>",
        key=key,
    )
    return results(root, "customer/get")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_add_answers_id_and_guid(xml: XmlClient, panel: Panel) -> None:
    result = _add(
        xml,
        "jdoe",
        "<status>0</status><email>j@example.com</email>"
        "<country>CA</country><external-id>ext-1</external-id>",
    )
    assert [c.tag for c in result] == ["status", "id", "guid"]
    account = panel.accounts.by_login("jdoe")
    assert account is not None
    assert result.findtext("id") == str(account.id)
    assert result.findtext("guid") == account.guid
    assert (account.name, account.company, account.email, account.owner_login) == (
        "John Doe",
        "Acme",
        "j@example.com",
        "admin",
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_taken_login_is_1007(xml: XmlClient) -> None:
    _add(xml, "jdoe")
    assert error_of(_add(xml, "JDOE"))[0] == 1007


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_invalid_values_are_1019(xml: XmlClient, panel: Panel) -> None:
    assert error_of(_add(xml, "bad login"))[0] == 1019
    assert error_of(_add(xml, "jdoe", "<email>not-an-email</email>"))[0] == 1019
    assert error_of(_add(xml, "jdoe2", "<status>3</status>"))[0] == 1019
    assert panel.accounts.by_login("jdoe") is None


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_get_answers_gen_info_in_order(xml: XmlClient, panel: Panel) -> None:
    _add(xml, "jdoe", "<phone>555</phone><description>vip</description>")
    (result,) = _get(xml, "<login>jdoe</login>")
    account = panel.accounts.by_login("jdoe")
    assert account is not None
    assert [c.tag for c in result] == ["status", "filter-id", "id", "data"]
    assert result.findtext("filter-id") == "jdoe"
    gen_info = result.find("data/gen_info")
    assert gen_info is not None
    assert [c.tag for c in gen_info] == [
        "cr_date",
        "cname",
        "pname",
        "login",
        "status",
        "phone",
        "fax",
        "email",
        "address",
        "city",
        "state",
        "pcode",
        "country",
        "locale",
        "guid",
        "owner-id",
        "owner-login",
        "external-id",
        "description",
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gen_info.findtext("cr_date") or "")
    assert gen_info.findtext("pname") == "John Doe"
    assert gen_info.findtext("status") == "0"
    assert gen_info.findtext("guid") == account.guid
    assert gen_info.findtext("owner-login") == "admin"
    assert gen_info.find("passwd") is None and b"pw-jdoe" not in etree.tostring(result)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_get_by_each_filter_and_all(xml: XmlClient, panel: Panel) -> None:
    _add(xml, "one", "<external-id>e1</external-id>")
    _add(xml, "two")
    one = panel.accounts.by_login("one")
    assert one is not None
    for flt, fid in (
        (f"<id>{one.id}</id>", str(one.id)),
        (f"<guid>{one.guid}</guid>", one.guid),
        ("<external-id>e1</external-id>", "e1"),
    ):
        (result,) = _get(xml, flt)
        assert (result.findtext("filter-id"), result.findtext("data/gen_info/login")) == (
            fid,
            "one",
        )
    everyone = _get(xml)
    assert [r.findtext("data/gen_info/login") for r in everyone] == ["one", "two"]
    by_owner = _get(xml, "<owner-login>admin</owner-login>")
    assert [r.findtext("filter-id") for r in by_owner] == ["admin", "admin"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_unknown_customer_is_1013_with_filter_id(xml: XmlClient) -> None:
    _add(xml, "one")
    missing, found = _get(xml, "<login>ghost</login>") + _get(xml, "<login>one</login>")
    assert error_of(missing)[0] == 1013
    assert missing.findtext("filter-id") == "ghost"
    assert found.findtext("status") == "ok"
    (by_id,) = _get(xml, "<id>999</id>")
    assert error_of(by_id)[0] == 1013
    assert (by_id.findtext("filter-id"), by_id.findtext("id")) == ("999", "999")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_no_customers_is_one_ok_result(xml: XmlClient) -> None:
    (result,) = _get(xml)
    assert [c.tag for c in result] == ["status"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_set_and_del(xml: XmlClient, panel: Panel) -> None:
    _add(xml, "jdoe")
    root = xml.call(
        "<customer><set><filter><login>jdoe</login></filter><values><gen_info>"
        "<pname>Jane Doe</pname><status>16</status></gen_info></values></set></customer>"
    )
    (result,) = results(root, "customer/set")
    account = panel.accounts.by_login("jdoe")
    assert account is not None
    assert [(c.tag, c.text) for c in result] == [
        ("status", "ok"),
        ("filter-id", "jdoe"),
        ("id", str(account.id)),
    ]
    assert (account.name, account.status) == ("Jane Doe", 16)
    root = xml.call("<customer><del><filter><login>jdoe</login></filter></del></customer>")
    (result,) = results(root, "customer/del")
    assert result.findtext("status") == "ok"
    assert panel.accounts.by_login("jdoe") is None


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_resellers_own_and_reach_only_their_customers(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    factories.reseller(panel, "res")
    _add(xml, "admins")
    key = key_of(panel, admin, "res")
    assert _add(xml, "theirs", key=key).findtext("status") == "ok"
    theirs = panel.accounts.by_login("theirs")
    assert theirs is not None and theirs.owner_login == "res"
    assert [r.findtext("data/gen_info/login") for r in _get(xml, key=key)] == ["theirs"]
    (hidden,) = _get(xml, "<login>admins</login>", key=key)
    assert error_of(hidden)[0] == 1013
    root = xml.call(
        "<customer><del><filter><login>admins</login></filter></del></customer>", key=key
    )
    assert error_of(results(root, "customer/del")[0])[0] == 1013
    assert panel.accounts.by_login("admins") is not None


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_customers_reach_only_themselves(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    _add(xml, "jdoe")
    _add(xml, "other")
    key = key_of(panel, admin, "jdoe")
    assert [r.findtext("data/gen_info/login") for r in _get(xml, key=key)] == ["jdoe"]
    assert error_of(_get(xml, "<login>other</login>", key=key)[0])[0] == 1013
    assert error_of(_add(xml, "new", key=key))[0] == 1006


# -- every operation: the table's rows (operation_table.py) -------------------------------


GEN = "<gen_info><pname>New C</pname><login>newc</login><passwd>pw-newc-1234</passwd></gen_info>"

CASES = [
    Case(
        "customer",
        "add",
        GEN,
        "<add><gen_info><login>newc</login><pname>New C</pname><passwd>pw-newc-1234</passwd>"
        "</gen_info></add>",
        "login",
        None,
        "",
        "carol",
    ),
    Case(
        "customer",
        "get",
        "<filter><login>dave</login></filter><dataset><gen_info/><stat/></dataset>",
        "<get><dataset><gen_info/></dataset><filter><login>dave</login></filter></get>",
        "dataset",
        "<filter><login>ghost</login></filter><dataset><gen_info/></dataset>",
        "Client does not exist",
        "rick",
        1013,
    ),
    Case(
        "customer",
        "set",
        "<filter><login>dave</login></filter><values><gen_info><pname>Dave 2</pname>"
        "</gen_info></values>",
        "<set><filter><login>dave</login></filter><values><gen_info><passwd>pw-dave-999</passwd>"
        "<pname>Dave 2</pname></gen_info></values></set>",
        "pname",
        "<filter><id>4242</id></filter><values><gen_info><pname>X</pname></gen_info></values>",
        "Client does not exist",
        "rick",
        1013,
    ),
    Case(
        "customer",
        "del",
        "<filter><login>dave</login></filter>",
        "<del><x/><filter><login>dave</login></filter></del>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    Case(
        "customer",
        "get-domain-list",
        "<filter><login>dave</login></filter>",
        "<get-domain-list><x/><filter><login>dave</login></filter></get-domain-list>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    Case(
        "customer",
        "convert-to-reseller",
        "<filter><login>dave</login></filter>",
        "<convert-to-reseller><x/><filter><login>dave</login></filter></convert-to-reseller>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Client does not exist",
        "rick",
        1013,
    ),
    Case(
        "customer",
        "change-owner",
        "<filter><login>dave</login></filter><new-owner-login>rick</new-owner-login>"
        "<ipV4-address>192.0.2.10</ipV4-address>",
        "<change-owner><new-owner-login>rick</new-owner-login><filter><login>dave</login>"
        "</filter></change-owner>",
        "new-owner-login",
        "<filter><login>ghost</login></filter><new-owner-login>rick</new-owner-login>",
        "Client does not exist",
        "rick",
        1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
