"""Operator server beyond get: settings (set, initial_setup), services (srv_man, reboot,
clean-mail-queue), license keys, misc parameters, additional administrators, domain
restrictions, the billing connection. One row per operation (happy path, an element out
of order, an unknown object, a caller without rights), then the flows: what each write
changes, a later read shows, over XML and REST, on SQLite and PostgreSQL.

The scene: reseller rick with customer carol (webspace carol.example). Packets may name
`{main}` and `{addon}`, two Plesk key files (base64), `{main_id}`, `{addon_name}`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from lxml import etree

from panelkey.context import Context
from panelkey.core.access.auth import Refused
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import database, tables
from panelkey.xmlapi.operators import OPERATORS
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error


def _key_file(number: str, version: str, product: str, expires: str) -> str:
    """A Plesk key file as its XML reads (the facts panelkey takes from it), base64."""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><plesk-unified:key '
        'xmlns:plesk-unified="http://parallels.com/schemas/keys/products/plesk/unified/multi" '
        'xmlns:core="http://parallels.com/schemas/keys/core/3">'
        f"<core:key-number>{number}</core:key-number><core:key-version>{version}"
        f"</core:key-version><core:product>{product}</core:product>"
        f'<core:expiration-date core:type="date">{expires}</core:expiration-date>'
        "<core:signature>SECRET-SIGNATURE-BODY</core:signature></plesk-unified:key>"
    )
    return base64.b64encode(text.encode()).decode()


MAIN = _key_file("PLSK.00000001", "0001", "plesk-unix", "2031-01-31")
OTHER_MAIN = _key_file("PLSK.00000002", "0003", "plesk-unix", "2032-02-29")
ADDON = _key_file("KAV.00000007", "0001", "kav", "2030-06-30")
VALUES = {
    "main": MAIN,
    "addon": ADDON,
    "main_id": "PLSK.00000001.0001",
    "addon_name": "KAV.00000007.0001/kav",
}
ADD_MAIN = f"<server><lic_install><license>{MAIN}</license></lic_install></server>"
ADD_ADDON = (
    f"<server><lic_install><license>{ADDON}</license><additional_key/></lic_install></server>"
)
SET_MISC = (
    "<server><set_misc><filter><property><name>color</name><value>blue</value></property>"
    "</filter></set_misc></server>"
)
ALIAS = (
    "<data><login>deputy</login><password>deputy-pass-1</password>"
    "<email>deputy@example.com</email></data>"
)
ADD_ALIAS = f"<server><add-admin-alias>{ALIAS}</add-admin-alias></server>"
RESTRICT = (
    "<server><domain-restriction-add><name>restricted.example</name>"
    "</domain-restriction-add></server>"
)
PPB = (
    "<connection><ppb-url>https://billing.example/</ppb-url><remote-access-hash>h4sh-v4lue"
    "</remote-access-hash><integration-api-version>1.0</integration-api-version></connection>"
)


@dataclass(frozen=True)
class Case:
    operator: str
    operation: str
    good: str
    misordered: str  # a packet (inner of the operator) with `late` out of place
    late: str
    unknown: str | None  # inner of the operation
    missing: str  # Plesk's 1013 text for `unknown`
    caller: str | None  # "rick" or "carol": runs `good` without the right
    denied: int = 1006
    before: str = ""  # packets (inner of <packet>) the admin sends first

    @property
    def id(self) -> str:
        return f"{self.operator}/{self.operation}"


def _c(operation: str, good: str, misordered: str, late: str, *rest: object, **kw: str) -> Case:
    return Case("server", operation, good, misordered, late, *rest, **kw)  # type: ignore[arg-type]


def _empty(operation: str, caller: str = "rick") -> Case:
    """An operation that takes nothing: content inside it is out of place."""
    return _c(operation, "", f"<{operation}><x/></{operation}>", operation, None, "", caller)


KEY_MISSING = "License key does not exist"
CASES = [
    # -- license keys, most used first -------------------------------------------------
    _c(
        "lic_install",
        "<activation-code>A00B00-CDE111-FGH222</activation-code>",
        "<lic_install><additional_key/><activation-code>X</activation-code></lic_install>",
        "additional_key",
        None,
        "",
        "rick",
    ),
    _c(
        "get_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<get_additional_key><filter/><filter/></get_additional_key>",
        "filter",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _c(
        "set",
        "<admin><admin_pname>Ada Admin</admin_pname></admin><prefs><stat_ttl>6</stat_ttl>"
        "</prefs><session_setup><login_timeout>45</login_timeout></session_setup>",
        "<set><admin><admin_pname>A</admin_pname><admin_cname>C</admin_cname></admin></set>",
        "admin_cname",
        None,
        "",
        "carol",
    ),
    _c(
        "license-rollback-key",
        "",
        "<license-rollback-key><x/></license-rollback-key>",
        "license-rollback-key",
        None,
        "",
        "rick",
        before=ADD_MAIN,
    ),
    _c(
        "lic_update",
        "<filter><key-id>{main_id}</key-id></filter>",
        "<lic_update><instance-id>i-1</instance-id><filter><key-id>K</key-id></filter>"
        "</lic_update>",
        "instance-id",
        "<filter><key-id>PLSK.99999999.0000</key-id></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_MAIN,
    ),
    _c(
        "lic_get_info",
        "<license>{main}</license>",
        "<lic_get_info><x/><license>{main}</license></lic_get_info>",
        "x",
        None,
        "",
        "rick",
    ),
    _c(
        "remove_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<remove_additional_key><filter/><filter/></remove_additional_key>",
        "filter",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _c(
        "renew_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<renew_additional_key><filter><name>x</name></filter><x/></renew_additional_key>",
        "x",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _empty("license-retrieve-keys"),
    # -- misc parameters ----------------------------------------------------------------
    _c(
        "get_misc",
        "<filter><property><name>color</name></property></filter>",
        "<get_misc><filter><property><x/><name>color</name></property></filter></get_misc>",
        "x",
        "<filter><property><name>nothing-here</name></property></filter>",
        "Parameter does not exist",
        "rick",
        before=SET_MISC,
    ),
    _c(
        "set_misc",
        "<filter><property><name>color</name><value>green</value></property></filter>",
        "<set_misc><filter><property><value>v</value><name>n</name></property></filter></set_misc>",
        "value",
        None,
        "",
        "carol",
    ),
    _c(
        "del_misc",
        "<filter><property><name>color</name></property></filter>",
        "<del_misc><x/><filter><property><name>color</name></property></filter></del_misc>",
        "x",
        "<filter><property><name>nothing-here</name></property></filter>",
        "Parameter does not exist",
        "rick",
        before=SET_MISC,
    ),
    # -- services -----------------------------------------------------------------------
    _c(
        "srv_man",
        "<id>dns</id><operation>stop</operation>",
        "<srv_man><operation>stop</operation><id>dns</id></srv_man>",
        "operation",
        "<id>no-such-service</id><operation>stop</operation>",
        "Service does not exist",
        "rick",
    ),
    _c(
        "initial_setup",
        "<admin><admin_pname>First Admin</admin_pname><admin_email>first@example.com"
        "</admin_email></admin><password>first-pass-1</password>"
        "<server_name>plesk.example.com</server_name>",
        "<initial_setup><admin><admin_email>e@example.com</admin_email><admin_pname>P"
        "</admin_pname></admin><password>abcdef</password></initial_setup>",
        "admin_pname",
        None,
        "",
        "rick",
    ),
    _empty("reboot"),
    _empty("clean-mail-queue", "carol"),
    # -- additional administrators ------------------------------------------------------
    _c(
        "add-admin-alias",
        ALIAS,
        f"<add-admin-alias>{ALIAS}<data/></add-admin-alias>",
        "data",
        None,
        "",
        "rick",
    ),
    _c(
        "set-admin-alias",
        "<filter><login>deputy</login></filter><data><comment>night shift</comment></data>",
        "<set-admin-alias><data><comment>x</comment></data><filter><login>deputy</login>"
        "</filter></set-admin-alias>",
        "data",
        "<filter><login>ghost</login></filter><data><comment>x</comment></data>",
        "Administrator alias does not exist",
        "rick",
        before=ADD_ALIAS,
    ),
    _c(
        "del-admin-alias",
        "<filter><login>deputy</login></filter>",
        "<del-admin-alias><x/><filter><login>deputy</login></filter></del-admin-alias>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Administrator alias does not exist",
        "rick",
        before=ADD_ALIAS,
    ),
    # -- domain restrictions ------------------------------------------------------------
    _c(
        "domain-restriction-add",
        "<name>restricted.example</name>",
        "<domain-restriction-add><x/><name>restricted.example</name></domain-restriction-add>",
        "x",
        None,
        "",
        "rick",
    ),
    _c(
        "domain-restriction-remove",
        "<name>restricted.example</name>",
        "<domain-restriction-remove><name>a.example</name><x/></domain-restriction-remove>",
        "x",
        "<name>free.example</name>",
        "Domain restriction does not exist",
        "rick",
        before=RESTRICT,
    ),
    _empty("domain-restriction-list"),
    _c(
        "domain-restriction-rename",
        "<name>restricted.example</name><new-name>renamed.example</new-name>",
        "<domain-restriction-rename><new-name>b.example</new-name><name>a.example</name>"
        "</domain-restriction-rename>",
        "new-name",
        "<name>free.example</name><new-name>other.example</new-name>",
        "Domain restriction does not exist",
        "rick",
        before=RESTRICT,
    ),
    _empty("domain-restriction-enable"),
    _empty("domain-restriction-disable", "carol"),
    # -- the billing connection ---------------------------------------------------------
    _c(
        "set-ppb-connection",
        PPB,
        "<set-ppb-connection><connection><remote-access-hash>h</remote-access-hash>"
        "<ppb-url>https://b.example/</ppb-url><integration-api-version>1</integration-api-version>"
        "</connection></set-ppb-connection>",
        "remote-access-hash",
        None,
        "",
        "rick",
    ),
]
# What the rows above cover: every operation of `server` but the three tier 1's table has.
ADDED = {c.operation for c in CASES}


@dataclass
class Scene:
    keys: dict[str, str]

    def fill(self, text: str) -> str:
        return text.format(**VALUES)


@pytest.fixture
def scene(panel: Panel, admin: Identity) -> Scene:
    rick = panel.accounts.create(admin, type="reseller", login="rick", password="pw-rick-123")
    carol = panel.accounts.create(
        admin, type="customer", login="carol", password="pw-carol-123", owner=rick
    )
    panel.domains.create(admin, name="carol.example", owner=carol)
    keys = {
        login: panel.keys.create(admin, addresses=None, login=login, face="cli")[0]
        for login in ("rick", "carol")
    }
    return Scene(keys)


def _answer(root: etree._Element, path: str) -> etree._Element:
    """The operation's element of an answer that went through: its results all ok, or
    (lic_get_info, domain-restriction-list, whose Plesk output has no result) the
    elements it answered, none an error."""
    found = root.find(path)
    assert found is not None and len(found), etree.tostring(root)
    for status in found.iter("status"):
        assert status.text == "ok", etree.tostring(found)
    return found


def _send(
    xml: XmlClient, scene: Scene, case: Case, inner: str, key: str | None = None
) -> etree._Element:
    body = f"<{case.operator}><{case.operation}>{inner}</{case.operation}></{case.operator}>"
    return xml.call(scene.fill(body), key=key)


def _call(xml: XmlClient, inner: str, key: str | None = None) -> etree._Element:
    return xml.call(inner, key=key)


def _one(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    """The single result of one server operation."""
    root = xml.call(f"<server><{operation}>{inner}</{operation}></server>", key=key)
    (found,) = results(root, f"server/{operation}")
    return found


def _ok(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    found = _one(xml, operation, inner, key)
    assert found.findtext("status") == "ok", etree.tostring(found)
    return found


def test_the_rows_cover_every_operation_of_server() -> None:
    assert ADDED | {"get_protos", "get", "create_session"} == set(OPERATORS["server"])
    assert len(ADDED) == len(CASES) == 26


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    """Refusals first, each writing nothing; then the happy path."""
    if case.before:
        _answer(xml.call(scene.fill(case.before)), f"{case.operator}")
    before = len(panel.events.list())
    # element out of order: 1014 naming it
    root = xml.call(scene.fill(f"<{case.operator}>{case.misordered}</{case.operator}>"))
    code, text = system_error(root)
    assert code == 1014, text
    assert f"'{case.late}'" in text and "Error in line" in text, text
    # an unknown object: 1013 with Plesk's text
    if case.unknown is not None:
        (result,) = results(_send(xml, scene, case, case.unknown), case.id)
        assert error_of(result) == (1013, case.missing)
    # a caller without rights
    if case.caller is not None:
        found = results(_send(xml, scene, case, case.good, key=scene.keys[case.caller]), case.id)
        assert found
        for result in found:
            assert error_of(result)[0] == case.denied, etree.tostring(result)
    assert len(panel.events.list()) == before
    # the happy path
    _answer(_send(xml, scene, case, case.good), f"{case.operator}/{case.operation}")


# -- flows ------------------------------------------------------------------------------


def _get(xml: XmlClient, sections: str) -> etree._Element:
    return _ok(xml, "get", sections)


def _states(xml: XmlClient) -> dict[str, str]:
    found = _get(xml, "<services_state/>").findall("services_state/srv")
    return {s.findtext("id") or "": s.findtext("state") or "" for s in found}


def test_srv_man_stop_then_get_says_stopped_and_a_reboot_starts_all(xml: XmlClient) -> None:
    assert set(_states(xml).values()) == {"running"}
    done = _ok(xml, "srv_man", "<id>dns</id><operation>stop</operation>")
    assert done.findtext("id") == "dns"
    _ok(xml, "srv_man", "<id>mail</id><operation>stop</operation>")
    states = _states(xml)
    assert states["dns"] == states["mail"] == "stopped" and states["web"] == "running"
    _ok(xml, "srv_man", "<id>dns</id><operation>restart</operation>")
    assert _states(xml)["dns"] == "running"
    _ok(xml, "srv_man", "<id>dns</id><operation>stop</operation>")
    _ok(xml, "reboot")
    assert set(_states(xml).values()) == {"running"}
    unknown = _one(xml, "srv_man", "<id>nope</id><operation>start</operation>")
    assert (
        error_of(unknown) == (1013, "Service does not exist") and unknown.findtext("id") == "nope"
    )


def test_set_then_get_shows_admin_prefs_session_setup_mode_and_external_id(
    xml: XmlClient, panel: Panel
) -> None:
    _ok(
        xml,
        "set",
        "<mode>poweruser</mode><session_setup><login_timeout>45</login_timeout></session_setup>"
        "<prefs><traffic_accounting>1</traffic_accounting><smtp_password>smtp-secret</smtp_password>"
        "<ftp_over_ssl>required</ftp_over_ssl></prefs><external-id>whmcs-1</external-id>"
        "<admin><admin_cname>Ada Ltd</admin_cname><admin_pname>Ada Admin</admin_pname>"
        "<admin_email>ada@example.com</admin_email><send_announce>true</send_announce></admin>",
    )
    got = _get(xml, "<gen_info/><admin/><prefs/><session_setup/>")
    assert [c.tag for c in got.find("gen_info")] == [
        "server_name", "server_guid", "external-id", "mode",
    ]  # fmt: skip
    assert got.findtext("gen_info/mode") == "poweruser"
    assert got.findtext("gen_info/external-id") == "whmcs-1"
    assert got.findtext("admin/admin_cname") == "Ada Ltd"
    assert got.findtext("admin/admin_pname") == "Ada Admin"
    assert got.findtext("admin/admin_email") == "ada@example.com"
    assert got.findtext("admin/send_announce") == "true"
    prefs = {str(c.tag): c.text for c in got.find("prefs")}
    # Plesk's order; the secret kept only as a digest, never answered
    assert list(prefs) == [
        "stat_ttl",
        "traffic_accounting",
        "restart_apache_interval",
        "ftp_over_ssl",
    ]
    assert prefs["traffic_accounting"] == "1" and prefs["ftp_over_ssl"] == "required"
    assert b"smtp-secret" not in etree.tostring(got)
    with panel.db.read() as conn:
        stored = conn.execute(sa.select(tables.properties.c.value)).scalars().all()
    assert "smtp-secret" not in stored
    assert got.findtext("session_setup/login_timeout") == "45"
    admin = panel.accounts.admin()
    assert admin is not None and admin.company == "Ada Ltd"
    # a value the schema refuses is 1014; one the core refuses writes nothing
    code, _ = system_error(xml.call("<server><set><mode>expert</mode></set></server>"))
    assert code == 1014
    bad = _one(
        xml, "set", "<mode>standard</mode><admin><admin_email>no-at-sign</admin_email></admin>"
    )
    assert error_of(bad)[0] == 1019
    assert _get(xml, "<gen_info/>").findtext("gen_info/mode") == "poweruser"


def test_the_login_timeout_set_is_the_one_sessions_keep(xml: XmlClient, panel: Panel) -> None:
    user_ip = base64.b64encode(b"203.0.113.5").decode()
    made = _ok(
        xml,
        "create_session",
        f"<login>admin</login><data><user_ip>{user_ip}</user_ip></data>",
    )
    assert made.findtext("id")
    # idle for 10 minutes: alive under Plesk's 30, over after a set of 5
    ten_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    with panel.db.begin() as conn:
        conn.execute(tables.sessions.update().values(last_active=ten_ago))

    def listed() -> int:
        root = xml.call("<session><get/></session>")
        return len(root.findall("session/get/result/session"))

    assert listed() == 1
    _ok(xml, "set", "<session_setup><login_timeout>5</login_timeout></session_setup>")
    assert listed() == 0
    _ok(xml, "set", "<session_setup><login_timeout>15</login_timeout></session_setup>")
    assert listed() == 1


def _key_properties(key: etree._Element | None) -> dict[str, str]:
    assert key is not None
    return {p.findtext("name") or "": p.findtext("value") or "" for p in key.findall("property")}


def test_lic_install_then_lic_get_info_get_and_rests_license(
    xml: XmlClient, ctx: Context, panel: Panel, tmp_path: Path
) -> None:
    info = xml.call(f"<server><lic_get_info><license>{MAIN}</license></lic_get_info></server>")
    about = _answer(info, "server/lic_get_info")
    assert [c.tag for c in about][-2:] == ["content", "additional-key"]
    props = _key_properties(about)
    assert props["plesk_key_id"] == "PLSK.00000001.0001" and props["lim_date"] == "20310131"
    assert about.findtext("additional-key") == "false" and not about.findtext("content")
    _ok(xml, "lic_install", f"<license>{MAIN}</license>")
    (key,) = _get(xml, "<key/>").findall("key")
    shown = _key_properties(key)
    assert shown["plesk_key_id"] == "PLSK.00000001.0001" and shown["key_type"] == "main"
    assert shown["lim_date"] == "20310131"
    # what REST's server license is: the same key, its text never kept
    installed = panel.server.license()
    assert installed is not None and installed.key_id == "PLSK.00000001.0001"
    with panel.db.read() as conn:
        dumped = json.dumps([list(r) for r in conn.execute(sa.select(tables.license_keys))])
    assert "SECRET-SIGNATURE" not in dumped and MAIN not in dumped
    # an additional key over REST joins it; XML lists it
    api = Api(panel, ctx, tmp_path / "panel.ini")
    addon_text = base64.b64decode(ADDON).decode()
    posted = api.post(
        "/server/license", headers=api.new_key(), json={"key": addon_text, "additional": True}
    )
    assert posted.status_code == 200
    listed = _ok(xml, "get_additional_key")
    assert listed.findtext("name") == "KAV.00000007.0001/kav"
    assert listed.findtext("key_info/number") == "KAV.00000007.0001"
    assert listed.findtext("key_info/active") == "true"
    assert listed.findtext("key_info/lim_date") == "20300630"
    again = xml.call(f"<server><lic_get_info><license>{ADDON}</license></lic_get_info></server>")
    assert _answer(again, "server/lic_get_info").findtext("additional-key") == "true"
    (main_key,) = _get(xml, "<key/>").findall("key")
    assert _key_properties(main_key)["plesk_key_id"] == "PLSK.00000001.0001"


def test_rollback_brings_back_the_key_replaced_and_retrieve_the_addons_removed(
    xml: XmlClient,
) -> None:
    refused = _one(xml, "license-rollback-key")
    assert error_of(refused) == (1013, "There is no previous license key to roll back to")

    def main_key() -> dict[str, str]:
        return _key_properties(_get(xml, "<key/>").find("key"))

    own = main_key()["plesk_key_id"]
    assert own.startswith("PANELKEY.")
    _ok(xml, "lic_install", f"<license>{MAIN}</license>")
    # the first key installed replaced panelkey's own: rolled back, that stands again
    assert _ok(xml, "license-rollback-key").findtext("key-id") == own
    assert main_key()["key_type"] == "panelkey"
    assert _ok(xml, "license-rollback-key").findtext("key-id") == "PLSK.00000001.0001"
    _ok(xml, "lic_install", f"<license>{ADDON}</license><additional_key/>")
    _ok(xml, "lic_install", f"<license>{OTHER_MAIN}</license>")
    assert main_key()["plesk_key_id"] == "PLSK.00000002.0003"
    assert _ok(xml, "license-rollback-key").findtext("key-id") == "PLSK.00000001.0001"
    assert main_key()["plesk_key_id"] == "PLSK.00000001.0001"
    # the add-on, linked to PLSK.00000001: removed, then handed out again
    _ok(xml, "remove_additional_key", "<filter><name>KAV.00000007.0001</name></filter>")
    none = xml.call("<server><get_additional_key/></server>")
    assert results(none, "server/get_additional_key") == []
    _ok(xml, "license-retrieve-keys")
    assert _ok(xml, "get_additional_key").findtext("name") == "KAV.00000007.0001/kav"
    renewed = _ok(
        xml, "renew_additional_key", "<filter><name>KAV.00000007.0001/kav</name></filter>"
    )
    assert renewed.findtext("name") == "KAV.00000007.0001/kav"
    today = time.strftime("%Y%m%d", time.gmtime())
    assert _ok(xml, "get_additional_key").findtext("key_info/license_update_date") == today
    _ok(xml, "lic_update", "<filter><key-id>PLSK.00000001.0001</key-id></filter>")
    # under another main key the add-on is not handed out again
    _ok(xml, "remove_additional_key")
    _ok(xml, "license-rollback-key")
    _ok(xml, "license-retrieve-keys")
    assert (
        results(xml.call("<server><get_additional_key/></server>"), "server/get_additional_key")
        == []
    )


def test_admin_aliases_are_added_changed_and_deleted(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    _ok(xml, "add-admin-alias", ALIAS)
    (alias,) = panel.admin_aliases.list(admin)
    assert (alias.login, alias.email, alias.active) == ("deputy", "deputy@example.com", True)
    with panel.db.read() as conn:
        stored = conn.execute(sa.select(tables.admin_aliases.c.password)).scalar()
    assert stored and "deputy-pass-1" not in stored
    taken = _one(xml, "add-admin-alias", ALIAS)
    assert error_of(taken)[0] == 1007
    as_account = _one(
        xml, "add-admin-alias", "<data><login>admin</login><password>pw-12345</password></data>"
    )
    assert error_of(as_account)[0] == 1007
    _ok(
        xml,
        "set-admin-alias",
        "<filter><login>deputy</login></filter><data><status>false</status>"
        "<login>deputy2</login><comment>night shift</comment></data>",
    )
    (alias,) = panel.admin_aliases.list(admin)
    assert (alias.login, alias.comment, alias.active) == ("deputy2", "night shift", False)
    gone = _one(xml, "del-admin-alias", "<filter><login>deputy</login></filter>")
    assert error_of(gone) == (1013, "Administrator alias does not exist")
    _ok(xml, "del-admin-alias", "<filter><login>deputy2</login></filter>")
    assert panel.admin_aliases.list(admin) == []
    actions = [e.action for e in panel.events.list(obj_class="admin_alias")]
    assert actions == ["admin_alias_create", "admin_alias_update", "admin_alias_delete"]
    assert "deputy-pass-1" not in json.dumps([e.new_values for e in panel.events.list()])


def _restrictions(xml: XmlClient) -> tuple[str, list[str]]:
    found = _answer(
        xml.call("<server><domain-restriction-list/></server>"), "server/domain-restriction-list"
    )
    assert [c.tag for c in found][:1] == ["enable"]
    return found.findtext("enable") or "", [n.text or "" for n in found.findall("name")]


def test_a_restricted_name_is_refused_to_resellers_and_customers_while_the_list_applies(
    xml: XmlClient, scene: Scene, ctx: Context, panel: Panel, tmp_path: Path
) -> None:
    assert _restrictions(xml) == ("0", [])
    _ok(xml, "domain-restriction-add", "<name>Restricted.Example</name>")
    taken = _one(xml, "domain-restriction-add", "<name>restricted.example</name>")
    assert error_of(taken)[0] == 1007
    _ok(xml, "domain-restriction-add", "<name>other.example</name>")
    _ok(
        xml,
        "domain-restriction-rename",
        "<name>other.example</name><new-name>brand.example</new-name>",
    )
    _ok(xml, "domain-restriction-enable")
    assert _restrictions(xml) == ("1", ["brand.example", "restricted.example"])
    rick = scene.keys["rick"]
    _ok(xml, "get", "<gen_info/>")  # the admin reads on
    plan = xml.call("<service-plan><add><name>Rick plan</name></add></service-plan>", key=rick)
    assert results(plan, "service-plan/add")[0].findtext("status") == "ok"

    def webspace(name: str, key: str | None) -> etree._Element:
        root = xml.call(
            f"<webspace><add><gen_setup><name>{name}</name><owner-login>carol</owner-login>"
            "</gen_setup><plan-name>Rick plan</plan-name></add></webspace>",
            key=key,
        )
        (found,) = results(root, "webspace/add")
        return found

    refused = webspace("restricted.example", rick)
    assert error_of(refused) == (
        1006, "The domain name restricted.example is restricted by the administrator"
    )  # fmt: skip
    assert error_of(webspace("shop.brand.example", rick))[0] == 1006
    # a site of carol's, and a domain over REST: refused the same
    site = xml.call(
        "<site><add><gen_setup><name>restricted.example</name><webspace-name>carol.example"
        "</webspace-name></gen_setup></add></site>",
        key=scene.keys["carol"],
    )
    assert error_of(results(site, "site/add")[0])[0] == 1006
    api = Api(panel, ctx, tmp_path / "panel.ini")
    over_rest = api.post(
        "/domains",
        headers={"X-API-Key": scene.keys["carol"]},
        json={"name": "brand.example", "hosting_type": "virtual"},
    )
    assert over_rest.status_code == 403, over_rest.text
    # the admin is not restricted; nor is anyone once the list no longer applies
    assert webspace("brand.example", None).findtext("status") == "ok"
    _ok(xml, "domain-restriction-disable")
    assert webspace("restricted.example", rick).findtext("status") == "ok"
    _ok(xml, "domain-restriction-remove", "<name>restricted.example</name>")
    assert _restrictions(xml) == ("0", ["brand.example"])


def test_initial_setup_runs_once_and_names_the_server(xml: XmlClient, panel: Panel) -> None:
    done = _ok(
        xml,
        "initial_setup",
        "<password>first-pass-1</password><server_name>plesk.example.com</server_name>"
        "<admin><admin_pname>First Admin</admin_pname></admin>",
    )
    assert done.findtext("server_name") == "plesk.example.com"
    assert _get(xml, "<gen_info/>").findtext("gen_info/server_name") == "plesk.example.com"
    admin = panel.accounts.admin()
    assert admin is not None and admin.name == "First Admin"
    assert not isinstance(panel.auth.check_password("admin", "first-pass-1"), Refused)
    again = _one(
        xml,
        "initial_setup",
        "<admin><admin_pname>X</admin_pname></admin><password>other-pw-1</password>",
    )
    assert error_of(again)[0] == 1006


def test_misc_parameters_are_set_read_and_deleted(xml: XmlClient) -> None:
    made = xml.call(
        "<server><set_misc><filter><property><name>color</name><value>blue</value></property>"
        "<property><name>size</name><value>10</value></property></filter></set_misc></server>"
    )
    assert [r.findtext("property/name") for r in results(made, "server/set_misc")] == [
        "color",
        "size",
    ]
    got = xml.call(
        "<server><get_misc><filter><property><name>size</name></property><property><name>none"
        "</name></property></filter></get_misc></server>"
    )
    size, none = results(got, "server/get_misc")
    assert (size.findtext("property/name"), size.findtext("property/value")) == ("size", "10")
    assert error_of(none) == (1013, "Parameter does not exist")
    assert none.findtext("property/name") == "none"
    _ok(xml, "del_misc", "<filter><property><name>size</name></property></filter>")
    gone = _one(xml, "get_misc", "<filter><property><name>size</name></property></filter>")
    assert error_of(gone)[0] == 1013


def test_the_billing_connection_keeps_no_access_hash(xml: XmlClient, panel: Panel) -> None:
    _ok(xml, "set-ppb-connection", PPB)
    kept = panel.billing.get()
    assert kept["url"] == "https://billing.example/" and kept["integration-api-version"] == "1.0"
    assert "h4sh-v4lue" not in json.dumps(kept)
    assert kept["remote-access-hash.digest"] == hashlib.sha256(b"h4sh-v4lue").hexdigest()


def test_a_store_at_0015_keeps_its_license_key(database_url: str) -> None:
    db = database.Database(database_url)
    digest = hashlib.sha256(b"OLD-KEY").hexdigest()
    with db.engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(database._MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0015")
        value = {
            "key_digest": digest,
            "code": "C-1",
            "additional": False,
            "installed": "2026-01-01T00:00:00Z",
        }
        conn.execute(tables.meta.insert().values(name="license", value=json.dumps(value)))
    db.dispose()
    panel = Panel.open(database_url)
    try:
        found = panel.server.license()
        assert found is not None and found.key_id == "PK." + digest[:12] and found.code == "C-1"
        with panel.db.read() as conn:
            left = conn.execute(
                sa.select(tables.meta.c.name).where(tables.meta.c.name == "license")
            )
            assert left.first() is None
    finally:
        panel.close()
