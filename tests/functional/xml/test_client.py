"""The legacy operator `client` (version 1.0.0.0 packets): a client is a customer."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.factories import key_of
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import NEW, OLD, Legacy

PASSWORD = "Cl1ent-secret-pw"


def _add(legacy: Legacy, login: str, extra: str = "") -> int:
    got = legacy.ok(
        f"<client><add><gen_info><cname>Acme {login}</cname><pname>Pat {login}</pname>"
        f"<login>{login}</login><passwd>{PASSWORD}</passwd><status>0</status>"
        f"<phone>555 0100</phone><email>{login}@example.com</email>"
        "<address>1 Main St</address><city>Springfield</city><state>IL</state>"
        f"<pcode>62701</pcode><country>US</country>{extra}</gen_info></add></client>",
        "client/add",
    )
    assert got.findtext("guid")
    return int(got.findtext("id") or 0)


def _get(legacy: Legacy, flt: str, dataset: str = "<gen_info/>") -> etree._Element:
    return legacy.call(
        f"<client><get><filter>{flt}</filter><dataset>{dataset}</dataset></get></client>"
    )


def _customer(legacy: Legacy, login: str) -> etree._Element:
    return legacy.ok(
        f"<customer><get><filter><login>{login}</login></filter>"
        "<dataset><gen_info/></dataset></get></customer>",
        "customer/get",
        NEW,
    )


def test_add_makes_a_customer_every_face_sees(legacy: Legacy, panel: Panel) -> None:
    cid = _add(legacy, "legacy1")
    account = panel.accounts.get(cid)
    assert account is not None and account.type == "customer"
    assert (account.company, account.name, account.city, account.pcode) == (
        "Acme legacy1",
        "Pat legacy1",
        "Springfield",
        "62701",
    )
    seen = _customer(legacy, "legacy1")
    assert seen.findtext("id") == str(cid)
    assert seen.findtext("data/gen_info/email") == "legacy1@example.com"
    assert seen.findtext("data/gen_info/country") == "US"


def test_add_refuses_as_plesk_does(legacy: Legacy) -> None:
    _add(legacy, "twice")
    assert (
        legacy.error(
            f"<client><add><gen_info><pname>X</pname><login>twice</login><passwd>{PASSWORD}"
            "</passwd></gen_info></add></client>",
            "client/add",
        )[0]
        == 1007
    )
    bad = {
        "login": "<pname>X</pname><login>bad login!</login><passwd>pw12345678</passwd>",
        "email": "<pname>X</pname><login>okname</login><passwd>pw12345678</passwd>"
        "<email>not-an-address</email>",
        "status": "<pname>X</pname><login>okname2</login><passwd>pw12345678</passwd>"
        "<status>3</status>",
    }
    for inner in bad.values():
        got = legacy.error(
            f"<client><add><gen_info>{inner}</gen_info></add></client>", "client/add"
        )
        assert got[0] == 1019, got
    # gen_info needs pname, login and passwd, in the old order
    root = legacy.call("<client><add><gen_info><login>x</login></gen_info></add></client>")
    assert root.findtext("system/errcode") == "1014"


def test_get_by_login_id_and_all_with_every_dataset(legacy: Legacy) -> None:
    first, second = _add(legacy, "getme1"), _add(legacy, "getme2")
    root = _get(legacy, f"<login>getme1</login><id>{second}</id>", "<gen_info/><stat/><ippool/>")
    got = root.findall("client/get/result")
    assert [r.findtext("id") for r in got] == [str(first), str(second)]
    assert [r.findtext("filter-id") for r in got] == ["getme1", str(second)]
    gen = got[0].find("data/gen_info")
    assert gen is not None
    assert gen.findtext("login") == "getme1"
    assert gen.findtext("pname") == "Pat getme1"
    assert gen.findtext("status") == "0"
    assert gen.find("passwd") is None and PASSWORD not in etree.tostring(root).decode()
    assert got[0].findtext("data/stat/active_domains") == "0"
    assert got[0].findall("data/ippool/ip/ip_address")  # the admin's customer: every address
    everyone = _get(legacy, "").findall("client/get/result")
    assert {str(first), str(second)} <= {r.findtext("id") for r in everyone}


def test_get_of_an_unknown_client_is_1013(legacy: Legacy) -> None:
    root = _get(legacy, "<login>nobody-here</login><id>999999</id>")
    for result in root.findall("client/get/result"):
        assert (result.findtext("errcode"), result.findtext("errtext")) == (
            "1013",
            "Client does not exist",
        )


def test_set_password_status_and_contact(legacy: Legacy) -> None:
    cid = _add(legacy, "setme")
    legacy.ok(
        "<client><set><filter><login>setme</login></filter><values><gen_info>"
        "<passwd>N3w-password-42</passwd><status>16</status><phone>555 0199</phone>"
        "<city>Shelbyville</city></gen_info></values></set></client>",
        "client/set",
    )
    gen = _customer(legacy, "setme").find("data/gen_info")
    assert gen is not None
    assert (gen.findtext("status"), gen.findtext("phone"), gen.findtext("city")) == (
        "16",
        "555 0199",
        "Shelbyville",
    )
    legacy.ok(
        f"<client><set><filter><id>{cid}</id></filter><values><gen_info><status>0</status>"
        "</gen_info></values></set></client>",
        "client/set",
    )
    # the new password opens the account; the old one does not
    login = {"HTTP_AUTH_LOGIN": "setme", "HTTP_AUTH_PASSWD": "N3w-password-42"}
    assert legacy.call("<server><get_protos/></server>", headers=login).find("system") is None
    old = {"HTTP_AUTH_LOGIN": "setme", "HTTP_AUTH_PASSWD": PASSWORD}
    assert (
        legacy.call("<server><get_protos/></server>", headers=old).findtext("system/errcode")
        == "1001"
    )
    code, _ = legacy.error(
        "<client><set><filter><login>setme</login></filter><values><gen_info>"
        "<status>7</status></gen_info></values></set></client>",
        "client/set",
    )
    assert code == 1019


def test_del_removes_the_customer(legacy: Legacy, panel: Panel) -> None:
    cid = _add(legacy, "delme")
    legacy.ok("<client><del><filter><login>delme</login></filter></del></client>", "client/del")
    assert panel.accounts.get(cid) is None
    assert legacy.error(
        "<customer><get><filter><login>delme</login></filter><dataset><gen_info/></dataset>"
        "</get></customer>",
        "customer/get",
        NEW,
    ) == (1013, "Client does not exist")
    assert (
        legacy.error(
            "<client><del><filter><login>delme</login></filter></del></client>", "client/del"
        )[0]
        == 1013
    )


def test_ippool_add_ip(legacy: Legacy, panel: Panel) -> None:
    cid = _add(legacy, "pooled")
    address = panel.ips.list()[0].address
    got = legacy.ok(
        f"<client><ippool_add_ip><client_id>{cid}</client_id><ip_address>{address}"
        "</ip_address></ippool_add_ip></client>",
        "client/ippool_add_ip",
    )
    assert got.findtext("client_id") == str(cid)
    # the address is one the client hosts on: a domain of it may use it
    legacy.ok(
        f"<domain><add><gen_setup><name>pooled.example</name><client_id>{cid}</client_id>"
        f"<ip_address>{address}</ip_address></gen_setup></add></domain>",
        "domain/add",
    )
    cases = {
        (1013, "203.0.113.250"): cid,  # not in the server's pool
        (1019, "not-an-ip"): cid,
        (1013, address): 999999,  # no such client
    }
    for (code, ip), client in cases.items():
        got_code, _ = legacy.error(
            f"<client><ippool_add_ip><client_id>{client}</client_id><ip_address>{ip}"
            "</ip_address></ippool_add_ip></client>",
            "client/ippool_add_ip",
        )
        assert got_code == code, (ip, client)


def test_a_customer_may_not_add_clients_nor_reach_others(
    legacy: Legacy, panel: Panel, admin: Identity
) -> None:
    _add(legacy, "mine")
    _add(legacy, "theirs")
    key = key_of(panel, admin, "mine")
    code, _ = legacy.error(
        "<client><add><gen_info><pname>X</pname><login>sneaky</login><passwd>pw12345678"
        "</passwd></gen_info></add></client>",
        "client/add",
        key=key,
    )
    assert code == 1006
    assert (
        legacy.error(
            "<client><del><filter><login>theirs</login></filter></del></client>",
            "client/del",
            key=key,
        )[0]
        == 1013
    )
    assert panel.accounts.by_login("theirs") is not None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_client_flow_on_postgresql(legacy: Legacy, tmp_path: Path) -> None:
    cid = _add(legacy, "pgclient")
    assert _customer(legacy, "pgclient").findtext("id") == str(cid)
    legacy.ok(f"<client><del><filter><id>{cid}</id></filter></del></client>", "client/del")


# -- every operation: the table's rows (operation_table.py) -------------------------------


DAVE = "<filter><login>dave</login></filter>"
GHOST = "<filter><login>ghost</login></filter>"
NO_CLIENT = "Client does not exist"
CASES = [
    Case(
        "client",
        "add",
        f"<gen_info><pname>Pat</pname><login>pat</login><passwd>{PASSWORD}</passwd></gen_info>",
        f"<add><gen_info><login>pat</login><pname>Pat</pname><passwd>{PASSWORD}</passwd>"
        "</gen_info></add>",
        "login",
        None,
        "",
        "carol",
        version=OLD,
    ),
    Case(
        "client",
        "get",
        f"{DAVE}<dataset><gen_info/></dataset>",
        f"<get><dataset><gen_info/></dataset>{DAVE}</get>",
        "dataset",
        f"{GHOST}<dataset><gen_info/></dataset>",
        NO_CLIENT,
        "carol",
        1013,
        version=OLD,
    ),
    Case(
        "client",
        "set",
        f"{DAVE}<values><gen_info><pname>Dave 2</pname></gen_info></values>",
        f"<set><values/>{DAVE}</set>",
        "values",
        f"{GHOST}<values><gen_info><pname>X</pname></gen_info></values>",
        NO_CLIENT,
        "carol",
        1013,
        version=OLD,
    ),
    Case(
        "client",
        "del",
        DAVE,
        f"<del><x/>{DAVE}</del>",
        "x",
        GHOST,
        NO_CLIENT,
        "carol",
        1013,
        version=OLD,
    ),
    Case(
        "client",
        "ippool_add_ip",
        "<client_id>{dave}</client_id><ip_address>192.0.2.10</ip_address>",
        "<ippool_add_ip><ip_address>192.0.2.10</ip_address><client_id>{dave}</client_id>"
        "</ippool_add_ip>",
        "ip_address",
        "<client_id>999999</client_id><ip_address>192.0.2.10</ip_address>",
        NO_CLIENT,
        "carol",
        1013,
        version=OLD,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
