"""The app's checks before any handler: authentication in-process on SQLite and
PostgreSQL; panel.ini's transport rules on a real server, changed while it runs (no
restart); Plesk's curl examples verbatim against that server."""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.functional.rest.rest_helpers import (
    ADMIN,
    CUSTOMER,
    Api,
    eventually,
    https,
    is_error_shape,
    plain,
)


def test_no_credentials_is_401_with_basic_challenge(api: Api) -> None:
    response = api.get("/server")
    assert response.status_code == 401 and is_error_shape(response)
    assert response.headers["www-authenticate"] == 'Basic realm="panelkey"'


def test_wrong_key_and_wrong_password_are_401_and_audited(api: Api) -> None:
    wrong_key = api.get("/server", headers={"X-API-Key": "00000000-0000-0000-0000-000000000000"})
    wrong_password = api.get("/server", auth=("admin", "nope"))
    for response in (wrong_key, wrong_password):
        assert response.status_code == 401 and is_error_shape(response)
        assert response.headers["www-authenticate"] == 'Basic realm="panelkey"'
    assert wrong_key.json()["message"] == wrong_password.json()["message"]
    reasons = [(e.face, e.reason) for e in api.panel.audit.entries(failures_only=True)]
    assert ("rest", "unknown key") in reasons and ("rest", "wrong password") in reasons


def test_key_from_a_wrong_address_is_audited_with_its_reason(api: Api) -> None:
    key = api.new_key(ip="192.0.2.7")
    assert api.get("/server", headers=key).status_code == 401
    reasons = [e.reason for e in api.panel.audit.entries(failures_only=True)]
    assert "address not allowed" in reasons


@pytest.mark.parametrize("param", ["key", "api_key", "apikey", "X-API-Key", "token", "password"])
def test_credentials_in_the_url_are_refused_and_never_logged(
    api: Api, admin_key: dict[str, str], param: str, caplog: pytest.LogCaptureFixture
) -> None:
    value = admin_key["X-API-Key"]
    caplog.set_level(logging.DEBUG, logger="panelkey")
    response = api.get(f"/server?{param}={value}")
    assert response.status_code == 401 and is_error_shape(response)
    assert "header" in response.json()["message"]
    # Refused even with a good header beside it: the URL is never a place for a secret.
    assert api.get(f"/domains?{param}={value}", headers=admin_key).status_code == 401
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("panelkey")]
    assert all(value not in line for line in ours)
    assert all(value not in e.detail for e in api.panel.audit.entries())


def test_customer_key_and_customer_password_are_403(api: Api, admin_key: dict[str, str]) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    customer_key = api.new_key(login="john_doe")
    for response in (
        api.get("/server", headers=customer_key),
        api.get("/domains", auth=("john_doe", "password")),
    ):
        assert response.status_code == 403 and is_error_shape(response)


def test_login_with_nul_is_refused_not_crashed(api: Api) -> None:
    response = api.get("/server", auth=("ad\x00min", "x"))
    assert response.status_code == 401 and is_error_shape(response)


# -- a real server ----------------------------------------------------------------------


ORIGIN = "https://app.example"


@pytest.fixture
def ini(live: Server) -> Iterator[Server]:
    """The module's server; its panel.ini is removed after each test and the defaults wait."""
    yield live
    (live.data_dir / "panel.ini").unlink(missing_ok=True)
    with https(live) as client:
        assert eventually(lambda: "access-control-allow-origin" in _cors(client).headers)
    with plain(live) as client:
        assert eventually(lambda: client.get("/server", auth=ADMIN).status_code == 403)


def write_ini(server: Server, text: str) -> None:
    (server.data_dir / "panel.ini").write_text(text)


def test_plain_http_refused_until_panel_ini_allows_it(ini: Server) -> None:
    with plain(ini) as client:
        refused = client.get("/server", auth=ADMIN)
        assert refused.status_code == 403 and is_error_shape(refused)
        assert "allowPlainHttpAccess" in refused.json()["message"]
        assert client.get("/openapi.json").status_code == 403
        # Plesk's document writes the switch before any section: that counts too.
        write_ini(ini, "allowPlainHttpAccess = on\n")
        assert eventually(lambda: client.get("/server", auth=ADMIN).status_code == 200)
        write_ini(ini, "[ext-rest-api]\nallowPlainHttpAccess = off\n")
        assert eventually(lambda: client.get("/server", auth=ADMIN).status_code == 403)


