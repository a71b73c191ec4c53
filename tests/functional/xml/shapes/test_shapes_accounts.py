"""Request shapes of `customer`, `reseller` and `ip`: each element Plesk 1.6.9.1 takes is
accepted and acted upon, and its effect is read back through the matching get."""

from __future__ import annotations

import itertools

import pytest
from lxml import etree

from tests import factories
from tests.functional.xml.shapes.shapes import Case, World
from tests.functional.xml.xml_helpers import error_of, results

# -- helpers ------------------------------------------------------------------------------


def _n(w: World) -> int:
    """A fresh small number (for addresses), distinct in the module."""
    return int(w.fresh("")) % 250 + 1


def _customer(w: World, login: str) -> str:
    (added,) = w.ok(
        f"<customer><add><gen_info><pname>{login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd></gen_info></add></customer>",
        "customer/add",
    )
    return added.findtext("guid") or ""


def _reseller(w: World, login: str, extra: str = "", after: str = "") -> etree._Element:
    (added,) = w.ok(
        f"<reseller><add><gen-info><pname>{login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd>{extra}</gen-info>{after}</add></reseller>",
        "reseller/add",
    )
    return added


def _reseller_get(w: World, login: str, dataset: str) -> etree._Element:
    (found,) = w.ok(
        f"<reseller><get><filter><login>{login}</login></filter><dataset>{dataset}</dataset>"
        "</get></reseller>",
        "reseller/get",
    )
    return found


def _reseller_plan(w: World, name: str) -> str:
    (made,) = w.ok(
        f"<reseller-plan><add><name>{name}</name></add></reseller-plan>", "reseller-plan/add"
    )
    return made.findtext("guid") or ""


def _service_plan(w: World, name: str, key: str | None = None) -> str:
    root = w.xml.call(f"<service-plan><add><name>{name}</name></add></service-plan>", key=key)
    (made,) = results(root, "service-plan/add")
    assert made.findtext("status") == "ok", etree.tostring(made).decode()
    return made.findtext("guid") or ""


def _ip(w: World, address: str) -> None:
    w.ok(
        f"<ip><add><ip_address>{address}</ip_address><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface></add></ip>",
        "ip/add",
    )


def _ip_info(w: World, address: str) -> etree._Element:
    (got,) = w.ok("<ip><get/></ip>", "ip/get")
    found = [i for i in got.findall("addresses/ip_info") if i.findtext("ip_address") == address]
    assert len(found) == 1, etree.tostring(got).decode()
    return found[0]


def _webspace(w: World, name: str, owner: str, address: str) -> None:
    w.ok(
        f"<webspace><add><gen_setup><name>{name}</name><owner-login>{owner}</owner-login>"
        f"<ip_address>{address}</ip_address></gen_setup></add></webspace>",
        "webspace/add",
    )


def _webspace_plan_and_owner(w: World, name: str) -> tuple[list[str], str]:
    (got,) = w.ok(
        f"<webspace><get><filter><name>{name}</name></filter><dataset><gen_info/>"
        "<subscriptions/></dataset></get></webspace>",
        "webspace/get",
    )
    guids = [p.findtext("plan-guid") or "" for p in got.findall(".//subscription/plan")]
    return guids, got.findtext("data/gen_info/owner-login") or ""


# -- customer -----------------------------------------------------------------------------


def _customer_set_guid(w: World) -> None:
    login = w.fresh("cguid")
    old = _customer(w, login)
    w.ok(
        f"<customer><set><filter><login>{login}</login></filter><values><gen_info>"
        "<pname>Renamed</pname><guid/></gen_info></values></set></customer>",
        "customer/set",
    )
    (got,) = w.ok(
        f"<customer><get><filter><login>{login}</login></filter><dataset><gen_info/>"
        "</dataset></get></customer>",
        "customer/get",
    )
    new = got.findtext("data/gen_info/guid")
    assert new and new != old and got.findtext("data/gen_info/pname") == "Renamed"
    # the old GUID names no one any more; the new one names the customer
    root = w.call(
        f"<customer><get><filter><guid>{old}</guid></filter><dataset><gen_info/></dataset>"
        "</get></customer>"
    )
    assert error_of(results(root, "customer/get")[0])[0] == 1013
    (by_new,) = w.ok(
        f"<customer><get><filter><guid>{new}</guid></filter><dataset><gen_info/></dataset>"
        "</get></customer>",
        "customer/get",
    )
    assert by_new.findtext("data/gen_info/login") == login


def _convert_to_reseller_plan(w: World) -> None:
    login, plan = w.fresh("c2r"), w.fresh("RP c2r ")
    _customer(w, login)
    guid = _reseller_plan(w, plan)
    # an unknown plan: 1013 and the customer stays a customer
    root = w.call(
        f"<customer><convert-to-reseller><filter><login>{login}</login></filter>"
        "<reseller-plan-name>No such plan</reseller-plan-name></convert-to-reseller></customer>"
    )
    assert error_of(results(root, "customer/convert-to-reseller")[0]) == (
        1013,
        "Reseller plan does not exist",
    )
    account = w.panel.accounts.by_login(login)
    assert account is not None and account.type == "customer"
    w.ok(
        f"<customer><convert-to-reseller><filter><login>{login}</login></filter>"
        f"<reseller-plan-name>{plan}</reseller-plan-name></convert-to-reseller></customer>",
        "customer/convert-to-reseller",
    )
    got = _reseller_get(w, login, "<subscriptions/>")
    assert got.findtext("data/subscriptions/subscription/plan/plan-guid") == guid


