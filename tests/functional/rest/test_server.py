"""`/server`: its information and addresses, its first setup and its license (kept as a
digest, and the key XML `server/get` shows)."""

from __future__ import annotations

from tests.functional.rest.rest_helpers import (
    ADMIN,
    SQLITE_ONLY,
    Api,
    Key,
    is_error_shape,
    xml_client,
)
from tests.functional.xml.xml_helpers import XmlClient, results

pytestmark = SQLITE_ONLY


def test_server_info_and_addresses(api: Api) -> None:
    info = api.get("/server", auth=ADMIN).json()
    assert info["platform"] == "Unix" and info["guid"]
    assert set(info) == {
        "platform",
        "hostname",
        "guid",
        "panel_version",
        "panel_revision",
        "panel_build_date",
        "panel_update_version",
        "extension_version",
        "extension_release",
    }
    ips = api.get("/server/ips", auth=ADMIN).json()
    assert ips and all(set(ip) == {"ipv4", "ipv6", "netmask", "interface", "type"} for ip in ips)
    assert any(ip["ipv4"] == "127.0.0.1" for ip in ips)


def test_server_init_sets_the_admin_contact_and_password(api: Api, admin_key: Key) -> None:
    body = {
        "admin": {"name": "John Smith", "email": "john@example.com", "post_code": "8200"},
        "password": "new-admin-password",
        "server_name": "plesk.example.com",
    }
    assert api.post("/server/init", headers=admin_key, json=body).status_code == 200
    admin = api.panel.accounts.admin()
    assert admin is not None and admin.name == "John Smith" and admin.email == "john@example.com"
    assert api.panel.server.server_name() == "plesk.example.com"
    assert api.get("/server", auth=("admin", "new-admin-password")).status_code == 200
    assert api.get("/server", auth=ADMIN).status_code == 401
    bad = api.post("/server/init", headers=admin_key, json={"admin": {"email": "nope"}})
    assert bad.status_code == 400 and is_error_shape(bad)


def test_license_is_kept_as_a_digest_and_never_shown(api: Api, admin_key: Key) -> None:
    body = {"key": "SECRET-LICENSE-TEXT", "code": "AB1C23-4DEF56", "additional": False}
    assert api.post("/server/license", headers=admin_key, json=body).json() == {"status": "success"}
    found = api.panel.server.license()
    assert found is not None and found.code == "AB1C23-4DEF56"
    assert "SECRET-LICENSE-TEXT" not in repr(found)
    # a license needs its key or its activation code (a code alone: issue 21)
    assert api.post("/server/license", headers=admin_key, json={}).status_code == 400
    assert api.panel.server.license() == found


def test_a_license_installs_with_only_its_activation_code(
    api: Api, admin_key: dict[str, str]
) -> None:
    for empty in ({}, {"code": "  "}, {"additional": True}):
        refused = api.post("/server/license", headers=admin_key, json=empty)
        assert refused.status_code == 400 and is_error_shape(refused), empty
    assert api.panel.server.license() is None
    code = "A00B00-CDE111-FGH222-IJK333"
    done = api.post("/server/license", headers=admin_key, json={"code": code})
    assert (done.status_code, done.json()) == (200, {"status": "success"})
    installed = api.panel.server.license()
    assert installed is not None and installed.code == code and not installed.additional
    answer = xml_client(api).call("<server><get><key/></get></server>")
    properties = {
        p.findtext("name"): p.findtext("value")
        for p in answer.findall("server/get/result/key/property")
    }
    assert properties["activation_code"] == code
    assert properties["key_type"] == "main"
    assert properties["plesk_key_id"] == installed.key_id
    with_key = {"key": "LICENSE-TEXT", "code": code, "additional": True}
    assert api.post("/server/license", headers=admin_key, json=with_key).status_code == 200
    replaced = api.panel.server.license()
    assert replaced is not None and replaced.key_id != installed.key_id and replaced.additional


def _key_properties(xml: XmlClient, which: str = "all") -> dict[str, str]:
    # every key by default: the installed one may be the main or an additional key
    (got,) = results(
        xml.call(f"<server><get><key><filter><{which}/></filter></key></get></server>"),
        "server/get",
    )
    assert got.findtext("status") == "ok"
    return {
        p.findtext("name") or "": p.findtext("value") or "" for p in got.findall("key/property")
    }


def test_license_installed_over_rest_is_the_key_xml_server_get_shows(
    api: Api, admin_key: dict[str, str]
) -> None:
    xml = xml_client(api)
    before = _key_properties(xml)
    assert before["key_type"] == "panelkey" and "activation_code" not in before
    body = {"key": "LICENSE-BODY-TEXT", "code": "AB1C23-4DEF56"}
    assert api.post("/server/license", headers=admin_key, json=body).status_code == 200
    after = _key_properties(xml)
    installed = api.panel.server.license()
    assert installed is not None
    assert after["plesk_key_id"] == installed.key_id != before["plesk_key_id"]
    assert after["key_type"] == "main" and after["activation_code"] == "AB1C23-4DEF56"
    assert "LICENSE-BODY-TEXT" not in str(after)
    body = {"key": "ANOTHER-KEY", "additional": True}
    assert api.post("/server/license", headers=admin_key, json=body).status_code == 200
    again = _key_properties(xml, "additional")
    assert again["key_type"] == "additional" and "activation_code" not in again
    assert again["plesk_key_id"] != after["plesk_key_id"]
    # an additional key joins the main one, which stays in use
    assert _key_properties(xml, "main") == after
