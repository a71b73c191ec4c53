"""What REST's server operations write, XML reads: a license installed by
POST /server/license is the key `server/get` shows, and a session made by
POST /server/session is one of XML `session/get`'s."""

from __future__ import annotations

import pytest

from tests.functional.rest.rest_helpers import CUSTOMER, Api
from tests.functional.xml.xml_helpers import XmlClient, results
from tests.functional.xml_domains.conftest import key_of

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _xml(api: Api) -> XmlClient:
    admin = api.panel.accounts.admin()
    assert admin is not None
    return XmlClient(api.ctx, key_of(api.panel, admin.identity()))


def _key_properties(xml: XmlClient) -> dict[str, str]:
    # every key: the installed one may be the main or an additional key
    (got,) = results(
        xml.call("<server><get><key><filter><all/></filter></key></get></server>"), "server/get"
    )
    assert got.findtext("status") == "ok"
    return {
        p.findtext("name") or "": p.findtext("value") or "" for p in got.findall("key/property")
    }


def test_license_installed_over_rest_is_the_key_xml_server_get_shows(
    api: Api, admin_key: dict[str, str]
) -> None:
    xml = _xml(api)
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
    again = _key_properties(xml)
    assert again["key_type"] == "additional" and "activation_code" not in again
    assert again["plesk_key_id"] != after["plesk_key_id"]


def test_session_made_over_rest_is_listed_by_xml_session_get(
    api: Api, admin_key: dict[str, str]
) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    body = {"login": CUSTOMER["login"], "user_ip": "192.0.2.7"}
    made = api.post("/server/session", headers=admin_key, json=body)
    assert made.status_code == 201
    xml = _xml(api)
    (got,) = results(xml.call("<session><get/></session>"), "session/get")
    sessions = got.findall("session")
    assert [(s.findtext("login"), s.findtext("ip-address")) for s in sessions] == [
        (CUSTOMER["login"], "192.0.2.7")
    ]
    assert made.json()["id"].startswith(sessions[0].findtext("id") or "-")
