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
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from lxml import etree

from panelkey.context import Context
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
        "<set_misc><filter><property><value>v</value><name>n</name></property></filter>"
        "</set_misc>",
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


def _send(xml: XmlClient, scene: Scene, case: Case, inner: str, key: str | None = None) -> etree._Element:
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
