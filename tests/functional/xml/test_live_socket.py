"""The XML API end to end, over real sockets against a running `panelkey serve`."""

from __future__ import annotations

import json
import ssl
import time

import httpx
from lxml import etree

from tests.conftest import Server
from tests.functional.xml.xml_helpers import (
    AGENT,
    BILLION_LAUGHS,
    DEEP,
    EXTERNAL_ENTITY,
    packet,
    parse,
    system_error,
)

PROTOS = "<server><get_protos/></server>"


def _trust(server: Server) -> ssl.SSLContext:
    """Trust exactly the server's self-signed certificate."""
    return ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))


def _post(
    server: Server,
    base: str,
    inner: str | bytes,
    key: str,
    *,
    source: str | None = None,
) -> httpx.Response:
    body = inner if isinstance(inner, bytes) else packet(inner)
    transport = httpx.HTTPTransport(local_address=source, verify=_trust(server))
    with httpx.Client(transport=transport, timeout=10) as client:
        return client.post(base + AGENT, content=body, headers={"KEY": key})


def _status(root: etree._Element, path: str) -> str:
    return root.findtext(f"{path}/result/status") or ""


def test_plesk_knowledge_base_flow(server: Server) -> None:
    created = server.command("-c", "-ip-address", "127.0.0.1")
    assert created.returncode == 0, created.stderr
    admin_key = created.stdout.strip()
    base = server.https_url
    root = parse(
        _post(
            server,
            base,
            "<customer><add><gen_info><pname>John Doe</pname>"
            "<login>jdoe</login><passwd>jdoe-pass-123</passwd></gen_info>"
            "</add></customer>",
            admin_key,
        )
    )
    assert _status(root, "customer/add") == "ok"
    root = parse(
        _post(
            server, base, "<secret_key><create><login>jdoe</login></create></secret_key>", admin_key
        )
    )
    assert _status(root, "secret_key/create") == "ok"
    jdoe_key = root.findtext("secret_key/create/result/key") or ""
    root = parse(_post(server, base, PROTOS, jdoe_key))
    assert _status(root, "server/get_protos") == "ok"
    root = parse(
        _post(server, base, "<secret_key><get_info><filter/></get_info></secret_key>", jdoe_key)
    )
    assert root.findtext("secret_key/get_info/result/errcode") == "1006"
    listed = server.command("--list", "-format", "json")
    keys = {k["login"]: k for k in json.loads(listed.stdout)}
    assert keys["jdoe"]["ips"] == ["127.0.0.1"]  # no ip_address: bound to the caller
    wrong = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": "wrong-secret-pw-9"}
    with httpx.Client(verify=_trust(server)) as client:
        refused = client.post(base + AGENT, content=packet(PROTOS), headers=wrong)
    assert system_error(parse(refused))[0] == 1001
    # Neither key value nor password reaches the server log or the audit log.
    audit = server.command("audit", tool="panelkey").stdout
    log = server.log_text()
    for secret in (
        admin_key,
        jdoe_key,
        "jdoe-pass-123",
        "wrong-secret-pw-9",
        server.admin_password,
    ):
        assert secret not in log and secret not in audit


def test_key_bound_to_an_address_works_only_from_it(server: Server) -> None:
    key = server.command("-c", "-ip-address", "127.0.0.2").stdout.strip()
    base = server.http_url
    assert (
        _status(parse(_post(server, base, PROTOS, key, source="127.0.0.2")), "server/get_protos")
        == "ok"
    )
    refused = parse(_post(server, base, PROTOS, key, source="127.0.0.1"))
    assert system_error(refused) == (11003, "Secret key validation failed")
    # A key made over XML without ip_address is bound to the caller's address.
    root = parse(_post(server, base, "<secret_key><create/></secret_key>", key, source="127.0.0.2"))
    made = root.findtext("secret_key/create/result/key") or ""
    assert (
        _status(parse(_post(server, base, PROTOS, made, source="127.0.0.2")), "server/get_protos")
        == "ok"
    )
    assert system_error(parse(_post(server, base, PROTOS, made, source="127.0.0.3")))[0] == 11003
    failures = server.command("audit", "--failures", tool="panelkey").stdout
    lines = [line for line in failures.splitlines() if "auth_failed" in line]
    assert len(lines) == 2
    assert all("face=xml" in line and "address not allowed" in line for line in lines)
    assert "ip=127.0.0.1" in lines[0] and "ip=127.0.0.3" in lines[1]
    assert lines[0][:4].isdigit()  # starts with the time
    assert key not in failures and made not in failures
    # Last use (time and address) is kept: the server flushes usage every second.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        listed = json.loads(server.command("--list", "-format", "json").stdout)
        if listed[0]["last_used"]:
            break
        time.sleep(0.1)
    assert listed[0]["last_used_ip"] == "127.0.0.2" and listed[0]["last_used"]


def test_cli_keys_work_and_cli_deletion_takes_effect_at_once(server: Server) -> None:
    key = server.command("-c").stdout.strip()
    base = server.http_url
    assert _status(parse(_post(server, base, PROTOS, key)), "server/get_protos") == "ok"
    deleted = server.command("--delete", "-key", key)
    assert deleted.returncode == 0, deleted.stderr
    assert system_error(parse(_post(server, base, PROTOS, key)))[0] == 11003


def test_hostile_input_is_refused_fast_and_the_server_keeps_answering(server: Server) -> None:
    key = server.command("-c", "-ip-address", "127.0.0.1").stdout.strip()
    for base in (server.http_url, server.https_url):
        for body in (BILLION_LAUGHS, EXTERNAL_ENTITY, DEEP):
            started = time.monotonic()
            assert system_error(parse(_post(server, base, body, key)))[0] == 1014
            assert time.monotonic() - started < 2
        started = time.monotonic()
        assert (
            _post(server, base, packet(PROTOS + " " * (10 * 1024 * 1024)), key).status_code == 413
        )
        assert time.monotonic() - started < 5
        assert _status(parse(_post(server, base, PROTOS, key)), "server/get_protos") == "ok"
    listed = server.command("--list").stdout
    assert listed.count("Key:") == 1  # nothing created by the hostile packets
