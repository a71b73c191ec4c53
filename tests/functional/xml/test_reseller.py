"""Operator reseller; its own app filter (add-package, remove-package, enable-aps-filter,
disable-aps-filter) over its reseller plan's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from panelkey.core.aps.filters import account_owner
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.core.plans.settings import RESELLER_LIMITS, RESELLER_PERMISSIONS
from tests import factories
from tests.functional.xml.operation_table import PACKAGE, Case, Scene, app_filter_cases, run
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
    tags,
)

DATASETS = "<dataset><gen-info/><stat/><permissions/><limits/><ippool/></dataset>"


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    root = xml.call(f"<reseller><get><filter>{flt}</filter>{DATASETS}</get></reseller>", key=key)
    return results(root, "reseller/get")


def _pool(xml: XmlClient, op: str, rid: int, address: str, kind: str = "") -> etree._Element:
    t = f"<ip-type>{kind}</ip-type>" if kind else ""
    inner = {
        "ippool-del-ip": f"<ip-address>{address}</ip-address>",
        "ippool-set-ip": f"<filter><ip-address>{address}</ip-address></filter><values>{t}</values>",
    }.get(op, f"<ip><ip-address>{address}</ip-address>{t}</ip>")
    root = xml.call(f"<reseller><{op}><reseller-id>{rid}</reseller-id>{inner}</{op}></reseller>")
    return only(root, f"reseller/{op}")


def test_add_with_limits_and_permissions_then_get_every_dataset(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    rid = add_reseller(
        xml,
        "res1",
        "<limits><resource-policy><overuse>block</overuse></resource-policy>"
        "<limit><name>max_cl</name><value>5</value></limit></limits>"
        "<permissions><permission><name>create_clients</name><value>false</value></permission>"
        "</permissions>",
    )
    add_customer(xml, "c1", owner="res1")
    factories.webspace(panel, "res.example", owner=panel.accounts.by_login("c1"))
    panel.ips.add(admin, address="192.0.2.80", netmask="255.255.255.0")
    ok(_pool(xml, "ippool-add-ip", rid, "192.0.2.80"))

    (result,) = _get(xml, f"<id>{rid}</id>")
    assert tags(result) == ["status", "filter-id", "id", "data"]
    data = result.find("data")
    assert tags(data) == ["gen-info", "stat", "permissions", "limits", "ippool"]
    assert result.findtext("data/gen-info/login") == "res1"
    assert tags(result.find("data/gen-info"))[:4] == ["cr-date", "cname", "pname", "login"]
    assert result.findtext("data/stat/active-clients") == "1"
    assert result.findtext("data/stat/active-domains") == "1"
    assert tags(result.find("data/stat")) == [
        "active-clients", "active-domains", "clients", "domains", "subdomains",
        "domain-aliases", "disk-space", "web-users", "data-bases", "postboxs", "mbox-quota",
        "redirects", "mail-groups", "mail-resps", "mail-lists", "webapps",
        "mssql-data-bases", "traffic", "traffic-prevday",
    ]  # fmt: skip
    assert (result.findtext("data/stat/clients"), result.findtext("data/stat/domains")) == (
        "1",
        "1",
    )
    limits = {e.findtext("name"): e.findtext("value") for e in result.findall("data/limits/limit")}
    policy = ("oversell", "overuse")
    assert list(limits) == [n for n in RESELLER_LIMITS.by_name if n not in policy]
    assert limits["max_cl"] == "5" and limits["max_dom"] == "-1"
    assert result.findtext("data/limits/resource-policy/overuse") == "block"
    perms = {
        e.findtext("name"): e.findtext("value")
        for e in result.findall("data/permissions/permission")
    }
    assert list(perms) == list(RESELLER_PERMISSIONS.by_name)
    assert perms["create_clients"] == "false"
    assert [
        (e.findtext("ip-address"), e.findtext("ip-type")) for e in result.findall("data/ippool/ip")
    ] == [("192.0.2.80", "shared")]


def test_set_changes_gen_info_and_limits(xml: XmlClient, panel: Panel) -> None:
    add_reseller(xml, "res1")
    root = xml.call(
        "<reseller><set><filter><login>res1</login></filter><values>"
        "<gen-info><pname>New Name</pname><status>16</status></gen-info>"
        "<limits><limit><name>max_dom</name><value>10</value></limit></limits>"
        "</values></set></reseller>"
    )
    ok(only(root, "reseller/set"))
    account = panel.accounts.by_login("res1")
    assert account is not None and (account.name, account.status) == ("New Name", 16)
    assert panel.resellers.effective(account)[0]["max_dom"] == "10"


def test_a_bad_limit_writes_nothing(xml: XmlClient, panel: Panel) -> None:
    root = xml.call(
        "<reseller><add><gen-info><pname>R</pname><login>res1</login><passwd>pw-12345678</passwd>"
        "</gen-info><limits><limit><name>max_cl</name><value>lots</value></limit></limits>"
        "</add></reseller>"
    )
    assert error_of(only(root, "reseller/add"))[0] == 1019
    assert panel.accounts.by_login("res1") is None


def test_del_removes_the_reseller_its_customers_and_its_pool(xml: XmlClient, panel: Panel) -> None:
    rid = add_reseller(xml, "res1")
    add_customer(xml, "c1", owner="res1")
    panel.ips.add(factories.admin(panel), address="192.0.2.81", netmask="24")
    ok(_pool(xml, "ippool-add-ip", rid, "192.0.2.81"))
    ok(
        only(
            xml.call(f"<reseller><del><filter><id>{rid}</id></filter></del></reseller>"),
            "reseller/del",
        )
    )
    assert panel.accounts.by_login("res1") is None and panel.accounts.by_login("c1") is None
    assert panel.ips.pool(rid) == []
    # the address is free again
    root = xml.call("<ip><del><filter><ip_address>192.0.2.81</ip_address></filter></del></ip>")
    ok(only(root, "ip/del"))


def test_get_domain_list_and_convert_to_customer(xml: XmlClient, panel: Panel) -> None:
    rid = add_reseller(xml, "res1")
    reseller = panel.accounts.get(rid)
    factories.webspace(panel, "own.example", owner=reseller)
    root = xml.call(
        f"<reseller><get-domain-list><filter><id>{rid}</id></filter></get-domain-list></reseller>"
    )
    result = ok(only(root, "reseller/get-domain-list"))
    assert [d.findtext("name") for d in result.findall("domains/domain")] == ["own.example"]
    assert tags(result.find("domains/domain"))[:6] == [
        "id",
        "name",
        "ascii-name",
        "type",
        "main",
        "guid",
    ]
    root = xml.call(
        f"<reseller><convert-to-customer><filter><id>{rid}</id></filter></convert-to-customer></reseller>"
    )
    ok(only(root, "reseller/convert-to-customer"))
    assert panel.accounts.get(rid).type == "customer"


def test_ippool_set_and_del(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    rid = add_reseller(xml, "res1")
    panel.ips.add(admin, address="192.0.2.82", netmask="24")
    ok(_pool(xml, "ippool-add-ip", rid, "192.0.2.82", "shared"))
    ok(_pool(xml, "ippool-set-ip", rid, "192.0.2.82", "exclusive"))
    assert [e.type for e in panel.ips.pool(rid)] == ["exclusive"]
    ok(_pool(xml, "ippool-del-ip", rid, "192.0.2.82"))
    assert panel.ips.pool(rid) == []
    assert error_of(_pool(xml, "ippool-del-ip", rid, "192.0.2.82")) == (
        1013,
        "IP address does not exist",
    )


def test_elements_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    code, text = fault(
        xml,
        "<reseller><add><gen-info><login>r</login><pname>R</pname><passwd>pw-1234567</passwd>"
        "</gen-info></add></reseller>",
    )
    assert code == 1014 and "'login'" in text


def test_an_unknown_reseller_is_1013(xml: XmlClient) -> None:
    (result,) = _get(xml, "<login>nobody</login>")
    assert error_of(result) == (1013, "Reseller does not exist")
    assert result.findtext("filter-id") == "nobody"
    root = xml.call(
        "<reseller><ippool-add-ip><reseller-id>999</reseller-id><ip><ip-address>"
        "127.0.0.1</ip-address></ip></ippool-add-ip></reseller>"
    )
    assert error_of(only(root, "reseller/ippool-add-ip")) == (1013, "Reseller does not exist")


def test_callers_without_rights(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    rid = add_reseller(xml, "res1")
    add_reseller(xml, "res2")
    add_customer(xml, "c1")
    # a customer reaches no reseller; a reseller reads itself only and changes nothing
    assert error_of(_get(xml, f"<id>{rid}</id>", key=key_for("c1"))[0])[0] == 1013
    res1 = key_for("res1")
    ok(_get(xml, f"<id>{rid}</id>", key=res1)[0])
    assert error_of(_get(xml, "<login>res2</login>", key=res1)[0])[0] == 1013
    root = xml.call(f"<reseller><del><filter><id>{rid}</id></filter></del></reseller>", key=res1)
    assert error_of(only(root, "reseller/del"))[0] == 1006
    root = xml.call(
        "<reseller><add><gen-info><pname>R</pname><login>res3</login><passwd>pw-12345678</passwd>"
        "</gen-info></add></reseller>",
        key=res1,
    )
    assert error_of(only(root, "reseller/add"))[0] == 1006


def test_switch_subscription_puts_the_reseller_on_a_reseller_plan(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    rid = add_reseller(
        xml, "res1", "<limits><limit><name>max_dom</name><value>7</value></limit></limits>"
    )
    plan = panel.plans.create(
        admin, "reseller", name="Gold", settings={"reseller-limits": [("max_cl", "3")]}
    )
    root = xml.call(
        f"<reseller><switch-subscription><filter><id>{rid}</id></filter>"
        f"<plan-guid>{plan.guid}</plan-guid></switch-subscription></reseller>"
    )
    ok(only(root, "reseller/switch-subscription"))
    (result,) = _get(xml, f"<id>{rid}</id>")
    limits = {e.findtext("name"): e.findtext("value") for e in result.findall("data/limits/limit")}
    # the plan's values, and the reseller's own (max_dom 7) dropped by the switch
    assert (limits["max_cl"], limits["max_dom"]) == ("3", "-1")
    root = xml.call(
        f"<reseller><switch-subscription><filter><id>{rid}</id></filter>"
        "<plan-name>Nope</plan-name></switch-subscription></reseller>"
    )
    assert error_of(only(root, "reseller/switch-subscription")) == (
        1013,
        "Reseller plan does not exist",
    )


def test_add_on_a_plan(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    panel.plans.create(
        admin,
        "reseller",
        name="Silver",
        settings={"reseller-permissions": [("create_clients", "false")]},
    )
    rid = add_reseller(xml, "res1", "<plan-name>Silver</plan-name>")
    (result,) = _get(xml, f"<id>{rid}</id>")
    perms = {
        e.findtext("name"): e.findtext("value")
        for e in result.findall("data/permissions/permission")
    }
    assert perms["create_clients"] == "false"


def test_switch_subscription_to_no_plan_keeps_what_the_plan_gave(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    rid = add_reseller(xml, "res1")
    plan = panel.plans.create(
        admin, "reseller", name="Gold", settings={"reseller-limits": [("max_cl", "3")]}
    )
    switch = (
        f"<reseller><switch-subscription><filter><id>{rid}</id></filter>{{to}}"
        "</switch-subscription></reseller>"
    )
    ok(
        only(
            xml.call(switch.format(to=f"<plan-guid>{plan.guid}</plan-guid>")),
            "reseller/switch-subscription",
        )
    )
    ok(only(xml.call(switch.format(to="<no-plan/>")), "reseller/switch-subscription"))
    account = panel.accounts.get(rid)
    assert panel.resellers.plan(account) is None
    (result,) = _get(xml, f"<id>{rid}</id>")
    limits = {e.findtext("name"): e.findtext("value") for e in result.findall("data/limits/limit")}
    assert limits["max_cl"] == "3"
    # the plan changed later no longer reaches the reseller
    panel.plans.update(admin, plan, settings={"reseller-limits": [("max_cl", "9")]})
    (result,) = _get(xml, f"<id>{rid}</id>")
    limits = {e.findtext("name"): e.findtext("value") for e in result.findall("data/limits/limit")}
    assert limits["max_cl"] == "3"
    assert [e.action for e in panel.events.list(obj_class="reseller")][-1] == "reseller_update"
    code, text = fault(xml, switch.format(to=f"<no-plan/><plan-guid>{plan.guid}</plan-guid>"))
    assert code == 1014 and "'plan-guid'" in text


def test_pool_operations_take_several_addresses_and_the_external_id(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    add_reseller(xml, "res1", "")
    xml.call(
        "<reseller><set><filter><login>res1</login></filter><values><gen-info>"
        "<external-id>whmcs-r1</external-id></gen-info></values></set></reseller>"
    )
    for address in ("192.0.2.91", "192.0.2.92"):
        panel.ips.add(admin, address=address, netmask="24")
    root = xml.call(
        "<reseller><ippool-add-ip><external-id>whmcs-r1</external-id>"
        "<ip><ip-address>192.0.2.91</ip-address></ip>"
        "<ip><ip-address>192.0.2.92</ip-address><ip-type>exclusive</ip-type></ip>"
        "<ip><ip-address>198.51.100.1</ip-address></ip></ippool-add-ip></reseller>"
    )
    first, second, third = results(root, "reseller/ippool-add-ip")
    assert tags(ok(first)) == ["status", "ip-address"] and first.findtext("ip-address") == (
        "192.0.2.91"
    )
    ok(second)
    assert error_of(third) == (1013, "IP address does not exist")
    assert third.findtext("ip-address") == "198.51.100.1"
    reseller = panel.accounts.by_login("res1")
    assert reseller is not None
    assert {(e.ip.address, e.type) for e in panel.ips.pool(reseller.id)} == {
        ("192.0.2.91", "shared"),
        ("192.0.2.92", "exclusive"),
    }
    # set changes the type of addresses held, never adds one
    root = xml.call(
        f"<reseller><ippool-set-ip><reseller-id>{reseller.id}</reseller-id><filter>"
        "<ip-address>192.0.2.92</ip-address><ip-address>198.51.100.1</ip-address></filter>"
        "<values><ip-type>shared</ip-type></values></ippool-set-ip></reseller>"
    )
    changed, missing = results(root, "reseller/ippool-set-ip")
    ok(changed)
    assert error_of(missing) == (1013, "IP address does not exist")
    assert {e.type for e in panel.ips.pool(reseller.id)} == {"shared"}
    root = xml.call(
        "<reseller><ippool-del-ip><external-id>whmcs-r1</external-id>"
        "<ip-address>192.0.2.91</ip-address><ip-address>192.0.2.92</ip-address>"
        "</ippool-del-ip></reseller>"
    )
    assert all(r.findtext("status") == "ok" for r in results(root, "reseller/ippool-del-ip"))
    assert panel.ips.pool(reseller.id) == []
    root = xml.call(
        "<reseller><ippool-del-ip><external-id>nobody</external-id>"
        "<ip-address>192.0.2.91</ip-address></ippool-del-ip></reseller>"
    )
    assert error_of(only(root, "reseller/ippool-del-ip")) == (1013, "Reseller does not exist")
    # Plesk's shape only: the old single-ip form of set is refused
    code, text = fault(
        xml,
        f"<reseller><ippool-set-ip><reseller-id>{reseller.id}</reseller-id><ip><ip-address>"
        "192.0.2.91</ip-address></ip></ippool-set-ip></reseller>",
    )
    assert code == 1014 and "'ip'" in text


def test_datasets_and_no_plan_take_any_content_as_plesks_untyped_ones_do(
    xml: XmlClient, panel: Panel
) -> None:
    add_reseller(xml, "res1")
    root = xml.call(
        "<reseller><get><filter><login>res1</login></filter><dataset><gen-info>yes</gen-info>"
        "<subscriptions>1</subscriptions></dataset></get></reseller>"
    )
    data = ok(only(root, "reseller/get")).find("data")
    assert data is not None and tags(data) == ["gen-info", "subscriptions"]
    ok(
        only(
            xml.call("<reseller-plan><add><name>RP</name></add></reseller-plan>"),
            "reseller-plan/add",
        )
    )
    ok(
        only(
            xml.call(
                "<reseller><switch-subscription><filter><login>res1</login></filter>"
                "<plan-name>RP</plan-name></switch-subscription></reseller>"
            ),
            "reseller/switch-subscription",
        )
    )
    ok(
        only(
            xml.call(
                "<reseller><switch-subscription><filter><login>res1</login></filter>"
                "<no-plan>1</no-plan></switch-subscription></reseller>"
            ),
            "reseller/switch-subscription",
        )
    )
    account = panel.accounts.by_login("res1")
    assert account is not None and panel.resellers.plan(account) is None


def test_gen_info_answers_power_user_last_and_refuses_a_non_boolean(xml: XmlClient) -> None:
    add_reseller(xml, "res1")
    (result,) = _get(xml, "<login>res1</login>")
    gen = ok(result).find("data/gen-info")
    assert (
        gen is not None and tags(gen)[-1] == "power-user" and gen.findtext("power-user") == "false"
    )
    code, text = fault(
        xml,
        "<reseller><set><filter><login>res1</login></filter><values><gen-info>"
        "<power-user>maybe</power-user></gen-info></values></set></reseller>",
    )
    assert code == 1014 and "'power-user'" in text


def test_convert_to_customer_drops_the_plan_and_power_user(xml: XmlClient, panel: Panel) -> None:
    ok(
        only(
            xml.call("<reseller-plan><add><name>RP</name></add></reseller-plan>"),
            "reseller-plan/add",
        )
    )
    add_reseller(xml, "res1", "<plan-name>RP</plan-name>")
    ok(
        only(
            xml.call(
                "<reseller><set><filter><login>res1</login></filter><values><gen-info>"
                "<power-user>true</power-user></gen-info></values></set></reseller>"
            ),
            "reseller/set",
        )
    )
    ok(
        only(
            xml.call(
                "<reseller><convert-to-customer><filter><login>res1</login></filter>"
                "</convert-to-customer></reseller>"
            ),
            "reseller/convert-to-customer",
        )
    )
    ok(
        only(
            xml.call(
                "<customer><convert-to-reseller><filter><login>res1</login></filter>"
                "</convert-to-reseller></customer>"
            ),
            "customer/convert-to-reseller",
        )
    )
    account = panel.accounts.by_login("res1")
    assert account is not None and account.type == "reseller"
    assert panel.resellers.plan(account) is None
    assert panel.accounts.power_user(account) is False


def _offered(xml: XmlClient) -> list[str | None]:
    root = xml.call(
        "<aps><get-packages-list-by-reseller><filter><login>rick</login></filter>"
        "</get-packages-list-by-reseller></aps>"
    )
    (result,) = results(root, "aps/get-packages-list-by-reseller")
    return [p.findtext("name") for p in result.findall("package")]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_the_resellers_filter_narrows_what_it_and_its_customers_are_offered(
    xml: XmlClient, scene: Scene, panel: Panel
) -> None:
    xml.call(
        "<aps><download-package><package><name>Joomla</name></package></download-package></aps>"
    )
    assert _offered(xml) == ["WordPress", "Joomla"]
    root = xml.call("<reseller><enable-aps-filter><filter><login>rick</login></filter>"
                    "</enable-aps-filter></reseller>")  # fmt: skip
    (result,) = results(root, "reseller/enable-aps-filter")
    assert result.findtext("status") == "ok" and result.findtext("id") == scene.values["rick"]
    assert _offered(xml) == []
    xml.call(f"<reseller><add-package><filter><login>rick</login></filter>{PACKAGE}"
             "</add-package></reseller>")  # fmt: skip
    assert _offered(xml) == ["WordPress"]
    # a package property it does not know: 1019
    root = xml.call(
        "<reseller><add-package><filter><login>rick</login></filter><package>"
        "<name>colour</name><value>x</value></package></add-package></reseller>"
    )
    assert error_of(results(root, "reseller/add-package")[0])[0] == 1019
    # the reseller goes, its filter with it
    xml.call("<reseller><del><filter><login>rick</login></filter></del></reseller>")
    assert panel.aps_filters.items(account_owner(scene.world.reseller.account)) is None


# -- every operation: the table's rows (operation_table.py) -------------------------------


RGEN = "<gen-info><pname>New R</pname><login>newr</login><passwd>pw-newr-1234</passwd></gen-info>"

CASES = [
    Case(
        "reseller",
        "add",
        RGEN,
        "<add><gen-info><login>newr</login><pname>New R</pname><passwd>pw-newr-1234</passwd>"
        "</gen-info></add>",
        "login",
        f"{RGEN}<plan-name>No such plan</plan-name>",
        "Reseller plan does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "get",
        "<filter><login>rick</login></filter><dataset><gen-info/><stat/><permissions/><limits/>"
        "<ippool/></dataset>",
        "<get><filter><login>rick</login></filter><dataset><limits/><stat/></dataset></get>",
        "stat",
        "<filter><login>ghost</login></filter><dataset><gen-info/></dataset>",
        "Reseller does not exist",
        "carol",
        1013,
    ),
    Case(
        "reseller",
        "set",
        "<filter><login>rick</login></filter><values><gen-info><pname>Rick 2</pname>"
        "</gen-info></values>",
        "<set><filter><login>rick</login></filter><values><permissions/><limits/></values></set>",
        "limits",
        "<filter><login>ghost</login></filter><values><gen-info><pname>X</pname></gen-info>"
        "</values>",
        "Reseller does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "del",
        "<filter><login>rick</login></filter>",
        "<del><x/><filter><login>rick</login></filter></del>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "get-domain-list",
        "<filter><login>rick</login></filter>",
        "<get-domain-list><x/><filter><login>rick</login></filter></get-domain-list>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "carol",
        1013,
    ),
    Case(
        "reseller",
        "convert-to-customer",
        "<filter><login>lone</login></filter>",
        "<convert-to-customer><x/><filter><login>lone</login></filter></convert-to-customer>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
        1013,
    ),
    Case(
        "reseller",
        "ippool-add-ip",
        "<reseller-id>{rick}</reseller-id><ip><ip-address>192.0.2.11</ip-address></ip>",
        "<ippool-add-ip><ip><ip-address>192.0.2.11</ip-address></ip><reseller-id>{rick}"
        "</reseller-id></ippool-add-ip>",
        "ip",
        "<reseller-id>4242</reseller-id><ip><ip-address>192.0.2.11</ip-address></ip>",
        "Reseller does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "ippool-del-ip",
        "<reseller-id>{rick}</reseller-id><ip-address>192.0.2.10</ip-address>",
        "<ippool-del-ip><ip-address>192.0.2.10</ip-address><reseller-id>{rick}</reseller-id>"
        "</ippool-del-ip>",
        "ip-address",
        "<reseller-id>{rick}</reseller-id><ip-address>198.51.100.77</ip-address>",
        "IP address does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "ippool-set-ip",
        "<reseller-id>{rick}</reseller-id><filter><ip-address>192.0.2.10</ip-address>"
        "</filter><values><ip-type>exclusive</ip-type></values>",
        "<ippool-set-ip><reseller-id>{rick}</reseller-id><values><ip-type>exclusive</ip-type>"
        "</values><filter><ip-address>192.0.2.10</ip-address></filter></ippool-set-ip>",
        "values",
        "<reseller-id>4242</reseller-id><filter><ip-address>192.0.2.10</ip-address></filter>"
        "<values><ip-type>shared</ip-type></values>",
        "Reseller does not exist",
        "rick",
    ),
    Case(
        "reseller",
        "switch-subscription",
        "<filter><login>rick</login></filter><plan-guid>{rp}</plan-guid>",
        "<switch-subscription><plan-guid>{rp}</plan-guid><filter><login>rick</login></filter>"
        "</switch-subscription>",
        "plan-guid",
        "<filter><login>ghost</login></filter><plan-guid>{rp}</plan-guid>",
        "Reseller does not exist",
        "rick",
    ),
    *app_filter_cases(
        "reseller",
        "<filter><login>rick</login></filter>",
        "<filter><login>ghost</login></filter>",
        "Reseller does not exist",
        "rick",
    ),
    *(
        Case(
            "reseller", f"get-{what}-descriptor", "<filter><id>{rick}</id></filter>",
            f"<get-{what}-descriptor><x/></get-{what}-descriptor>", "x",
            "<filter><id>4242</id></filter>", "Reseller does not exist", "rick",
        )
        for what in ("limit", "permission")
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
