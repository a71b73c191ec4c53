"""Operator server, its license keys: lic_install then lic_get_info, get's key section and
REST's server license show the key; additional keys over XML and REST; rollback,
retrieve, renew and update; a store migrated from 0015 keeps its key. The rows of these
operations are in test_server.py."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from lxml import etree

from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.store import database, tables
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.operation_table import ADDON, MAIN, license_file
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, ok, one, results

OTHER_MAIN = license_file("PLSK.00000002", "0003", "plesk-unix", "2032-02-29")


def _one(xml: XmlClient, operation: str, inner: str = "") -> etree._Element:
    """The single result of one server operation."""
    return one(xml, "server", operation, inner)


def _ok(xml: XmlClient, operation: str, inner: str = "") -> etree._Element:
    return ok(_one(xml, operation, inner))


def _get(xml: XmlClient, sections: str) -> etree._Element:
    return _ok(xml, "get", sections)


def _bare(root: etree._Element, path: str) -> etree._Element:
    """The operation's element of an answer Plesk gives with no <result> (lic_get_info):
    the elements it answered, none an error."""
    found = root.find(path)
    assert found is not None and len(found), etree.tostring(root)
    for status in found.iter("status"):
        assert status.text == "ok", etree.tostring(found)
    return found


def _key_properties(key: etree._Element | None) -> dict[str, str]:
    assert key is not None
    return {p.findtext("name") or "": p.findtext("value") or "" for p in key.findall("property")}


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_lic_install_then_lic_get_info_get_and_rests_license(
    xml: XmlClient, ctx: Context, panel: Panel, tmp_path: Path
) -> None:
    info = xml.call(f"<server><lic_get_info><license>{MAIN}</license></lic_get_info></server>")
    about = _bare(info, "server/lic_get_info")
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
    assert _bare(again, "server/lic_get_info").findtext("additional-key") == "true"
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


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
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