def _cors(client: httpx.Client, origin: str = ORIGIN) -> httpx.Response:
    return client.get("/server", auth=ADMIN, headers={"Origin": origin})


def _preflight(client: httpx.Client, origin: str = ORIGIN) -> httpx.Response:
    return client.options(
        "/clients",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key, content-type",
        },
    )


def test_cors_on_by_default_and_preflight_needs_no_credentials(ini: Server) -> None:
    with https(ini) as client:
        response = _cors(client)
        assert response.headers["access-control-allow-origin"] == ORIGIN
        preflight = _preflight(client)
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in preflight.headers["access-control-allow-methods"]
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert {"x-api-key", "authorization", "content-type"} <= {
            h.strip() for h in allowed.split(",")
        }
        # An error answer carries the headers too, so a browser can read it.
        assert (
            client.get("/server", headers={"Origin": ORIGIN}).headers["access-control-allow-origin"]
            == ORIGIN
        )


def test_cors_off_sends_no_cors_headers(ini: Server) -> None:
    write_ini(ini, "[ext-rest-api]\ncors.enabled = off\n")
    with https(ini) as client:
        assert eventually(lambda: "access-control-allow-origin" not in _cors(client).headers)
        assert not any(h.startswith("access-control-") for h in _preflight(client).headers)
        assert _cors(client).status_code == 200


def test_cors_origin_and_methods_narrow_what_is_allowed(ini: Server) -> None:
    write_ini(
        ini,
        "[ext-rest-api]\ncors.origin = https://one.example, https://two.example\n"
        "cors.methods = GET, POST\n",
    )
    with https(ini) as client:
        assert eventually(lambda: "access-control-allow-origin" not in _cors(client).headers)
        allowed = _cors(client, "https://two.example")
        assert allowed.headers["access-control-allow-origin"] == "https://two.example"
        preflight = _preflight(client, "https://one.example")
        assert preflight.headers["access-control-allow-methods"] == "GET, POST"
        assert "access-control-allow-origin" not in _preflight(client).headers
        deleting = client.delete(
            "/auth/keys/4242", auth=ADMIN, headers={"Origin": "https://one.example"}
        )
        assert "access-control-allow-origin" not in deleting.headers


def test_api_switched_off_and_address_allow_list(ini: Server) -> None:
    with https(ini) as client:
        write_ini(ini, "[api]\nenabled = off\n")
        assert eventually(lambda: client.get("/server", auth=ADMIN).status_code == 403)
        assert is_error_shape(client.get("/server", auth=ADMIN))
        write_ini(ini, "[api]\nallowedIPs = 10.0.0.0/8\n")
        assert eventually(
            lambda: "allowedIPs" in client.get("/server", auth=ADMIN).json()["message"]
        )
        write_ini(ini, "[api]\nallowedIPs = 10.0.0.0/8, 127.0.0.1\n")
        assert eventually(lambda: client.get("/server", auth=ADMIN).status_code == 200)


CURL = "/usr/bin/curl"


def curl(*args: str) -> tuple[int, str]:
    """Run curl as Plesk's documents do (-k for the self-signed certificate); (status, body)."""
    done = subprocess.run(
        [CURL, "-sk", "-w", "\n%{http_code}", *args], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    return int(status), body


def test_plesk_curl_examples_work_unchanged(live: Server) -> None:
    base = f"{live.https_url}/api/v2"
    status, body = curl(
        "-X",
        "POST",
        "--user",
        f"admin:{live.admin_password}",
        "-H",
        "Accept: application/json",
        "-H",
        "Content-Type: application/json",
        "-d",
        "{}",
        f"{base}/auth/keys",
    )
    assert status == 201, body
    key = json.loads(body)["key"]

    status, body = curl(
        "-X",
        "GET",
        "-H",
        f"X-API-Key: {key}",
        "-H",
        "Accept: application/json",
        f"{base}/domains",
    )
    assert status == 200 and isinstance(json.loads(body), list)

    customer = (
        '{"name":"John Doe","login":"john_doe","password":"password","email":"",'
        '"type":"customer","company":"Plesk"}'
    )
    status, body = curl(
        "-X",
        "POST",
        "-H",
        f"X-API-Key: {key}",
        "-H",
        "Accept: application/json",
        "-H",
        "Content-Type: application/json",
        "-d",
        customer,
        f"{base}/clients",
    )
    assert status == 201, body
    created = json.loads(body)
    status, body = curl("-H", f"X-API-Key: {key}", f"{base}/clients/{created['id']}")
    assert status == 200 and json.loads(body)["login"] == "john_doe"
