"""`/server/session`: a browser session opened for a login, `skip_mfa` taken as a boolean,
and the same sessions as XML `session/get` lists."""

from __future__ import annotations

from tests.functional.rest.rest_helpers import (
    CUSTOMER,
    SQLITE_ONLY,
    Api,
    Key,
    admin_identity,
    is_error_shape,
    schemas_of,
    xml_client,
)
from tests.functional.xml.xml_helpers import results

pytestmark = SQLITE_ONLY


def test_session_token_is_made_for_a_login(api: Api, admin_key: Key) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    made = api.post("/server/session", headers=admin_key, json={"login": CUSTOMER["login"]})
    assert made.status_code == 201 and len(made.json()["id"]) == 48
    admin = api.panel.accounts.admin().identity()  # type: ignore[union-attr]
    assert [s.login for s in api.panel.sessions.list(admin)] == [CUSTOMER["login"]]
    unknown = api.post("/server/session", headers=admin_key, json={"login": "nobody"})
    assert unknown.status_code == 404 and is_error_shape(unknown)


def test_session_request_takes_skip_mfa_as_a_boolean(api: Api, admin_key: dict[str, str]) -> None:
    for schemas, _prefix in schemas_of(api):
        assert schemas["SessionRequest"]["properties"]["skip_mfa"]["type"] == "boolean"
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    for flag in (True, False):
        body = {"login": CUSTOMER["login"], "skip_mfa": flag}
        opened = api.post("/server/session", headers=admin_key, json=body)
        assert opened.status_code == 201, opened.text
        session = api.panel.sessions.verify(opened.json()["id"])
        assert session is not None and session.login == CUSTOMER["login"]
    before = len(api.panel.sessions.list(admin_identity(api)))
    body = {"login": CUSTOMER["login"], "skip_mfa": "yes"}
    refused = api.post("/server/session", headers=admin_key, json=body)
    assert refused.status_code == 400 and "skip_mfa" in refused.json()["message"]
    assert len(api.panel.sessions.list(admin_identity(api))) == before


def test_session_made_over_rest_is_listed_by_xml_session_get(
    api: Api, admin_key: dict[str, str]
) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    body = {"login": CUSTOMER["login"], "user_ip": "192.0.2.7"}
    made = api.post("/server/session", headers=admin_key, json=body)
    assert made.status_code == 201
    xml = xml_client(api)
    (got,) = results(xml.call("<session><get/></session>"), "session/get")
    sessions = got.findall("session")
    assert [(s.findtext("login"), s.findtext("ip-address")) for s in sessions] == [
        (CUSTOMER["login"], "192.0.2.7")
    ]
    assert made.json()["id"].startswith(sessions[0].findtext("id") or "-")