def _change_owner_plan(w: World) -> None:
    n = _n(w)
    cust, res, plan = w.fresh("chown"), w.fresh("chres"), w.fresh("Gold ")
    address = f"198.19.1.{n}"  # not the host's own (the pool holds those)
    _ip(w, address)
    _reseller(w, res)
    rid = w.panel.accounts.by_login(res)
    assert rid is not None
    w.ok(
        f"<reseller><ippool-add-ip><reseller-id>{rid.id}</reseller-id><ip><ip-address>"
        f"{address}</ip-address></ip></ippool-add-ip></reseller>",
        "reseller/ippool-add-ip",
    )
    guid = _service_plan(w, plan, key=factories.key_of(w.panel, factories.admin(w.panel), res))
    _customer(w, cust)
    site = f"{cust}.example"
    _webspace(w, site, cust, "127.0.0.1")
    w.ok(
        f"<customer><change-owner><filter><login>{cust}</login></filter>"
        f"<new-owner-login>{res}</new-owner-login><ipV4-address>{address}</ipV4-address>"
        f"<plan-name>{plan}</plan-name></change-owner></customer>",
        "customer/change-owner",
    )
    plans, _owner = _webspace_plan_and_owner(w, site)
    assert plans == [guid]
    (got,) = w.ok(
        f"<customer><get><filter><login>{cust}</login></filter><dataset><gen_info/></dataset>"
        "</get></customer>",
        "customer/get",
    )
    assert got.findtext("data/gen_info/owner-login") == res


# -- ip -----------------------------------------------------------------------------------


def _ip_add_service_node(w: World) -> None:
    address = f"198.51.100.{_n(w)}"
    w.ok(
        f"<ip><add><ip_address>{address}</ip_address><netmask>255.255.255.0</netmask>"
        "<type>shared</type><interface>eth0</interface><service-node><id>local</id>"
        "</service-node></add></ip>",
        "ip/add",
    )
    info = _ip_info(w, address)
    assert info.findtext("service-node/id") == "local"


def _ip_set_service_node(w: World) -> None:
    address = f"198.51.100.{_n(w)}"
    _ip(w, address)
    assert _ip_info(w, address).find("service-node") is None
    w.ok(
        f"<ip><set><filter><ip_address>{address}</ip_address></filter><service-node>"
        "<external-id>node-ext-7</external-id></service-node></set></ip>",
        "ip/set",
    )
    node = _ip_info(w, address).find("service-node")
    assert node is not None and [c.tag for c in node] == ["external-id"]
    assert node.findtext("external-id") == "node-ext-7"


_ADD_ORDER = ("ip_address", "netmask", "type", "interface", "public_ip_address")


def _ip_add_in_order(first: str, second: str) -> Case:
    line = f"ip/add: in `ip/add`: {first} / {second} in any order"

    def run(w: World) -> None:
        n = _n(w)
        values = {
            "ip_address": f"203.0.113.{n}",
            "netmask": "255.255.255.0",
            "type": "exclusive",
            "interface": "eth1",
            "public_ip_address": f"198.18.0.{n}",
        }
        order = list(_ADD_ORDER)
        i, j = order.index(first), order.index(second)
        order[i], order[j] = order[j], order[i]  # the second before the first
        body = "".join(f"<{tag}>{values[tag]}</{tag}>" for tag in order)
        w.ok(f"<ip><add>{body}</add></ip>", "ip/add")
        info = _ip_info(w, values["ip_address"])
        assert {tag: info.findtext(tag) for tag in _ADD_ORDER} == values

    return Case(line, run)


# -- reseller -----------------------------------------------------------------------------


def _reseller_add_power_user(w: World) -> None:
    power, plain = w.fresh("rpow"), w.fresh("rplain")
    _reseller(w, power, "<power-user>true</power-user>")
    _reseller(w, plain)
    assert _reseller_get(w, power, "<gen-info/>").findtext("data/gen-info/power-user") == "true"
    assert _reseller_get(w, plain, "<gen-info/>").findtext("data/gen-info/power-user") == "false"


