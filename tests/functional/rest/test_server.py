"""Server setup, license, sessions, extensions, statistics and the CLI gate over REST."""

from __future__ import annotations

import pytest

from tests.functional.rest.rest_helpers import ADMIN, CUSTOMER, Api, is_error_shape

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
Key = dict[str, str]


def test_extension_install_disable_enable_uninstall_is_kept_in_the_store(
    api: Api, admin_key: Key
) -> None:
    assert api.get("/extensions", headers=admin_key).json() == []
    assert api.post("/extensions", headers=admin_key, json={"id": "git"}).status_code == 200
    assert [e["id"] for e in api.get("/extensions", headers=admin_key).json()] == ["git"]
    assert api.put("/extensions/git/disable", headers=admin_key).status_code == 200
    assert api.panel.extensions.get("git").active is False  # type: ignore[union-attr]
    assert api.get("/extensions/git", headers=admin_key).json()["active"] is False
    assert api.put("/extensions/git/enable", headers=admin_key).status_code == 200
    assert api.get("/extensions/git", headers=admin_key).json()["active"] is True
    assert api.delete("/extensions/git", headers=admin_key).status_code == 200
    gone = api.get("/extensions/git", headers=admin_key)
    assert gone.status_code == 404 and is_error_shape(gone)
    assert api.delete("/extensions/git", headers=admin_key).status_code == 404


def test_unknown_extension_id_is_a_clear_400(api: Api, admin_key: Key) -> None:
    response = api.post("/extensions", headers=admin_key, json={"id": "no-such-extension"})
    assert response.status_code == 400 and is_error_shape(response)
    assert "letsencrypt" in response.json()["message"]  # names what can be installed
    assert api.get("/extensions", headers=admin_key).json() == []


def test_license_is_kept_as_a_digest_and_never_shown(api: Api, admin_key: Key) -> None:
    body = {"key": "SECRET-LICENSE-TEXT", "code": "AB1C23-4DEF56", "additional": False}
    assert api.post("/server/license", headers=admin_key, json=body).json() == {"status": "success"}
    found = api.panel.server.license()
    assert found is not None and found.code == "AB1C23-4DEF56"
    assert "SECRET-LICENSE-TEXT" not in repr(found)
    # a license needs its key or its activation code (a code alone: issue 21)
    assert api.post("/server/license", headers=admin_key, json={}).status_code == 400
    assert api.panel.server.license() == found


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


def test_session_token_is_made_for_a_login(api: Api, admin_key: Key) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    made = api.post("/server/session", headers=admin_key, json={"login": CUSTOMER["login"]})
    assert made.status_code == 201 and len(made.json()["id"]) == 48
    admin = api.panel.accounts.admin().identity()  # type: ignore[union-attr]
    assert [s.login for s in api.panel.sessions.list(admin)] == [CUSTOMER["login"]]
    unknown = api.post("/server/session", headers=admin_key, json={"login": "nobody"})
    assert unknown.status_code == 404 and is_error_shape(unknown)


def test_client_statistics_count_real_domains(api: Api, admin_key: Key) -> None:
    client = api.post("/clients", headers=admin_key, json=CUSTOMER).json()["id"]
    stats = api.get(f"/clients/{client}/statistics", headers=admin_key).json()
    assert stats["active_domains"] == 0
    for name in ("one.example", "two.example"):
        body = {"name": name, "owner_client": {"id": client}}
        assert api.post("/domains", headers=admin_key, json=body).status_code == 201
    domain = api.get("/domains?name=two.example", headers=admin_key).json()[0]["id"]
    api.put(f"/domains/{domain}/status", headers=admin_key, json={"status": "suspended"})
    stats = api.get(f"/clients/{client}/statistics", headers=admin_key).json()
    assert stats["active_domains"] == 1 and stats["disk_space"] == 0
    assert api.get("/clients/999999/statistics", headers=admin_key).status_code == 404


def test_cli_lists_and_runs_the_registrys_utilities_and_nothing_else(
    api: Api, admin_key: Key
) -> None:
    from panelkey.utilities import registry

    assert api.get("/cli/commands", headers=admin_key).json() == sorted(registry())
    ran = api.post("/cli/secret_key/call", headers=admin_key, json={"params": ["--list"]})
    assert ran.status_code == 200 and ran.json()["code"] == 0
    for name, utility in registry().items():  # each one the gate has, as it runs locally
        local = utility(api.panel, ["--help"], "rest")
        called = api.post(f"/cli/{name}/call", headers=admin_key, json={"params": ["--help"]})
        assert called.status_code == 200, name
        assert called.json() == {
            "code": local.code,
            "stdout": local.stdout,
            "stderr": local.stderr,
        }
        assert api.get(f"/cli/{name}/ref", headers=admin_key).status_code == 200
    for name in ("scheduler", "..%2Fbin%2Fsh", "sh"):
        refused = api.post(f"/cli/{name}/call", headers=admin_key, json={"params": ["-l"]})
        assert refused.status_code == 404 and is_error_shape(refused)
        if "%" not in name:  # an encoded slash matches no route at all
            assert refused.json()["message"] == "Command does not exist"
        assert api.get(f"/cli/{name}/ref", headers=admin_key).status_code == 404
