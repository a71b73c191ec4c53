"""Operator secret_key: create, get_info, delete (admin only)."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests import factories
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, results

# Everything here runs on both stores.
pytestmark = pytest.mark.parametrize("database_url", BOTH, indirect=True)

KEY_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PROTOS = "<server><get_protos/></server>"


def _create(xml: XmlClient, inner: str = "", address: str = "127.0.0.1") -> etree._Element:
    root = xml.call(f"<secret_key><create>{inner}</create></secret_key>", address=address)
    (result,) = results(root, "secret_key/create")
    return result


def _new_key(xml: XmlClient, inner: str = "", address: str = "127.0.0.1") -> str:
    result = _create(xml, inner, address)
    assert result.findtext("status") == "ok", etree.tostring(result)
    value = result.findtext("key") or ""
    assert KEY_RE.match(value)
    return value


def _infos(xml: XmlClient, keys: list[str] | None = None) -> list[etree._Element]:
    inner = "".join(f"<key>{k}</key>" for k in keys or [])
    return results(
        xml.call(f"<secret_key><get_info><filter>{inner}</filter></get_info></secret_key>"),
        "secret_key/get_info",
    )


def _delete(xml: XmlClient, keys: list[str] | None = None) -> list[etree._Element]:
    inner = "".join(f"<key>{k}</key>" for k in keys or [])
    return results(
        xml.call(f"<secret_key><delete><filter>{inner}</filter></delete></secret_key>"),
        "secret_key/delete",
    )


# -- create ------------------------------------------------------------------------------


def test_key_without_ip_address_is_bound_to_the_caller(xml: XmlClient, panel: Panel) -> None:
    value = _new_key(xml, address="192.0.2.10")
    info = panel.keys.find(value)
    assert info is not None and info.ips == ["192.0.2.10"]
    _new_key(xml, "<ip_address></ip_address>", address="192.0.2.11")
    assert panel.keys.list()[-1].ips == ["192.0.2.11"]


def test_key_is_bound_to_the_addresses_given(xml: XmlClient, panel: Panel) -> None:
    value = _new_key(
        xml,
        "<ip_address>192.0.2.1, 2001:db8::/32,192.0.2.1</ip_address>"
        "<description>test key</description>",
    )
    info = panel.keys.find(value)
    assert info is not None
    assert (info.ips, info.description, info.login) == (
        ["192.0.2.1", "2001:db8::/32"],
        "test key",
        "admin",
    )
    assert xml.call(PROTOS, key=value, address="2001:db8::5").find("system") is None


def test_invalid_address_is_1019_and_creates_nothing(xml: XmlClient, panel: Panel) -> None:
    before = len(panel.keys.list())
    result = _create(xml, "<ip_address>192.0.2.1,not-an-ip</ip_address>")
    assert error_of(result)[0] == 1019
    assert result.find("key") is None
    assert len(panel.keys.list()) == before


def test_key_for_a_login_belongs_to_it(xml: XmlClient, panel: Panel) -> None:
    factories.customer(panel, "jdoe", password="pw-jdoe-1")
    value = _new_key(xml, "<login>jdoe</login>")
    info = panel.keys.find(value)
    assert info is not None and info.login == "jdoe"


def test_key_for_an_unknown_or_disabled_login_is_refused(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    before = len(panel.keys.list())
    assert error_of(_create(xml, "<login>ghost</login>"))[0] == 1015
    account = factories.customer(panel, "off", password="pw-off-12")
    panel.accounts.update(admin, account, {"status": 16})
    assert error_of(_create(xml, "<login>off</login>"))[0] == 1015
    assert len(panel.keys.list()) == before


def test_several_creates_make_several_keys(xml: XmlClient, panel: Panel) -> None:
    root = xml.call(
        "<secret_key><create><description>a</description></create>"
        "<create><description>b</description></create></secret_key>"
    )
    values = [r.findtext("key") for r in results(root, "secret_key/create")]
    assert len(set(values)) == 2
    assert [k.description for k in panel.keys.list()][-2:] == ["a", "b"]


def test_create_is_audited_without_the_value(xml: XmlClient, panel: Panel) -> None:
    value = _new_key(xml, "<ip_address>192.0.2.1</ip_address>")
    created = [e for e in panel.audit.entries() if e.event == "key_created" and e.face == "xml"]
    assert len(created) == 1
    assert created[0].actor == "admin" and created[0].source_ip == "127.0.0.1"
    for e in panel.audit.entries():
        assert value not in f"{e.actor} {e.detail} {e.reason}"


# -- get_info ----------------------------------------------------------------------------


def test_get_info_shows_ids_never_values(xml: XmlClient, panel: Panel, admin_key: str) -> None:
    value = _new_key(xml, "<ip_address>192.0.2.1</ip_address><description>d</description>")
    infos = _infos(xml)
    assert len(infos) == 2
    listed = b"".join(etree.tostring(r) for r in infos)
    assert value.encode() not in listed and admin_key.encode() not in listed
    last = infos[-1]
    assert last.findtext("status") == "ok"
    assert [c.tag for c in last.find("key_info")] == ["key", "ip_address", "description", "login"]
    info = panel.keys.find(value)
    assert info is not None
    assert last.findtext("key_info/key") == str(info.id)
    assert last.findtext("key_info/ip_address") == "192.0.2.1"
    assert last.findtext("key_info/description") == "d"
    assert last.findtext("key_info/login") == "admin"
    assert infos[0].findtext("key_info/ip_address") == ""  # any address


def test_get_info_by_value_and_by_id(xml: XmlClient, panel: Panel) -> None:
    value = _new_key(xml)
    info = panel.keys.find(value)
    assert info is not None
    by_value, by_id = _infos(xml, [value, str(info.id)])
    assert by_value.findtext("key_info/key") == by_id.findtext("key_info/key") == str(info.id)


def test_get_info_with_no_keys_is_one_ok_result(xml: XmlClient, panel: Panel) -> None:
    creds = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": "admin-test-password"}
    panel.keys.delete_all(factories.admin(panel), face="cli")
    root = xml.call("<secret_key><get_info><filter/></get_info></secret_key>", headers=creds)
    (result,) = results(root, "secret_key/get_info")
    assert [c.tag for c in result] == ["status"]
    assert result.findtext("status") == "ok"


def test_get_info_of_an_unknown_key_is_1013(xml: XmlClient) -> None:
    unknown = "11111111-2222-3333-4444-555555555555"
    a, b = _infos(xml, [unknown, "999"])
    assert error_of(a) == (1013, "Key is not found")
    assert a.findtext("key") == unknown
    assert error_of(b) == (1013, "Key is not found")
    assert b.findtext("key") == "999"


# -- delete ------------------------------------------------------------------------------


def test_delete_by_value_by_id_and_several(xml: XmlClient, panel: Panel) -> None:
    one, two, three = _new_key(xml), _new_key(xml), _new_key(xml)
    ids = {v: panel.keys.find(v).id for v in (one, two, three)}  # type: ignore[union-attr]
    (r,) = _delete(xml, [one])
    assert (r.findtext("status"), r.findtext("key")) == ("ok", str(ids[one]))
    rs = _delete(xml, [str(ids[two]), three])
    assert [(x.findtext("status"), x.findtext("key")) for x in rs] == [
        ("ok", str(ids[two])),
        ("ok", str(ids[three])),
    ]
    assert [k.id for k in panel.keys.list()] == [1]


def test_delete_with_an_empty_filter_deletes_every_key(xml: XmlClient, panel: Panel) -> None:
    _new_key(xml)
    rs = _delete(xml)
    assert [(r.findtext("status"), r.findtext("key")) for r in rs] == [("ok", "1"), ("ok", "2")]
    assert panel.keys.list() == []
    deleted = [e for e in panel.audit.entries() if e.event == "key_deleted"]
    assert {(e.face, e.key_id) for e in deleted} == {("xml", 1), ("xml", 2)}


def test_delete_of_an_unknown_key_is_1013(xml: XmlClient, panel: Panel) -> None:
    unknown = "11111111-2222-3333-4444-555555555555"
    keep = _new_key(xml)
    missing, gone = _delete(xml, [unknown, keep])
    assert error_of(missing) == (1013, "Secret key does not exist")
    assert missing.findtext("key") == unknown
    assert gone.findtext("status") == "ok"
    (again,) = _delete(xml, [keep])
    assert error_of(again) == (1013, "Secret key does not exist")


def test_a_deleted_key_is_refused_on_the_next_packet(xml: XmlClient) -> None:
    value = _new_key(xml)
    assert xml.call(PROTOS, key=value).find("system") is None
    _delete(xml, [value])
    assert xml.call(PROTOS, key=value).findtext("system/errcode") == "11003"


# -- rights ------------------------------------------------------------------------------


def test_non_admins_get_1006_in_each_result(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    factories.customer(panel, "jdoe", password="pw-jdoe-1")
    key = factories.key_of(panel, admin, "jdoe")
    before = len(panel.keys.list())
    root = xml.call(
        "<secret_key><create/><create/>"
        "<get_info><filter/></get_info>"
        "<get_info><filter><key>1</key><key>2</key></filter></get_info>"
        "<delete><filter><key>1</key></filter></delete>"
        "<delete><filter/></delete></secret_key>",
        key=key,
    )
    operations = root.find("secret_key")
    assert operations is not None
    assert [op.tag for op in operations] == [
        "create",
        "create",
        "get_info",
        "get_info",
        "delete",
        "delete",
    ]
    counts = [len(op.findall("result")) for op in operations]
    assert counts == [1, 1, 1, 2, 1, 1]
    for result in operations.iter("result"):
        assert error_of(result)[0] == 1006
        assert result.find("key_info") is None
    assert len(panel.keys.list()) == before


def test_operations_run_in_order_each_in_its_own_element(xml: XmlClient) -> None:
    root = xml.call(
        "<server><get_protos/></server>"
        "<secret_key><create><description>x</description></create>"
        "<get_info><filter/></get_info></secret_key>"
        "<server><get_protos/></server>"
    )
    assert [c.tag for c in root] == ["server", "secret_key", "server"]
    assert len(results(root, "secret_key/get_info")) == 2


# -- every operation: the table's rows (operation_table.py) -------------------------------


UNKNOWN_KEY = "11111111-2222-3333-4444-555555555555"
CASES = [
    Case(
        "secret_key",
        "create",
        "<description>billing</description>",
        "<create><description>billing</description><ip_address>127.0.0.1</ip_address></create>",
        "ip_address",
        "<login>ghost</login>",
        "Login 'ghost' is not an existing active account",
        "rick",
        missing_code=1015,
    ),
    Case(
        "secret_key",
        "get_info",
        "<filter/>",
        "<get_info><x/><filter/></get_info>",
        "x",
        f"<filter><key>{UNKNOWN_KEY}</key></filter>",
        "Key is not found",
        "rick",
    ),
    Case(
        "secret_key",
        "delete",
        "<filter><key>{made}</key></filter>",
        "<delete><x/><filter><key>{made}</key></filter></delete>",
        "x",
        f"<filter><key>{UNKNOWN_KEY}</key></filter>",
        "Secret key does not exist",
        "rick",
        before="<secret_key><create><description>spare</description></create></secret_key>",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
