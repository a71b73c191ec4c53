"""One core, three faces: a key made by any face works on both APIs, and a key deleted by
any face is refused by both on the very next request."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree

from tests.conftest import ADMIN_PASSWORD, Server, system_trust

AGENT = "/enterprise/control/agent.php"
PROTOS = b"<packet><server><get_protos/></server></packet>"


@pytest.fixture(scope="module")
def server(module_server: Server) -> Server:
    """One server for the module: each test makes and deletes keys of its own."""
    return module_server


def xml_ok(server: Server, key: str) -> bool:
    answer = httpx.post(
        server.http_url + AGENT, content=PROTOS, headers={"KEY": key}, verify=system_trust()
    )
    root = etree.fromstring(answer.content)
    if root.find("system") is not None:
        assert root.findtext("system/errcode") == "11003", answer.text
        return False
    return root.findtext("server/get_protos/result/status") == "ok"


def rest_ok(rest: httpx.Client, key: str) -> bool:
    status = rest.get("/server", headers={"X-API-Key": key}).status_code
    assert status in (200, 401), status
    return status == 200


@pytest.fixture
def rest(server: Server) -> Iterator[httpx.Client]:
    trust = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))
    with httpx.Client(
        base_url=server.https_url + "/api/v2", verify=trust, auth=("admin", ADMIN_PASSWORD)
    ) as client:
        yield client


def test_cli_key_works_on_both_apis_and_rest_delete_refuses_it_on_both(
    server: Server, rest: httpx.Client
) -> None:
    key = server.command("-c", "-ip-address", "127.0.0.1").stdout.strip()
    assert xml_ok(server, key) and rest_ok(rest, key)
    assert rest.delete(f"/auth/keys/{key}").status_code == 200
    assert not rest_ok(rest, key)
    assert not xml_ok(server, key)


def test_rest_key_works_on_xml_and_cli_delete_refuses_it_on_both(
    server: Server, rest: httpx.Client
) -> None:
    made = rest.post("/auth/keys", json={"description": "from rest"})
    assert made.status_code == 201
    key = made.json()["key"]
    assert xml_ok(server, key) and rest_ok(rest, key)
    assert server.command("--delete", "-key", key).returncode == 0
    assert not xml_ok(server, key)
    assert not rest_ok(rest, key)


def test_xml_key_works_on_rest_and_xml_delete_refuses_it_on_both(
    server: Server, rest: httpx.Client
) -> None:
    admin = server.command("-c").stdout.strip()
    answer = httpx.post(
        server.http_url + AGENT,
        content=b"<packet><secret_key><create><description>x</description></create>"
        b"</secret_key></packet>",
        headers={"KEY": admin},
        verify=system_trust(),
    )
    key = etree.fromstring(answer.content).findtext("secret_key/create/result/key")
    assert key
    assert xml_ok(server, key) and rest_ok(rest, key)
    answer = httpx.post(
        server.http_url + AGENT,
        content=f"<packet><secret_key><delete><filter><key>{key}</key></filter></delete>"
        f"</secret_key></packet>".encode(),
        headers={"KEY": admin},
        verify=system_trust(),
    )
    assert etree.fromstring(answer.content).findtext("secret_key/delete/result/status") == "ok"
    assert not rest_ok(rest, key)
    assert not xml_ok(server, key)


def test_cli_gate_key_works_on_both_apis(server: Server, rest: httpx.Client) -> None:
    call = rest.post(
        "/cli/secret_key/call", json={"params": ["--create", "-description", "x"], "env": {}}
    )
    assert call.status_code == 200 and call.json()["code"] == 0
    key = call.json()["stdout"].strip()
    assert rest_ok(rest, key) and xml_ok(server, key)
    listed = server.command("--list").stdout
    assert "Description: x" in listed and key not in listed
