"""panel.ini's transport rules on a real server, changed while it runs (no restart)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.functional.rest.rest_helpers import ADMIN, eventually, https, is_error_shape, plain

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