def _reseller_get_subscriptions(w: World) -> None:
    login, plan = w.fresh("rsub"), w.fresh("RP sub ")
    guid = _reseller_plan(w, plan)
    _reseller(w, login, after=f"<plan-name>{plan}</plan-name>")
    got = _reseller_get(w, login, "<gen-info/><subscriptions/>")
    sub = got.find("data/subscriptions/subscription")
    assert sub is not None, etree.tostring(got).decode()
    assert [c.tag for c in sub] == ["locked", "synchronized", "plan"]
    assert sub.findtext("plan/plan-guid") == guid
    assert (sub.findtext("locked"), sub.findtext("synchronized")) == ("false", "true")
    # a value of its own over the plan's: the subscription is locked, out of sync
    w.ok(
        f"<reseller><set><filter><login>{login}</login></filter><values><limits><limit>"
        "<name>max_cl</name><value>7</value></limit></limits></values></set></reseller>",
        "reseller/set",
    )
    sub = _reseller_get(w, login, "<subscriptions/>").find("data/subscriptions/subscription")
    assert sub is not None
    assert (sub.findtext("locked"), sub.findtext("synchronized")) == ("true", "false")
    # on no plan: no subscription listed
    bare = w.fresh("rbare")
    _reseller(w, bare)
    assert _reseller_get(w, bare, "<subscriptions/>").find("data/subscriptions") is not None
    assert _reseller_get(w, bare, "<subscriptions/>").find("data/subscriptions/*") is None


def _reseller_set_guid(w: World) -> None:
    login = w.fresh("rguid")
    old = _reseller(w, login).findtext("guid")
    w.ok(
        f"<reseller><set><filter><login>{login}</login></filter><values><gen-info><guid/>"
        "</gen-info></values></set></reseller>",
        "reseller/set",
    )
    new = _reseller_get(w, login, "<gen-info/>").findtext("data/gen-info/guid")
    assert new and old and new != old
    root = w.call(
        f"<reseller><get><filter><guid>{old}</guid></filter><dataset><gen-info/></dataset>"
        "</get></reseller>"
    )
    assert error_of(results(root, "reseller/get")[0])[0] == 1013


def _reseller_set_power_user(w: World) -> None:
    login = w.fresh("rsetpow")
    _reseller(w, login)
    for value in ("true", "false", "1"):
        w.ok(
            f"<reseller><set><filter><login>{login}</login></filter><values><gen-info>"
            f"<power-user>{value}</power-user></gen-info></values></set></reseller>",
            "reseller/set",
        )
        got = _reseller_get(w, login, "<gen-info/>").findtext("data/gen-info/power-user")
        assert got == ("false" if value == "false" else "true")


def _convert_to_customer_plan(w: World) -> None:
    n = _n(w)
    res, plan = w.fresh("r2c"), w.fresh("Basic r2c ")
    address = f"198.19.2.{n}"
    _ip(w, address)
    _reseller(w, res)
    rid = w.panel.accounts.by_login(res)
    assert rid is not None
    w.ok(
        f"<reseller><ippool-add-ip><reseller-id>{rid.id}</reseller-id><ip><ip-address>"
        f"{address}</ip-address></ip></ippool-add-ip></reseller>",
        "reseller/ippool-add-ip",
    )
    site = f"{res}.example"
    _webspace(w, site, res, address)
    guid = _service_plan(w, plan)
    # an unknown plan: 1013 and the reseller stays a reseller
    root = w.call(
        f"<reseller><convert-to-customer><filter><login>{res}</login></filter>"
        "<plan-name>No such plan</plan-name></convert-to-customer></reseller>"
    )
    assert error_of(results(root, "reseller/convert-to-customer")[0])[0] == 1013
    w.ok(
        f"<reseller><convert-to-customer><filter><login>{res}</login></filter>"
        f"<plan-name>{plan}</plan-name></convert-to-customer></reseller>",
        "reseller/convert-to-customer",
    )
    plans, owner = _webspace_plan_and_owner(w, site)
    assert plans == [guid] and owner == res
    (got,) = w.ok(
        f"<customer><get><filter><login>{res}</login></filter><dataset><gen_info/></dataset>"
        "</get></customer>",
        "customer/get",
    )
    assert got.findtext("data/gen_info/login") == res


CASES = [
    Case("customer/set: accept `values/gen_info/guid` (0..1)", _customer_set_guid),
    Case(
        "customer/convert-to-reseller: accept `reseller-plan-name` (0..1, string)",
        _convert_to_reseller_plan,
    ),
    Case("customer/change-owner: accept `plan-name` (0..1, string)", _change_owner_plan),
    Case("ip/add: accept `service-node` (0..1, serviceNodeSpecType)", _ip_add_service_node),
    *(_ip_add_in_order(a, b) for a, b in itertools.combinations(_ADD_ORDER, 2)),
    Case("ip/set: accept `service-node` (0..1, serviceNodeSpecType)", _ip_set_service_node),
    Case("reseller/add: accept `gen-info/power-user` (0..1, boolean)", _reseller_add_power_user),
    Case(
        "reseller/get: accept `dataset/subscriptions` (0..1, anyType)",
        _reseller_get_subscriptions,
    ),
    Case("reseller/set: accept `values/gen-info/guid` (0..1)", _reseller_set_guid),
    Case(
        "reseller/set: accept `values/gen-info/power-user` (0..1, boolean)",
        _reseller_set_power_user,
    ),
    Case(
        "reseller/convert-to-customer: accept `plan-name` (0..1, string)",
        _convert_to_customer_plan,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
