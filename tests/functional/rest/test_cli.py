"""A real server: Plesk's curl examples verbatim, the command-line gate, the documents."""

from __future__ import annotations

import json
import subprocess

import yaml
from openapi_spec_validator import validate

from panelkey.rest.router import ROUTES
from tests.conftest import Server
from tests.functional.rest.rest_helpers import ADMIN, https, is_error_shape

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


def test_secret_key_through_the_cli_gate_makes_a_working_key(live: Server) -> None:
    with https(live) as client:
        call = client.post(
            "/cli/secret_key/call",
            auth=ADMIN,
            json={"params": ["--create", "-description", "x"], "env": {}},
        )
        assert call.status_code == 200
        answer = call.json()
        assert answer["code"] == 0 and answer["stderr"].startswith("Note:")
        key = answer["stdout"].strip()
        assert client.get("/server", headers={"X-API-Key": key}).status_code == 200
        listed = client.get("/auth/keys", headers={"X-API-Key": key}).json()
        assert any(k["description"] == "x" and k["ips"] == [] for k in listed)


def test_cli_gate_answers_exactly_what_the_command_line_prints(live: Server) -> None:
    with https(live) as client:
        for params in (["--help"], ["--bogus"], ["--delete", "-key", "4242"]):
            local = live.cli(*params)
            remote = client.post("/cli/secret_key/call", auth=ADMIN, json={"params": params})
            assert remote.json() == {
                "code": local.returncode,
                "stdout": local.stdout,
                "stderr": local.stderr,
            }, params


def test_cli_listing_and_unknown_utility(live: Server) -> None:
    with https(live) as client:
        assert "secret_key" in client.get("/cli/commands", auth=ADMIN).json()
        ref = client.get("/cli/secret_key/ref", auth=ADMIN).json()
        assert "--create" in ref["allowed_commands"] and "-ip-address" in ref["allowed_options"]
        for response in (
            client.post("/cli/rm/call", auth=ADMIN, json={"params": ["-rf", "/"]}),
            client.get("/cli/rm/ref", auth=ADMIN),
        ):
            assert response.status_code == 404 and is_error_shape(response)


def test_server_info_and_addresses(live: Server) -> None:
    with https(live) as client:
        info = client.get("/server", auth=ADMIN).json()
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
        ips = client.get("/server/ips", auth=ADMIN).json()
        assert ips and all(
            set(ip) == {"ipv4", "ipv6", "netmask", "interface", "type"} for ip in ips
        )
        assert any(ip["ipv4"] == "127.0.0.1" for ip in ips)


def test_documents_are_open_valid_and_agree(live: Server) -> None:
    with https(live) as client:
        v3 = client.get("/openapi.json")
        v2 = client.get("/swagger.json")
        v2_yaml = client.get("/swagger.yml")
    for response in (v3, v2, v2_yaml):
        assert response.status_code == 200
    validate(v3.json())
    validate(v2.json())
    assert yaml.safe_load(v2_yaml.text) == v2.json()
    assert v3.json()["openapi"].startswith("3.0") and v2.json()["swagger"] == "2.0"


def _documented(document: dict[str, object]) -> set[tuple[str, str]]:
    paths = document["paths"]
    assert isinstance(paths, dict)
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_route_is_documented_and_every_documented_route_exists(live: Server) -> None:
    with https(live) as client:
        documents = [client.get("/openapi.json").json(), client.get("/swagger.json").json()]
        table = {(r.method, r.path) for r in ROUTES}
        for document in documents:
            assert _documented(document) == table
        for method, path in sorted(table):
            concrete = path.replace("{id}", "4242").replace("{key}", "4242")
            if concrete.startswith("/cli/"):
                concrete = concrete.replace("4242", "secret_key")
            kwargs = {"json": {}} if method in ("POST", "PUT") else {}
            response = client.request(method, concrete, auth=ADMIN, **kwargs)  # type: ignore[arg-type]
            assert response.status_code != 405, (method, path)
            if response.status_code == 404:  # an unknown object, never an unknown route
                assert response.json()["message"] != "Not found", (method, path)
