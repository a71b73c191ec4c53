"""The request journal over a real server: refusals with their reason, no secret anywhere."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time

import httpx

from tests.conftest import ADMIN_PASSWORD, BIN, Server, system_trust

AGENT = "/enterprise/control/agent.php"
CUSTOMER_PASSWORD = "cust-pw-31337"
WRONG_KEY = "deadbeef-0000-1111-2222-333344445555"


def _journal(server: Server, *args: str) -> list[dict[str, object]]:
    deadline = time.monotonic() + 10
    while True:
        done = server.command("journal", "--json", *args, tool="panelkey")
        assert done.returncode == 0, done.stderr
        entries = [json.loads(line) for line in done.stdout.splitlines()]
        if len(entries) >= 4 or time.monotonic() > deadline:
            return entries
        time.sleep(0.2)


def _access_lines(server: Server, count: int) -> list[str]:
    """The server log's access lines, once `count` are there (they are written in batches,
    twice a second) or after ten seconds."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in server.log_text().splitlines() if "INFO panelkey.access:" in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def test_journal_holds_refusals_with_reasons_and_no_secrets(server: Server) -> None:
    admin = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
    with httpx.Client(base_url=server.http_url, timeout=30, verify=system_trust()) as client:
        made = client.post(
            AGENT,
            headers=admin,
            content="<packet><secret_key><create><description>j</description></create>"
            "</secret_key><customer><add><gen_info><pname>C</pname><login>cust1</login>"
            f"<passwd>{CUSTOMER_PASSWORD}</passwd></gen_info></add></customer></packet>",
        ).text
        key = made.split("<key>")[1].split("</key>")[0]
        assert (
            "<status>ok</status>"
            in client.post(
                AGENT,
                headers={"KEY": key},
                content="<packet><server><get_protos/></server></packet>",
            ).text
        )
        refused = client.post(
            AGENT, headers={"KEY": WRONG_KEY}, content="<packet><server><get/></server></packet>"
        ).text
        assert "11003" in refused
        client.post(
            AGENT,
            headers={"HTTP_AUTH_LOGIN": "cust1", "HTTP_AUTH_PASSWD": "not-it"},
            content="<packet><server><get_protos/></server></packet>",
        )
    entries = _journal(server)
    by_errcode = {e["errcode"]: e for e in entries}
    assert by_errcode["11003"]["reason"] == "unknown key"
    assert by_errcode["11003"]["operation"] == "server/get"
    assert by_errcode["1001"]["reason"] == "wrong password"
    assert by_errcode["1001"]["credential"] == "login cust1"
    ok = [e for e in entries if e["operation"] == "server/get_protos" and e["outcome"] == "ok"]
    assert ok and str(ok[0]["credential"]).startswith("key ")
    assert str(ok[0]["credential"]) != f"key {key}"
    access = _access_lines(server, 4)  # one line per request at the default level, info
    assert len(access) == 4
    text = server.command("journal", "--json", tool="panelkey").stdout
    text += server.command("journal", tool="panelkey").stdout + server.log_text()
    for secret in (key, WRONG_KEY, CUSTOMER_PASSWORD, ADMIN_PASSWORD):
        assert secret not in text
    assert "secret_key/create, customer/add" in text
    assert "metrics on" not in server.log_text()  # metrics are off unless --metrics-port
    assert not (server.data_dir / "metrics").exists()
    assert any("11003" in line and "unknown key" in line for line in access)
    errors = server.command("journal", "--errors", tool="panelkey").stdout.splitlines()
    assert len(errors) == 2 and all("error" in line for line in errors)


def test_journal_follow_prints_new_entries_as_they_come(server: Server) -> None:
    protos = b"<packet><server><get_protos/></server></packet>"
    with httpx.Client(base_url=server.http_url, timeout=30, verify=system_trust()) as client:
        client.post(AGENT, headers={"KEY": WRONG_KEY}, content=protos)  # the past
    deadline = time.monotonic() + 10
    while not server.command("journal", "--json", tool="panelkey").stdout:
        assert time.monotonic() < deadline, "the journal was not written"
        time.sleep(0.05)
    follow = subprocess.Popen(
        [str(BIN / "panelkey"), "journal", "--follow", "--json", "--errors"],
        env=server.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    printed: queue.Queue[dict[str, object]] = queue.Queue()
    assert follow.stdout is not None
    threading.Thread(
        target=lambda out=follow.stdout: [printed.put(json.loads(line)) for line in out],
        daemon=True,
    ).start()
    try:
        # the past first: once it is printed, the command is following
        assert printed.get(timeout=30)["operation"] == "server/get_protos"
        with httpx.Client(base_url=server.http_url, timeout=30, verify=system_trust()) as client:
            client.post(AGENT, headers={"KEY": WRONG_KEY}, content=b"<packet><server><get/>"
                        b"</server></packet>")  # fmt: skip
            client.post(
                AGENT,
                headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD},
                content=protos,
            )  # an ok one, which --errors leaves out
            client.post(AGENT, headers={"KEY": WRONG_KEY}, content=b"<packet><ip><get/></ip>"
                        b"</packet>")  # fmt: skip
        lines = [printed.get(timeout=15) for _ in range(2)]
        assert [e["operation"] for e in lines] == ["server/get", "ip/get"]
        assert all(e["reason"] == "unknown key" and e["errcode"] == "11003" for e in lines)
        assert WRONG_KEY not in json.dumps(lines)
    finally:
        follow.terminate()
        follow.wait(10)
        follow.stdout.close()


def test_rest_entries_show_method_and_path_and_never_a_key_or_session(server: Server) -> None:
    from tests.functional.rest.rest_helpers import https

    basic = ("admin", ADMIN_PASSWORD)
    with https(server) as client:
        made = client.post("/auth/keys", auth=basic, json={"ip": "127.0.0.1"})
        assert made.status_code == 201
        key = made.json()["key"]
        assert client.get("/server", headers={"X-API-Key": key}).status_code == 200
        session = client.post("/server/session", auth=basic, json={"login": "admin"})
        assert session.status_code == 201, session.text
        assert client.delete(f"/auth/keys/{key}", auth=basic).status_code == 200
    deadline = time.monotonic() + 10
    while True:
        entries = _journal(server)
        if len(entries) >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    shown = [(e["operation"], e["status"], e["credential"]) for e in entries]
    assert shown[0] == ("POST /api/v2/auth/keys", 201, "login admin")
    assert shown[1][:2] == ("GET /api/v2/server", 200) and str(shown[1][2]).startswith("key ")
    assert shown[2][:2] == ("POST /api/v2/server/session", 201)
    assert shown[3][:2] == ("DELETE /api/v2/auth/keys/***", 200)
    text = server.command("journal", "--json", tool="panelkey").stdout + server.log_text()
    assert key not in text and session.json()["id"] not in text and ADMIN_PASSWORD not in text
    assert all(e["face"] == "rest" and e["duration_ms"] > 0 for e in entries)
