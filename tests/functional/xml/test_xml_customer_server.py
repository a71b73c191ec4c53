"""Operators customer and server."""

from __future__ import annotations

import re

from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, error_of, results


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


def _key_of(panel: Panel, admin: Identity, login: str) -> str:
    return panel.keys.create(admin, addresses=None, login=login, face="cli")[0]


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


def test_a_taken_login_is_1007(xml: XmlClient) -> None:
    _add(xml, "jdoe")
    assert error_of(_add(xml, "JDOE"))[0] == 1007


def test_invalid_values_are_1019(xml: XmlClient, panel: Panel) -> None:
    assert error_of(_add(xml, "bad login"))[0] == 1019
    assert error_of(_add(xml, "jdoe", "<email>not-an-email</email>"))[0] == 1019
    assert error_of(_add(xml, "jdoe2", "<status>3</status>"))[0] == 1019
    assert panel.accounts.by_login("jdoe") is None


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


def test_unknown_customer_is_1013_with_filter_id(xml: XmlClient) -> None:
    _add(xml, "one")
    missing, found = _get(xml, "<login>ghost</login>") + _get(xml, "<login>one</login>")
    assert error_of(missing)[0] == 1013
    assert missing.findtext("filter-id") == "ghost"
    assert found.findtext("status") == "ok"
    (by_id,) = _get(xml, "<id>999</id>")
    assert error_of(by_id)[0] == 1013
    assert (by_id.findtext("filter-id"), by_id.findtext("id")) == ("999", "999")


def test_no_customers_is_one_ok_result(xml: XmlClient) -> None:
    (result,) = _get(xml)
    assert [c.tag for c in result] == ["status"]


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


def test_resellers_own_and_reach_only_their_customers(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    panel.accounts.create(admin, type="reseller", login="res", password="pw-res-123")
    _add(xml, "admins")
    key = _key_of(panel, admin, "res")
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


def test_customers_reach_only_themselves(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    _add(xml, "jdoe")
    _add(xml, "other")
    key = _key_of(panel, admin, "jdoe")
    assert [r.findtext("data/gen_info/login") for r in _get(xml, key=key)] == ["jdoe"]
    assert error_of(_get(xml, "<login>other</login>", key=key)[0])[0] == 1013
    assert error_of(_add(xml, "new", key=key))[0] == 1006


def test_get_protos_lists_versions_newest_last(xml: XmlClient) -> None:
    (result,) = results(xml.call("<server><get_protos/></server>"), "server/get_protos")
    protos = [p.text for p in result.findall("protos/proto")]
    for version in ("1.6.3.0", "1.6.6.0", "1.6.7.0"):
        assert version in protos
    assert protos[-1] == "1.6.9.1"


def test_server_get_gen_info(xml: XmlClient, panel: Panel) -> None:
    for inner in ("<get><gen_info/></get>", "<get/>"):
        (result,) = results(xml.call(f"<server>{inner}</server>"), "server/get")
        assert result.findtext("status") == "ok"
        assert result.findtext("gen_info/server_guid") == panel.server_guid()
        assert result.findtext("gen_info/server_name")
        assert result.findtext("gen_info/mode") == "standard"


def test_customers_get_protos_but_not_server_get(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    _add(xml, "jdoe")
    key = _key_of(panel, admin, "jdoe")
    root = xml.call("<server><get_protos/><get><gen_info/></get></server>", key=key)
    assert results(root, "server/get_protos")[0].findtext("status") == "ok"
    assert error_of(results(root, "server/get")[0])[0] == 1006


def test_same_packet_from_another_caller_gets_its_own_answer(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    _add(xml, "jdoe")
    key = _key_of(panel, admin, "jdoe")
    for _ in range(2):  # the second round is answered from the remembered answers
        assert (
            results(xml.call("<server><get/></server>"), "server/get")[0].findtext("status") == "ok"
        )
        assert (
            error_of(results(xml.call("<server><get/></server>", key=key), "server/get")[0])[0]
            == 1006
        )
