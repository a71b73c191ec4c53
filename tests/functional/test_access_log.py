"""The access log of a running server, written off the request's path: every request's
line within about a second, all of them after SIGTERM, each as the journal describes the
request."""

from __future__ import annotations

import json
import re
import signal
import time
from datetime import datetime

import httpx
import pytest

from panelkey.journal import access_line
from tests.conftest import ADMIN_PASSWORD, Server, system_trust

AGENT = "/enterprise/control/agent.php"
PROTOS = "<packet><server><get_protos/></server></packet>"
WRONG_KEY = "deadbeef-0000-1111-2222-333344445555"
LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) INFO panelkey\.access: "
    r"(\S+) (xml|rest) (.+) -> (\d{3}) (ok|error)( errcode=\d+)?( reason='[^']*')? "
    r"(\d+\.\d)ms$"
)


def _access_lines(server: Server) -> list[str]:
    return [
        line.split(" INFO panelkey.access: ", 1)[1]
        for line in server.log_text().splitlines()
        if " INFO panelkey.access: " in line
    ]


def _send(server: Server, key: str, count: int) -> float:
    """`count` requests: XML with a key and REST with a password in turn, the second one
    refused (a wrong key; later ones from the same source would be counted into that
    refusal's audit entry and write no line); returns when the last one ended."""
    with httpx.Client(base_url=server.http_url, timeout=30, verify=system_trust()) as client:
        for n in range(count):
            if n == 1:
                r = client.post(AGENT, headers={"KEY": WRONG_KEY}, content=PROTOS)
                assert "11003" in r.text
            elif n % 2 == 0:
                r = client.post(AGENT, headers={"KEY": key}, content=PROTOS)
                assert "<status>ok</status>" in r.text
            else:
                auth = ("admin", ADMIN_PASSWORD)
                assert client.get("/api/v2/server", auth=auth).status_code == 200
    return time.monotonic()


def _started(server_factory: object, *flags: str) -> Server:
    server: Server = server_factory()  # type: ignore[operator]
    (server.data_dir / "panel.ini").write_text("[ext-rest-api]\nallowPlainHttpAccess = on\n")
    return server.start(*flags)


def _key(server: Server) -> str:
    made = server.command("-c", "-ip-address", "127.0.0.1", "-description", "access log")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_lines_appear_within_a_second_as_the_journal_describes_them(
    server_factory: object,
) -> None:
    server = _started(server_factory)
    key = _key(server)
    began = datetime.now().replace(microsecond=0)
    ended = _send(server, key, 30)
    lines = _access_lines(server)
    while len(lines) < 30 and time.monotonic() - ended < 3:
        time.sleep(0.05)
        lines = _access_lines(server)
    waited = time.monotonic() - ended
    assert len(lines) == 30
    assert waited < 1.2  # flushed every half second, within a second of the request
    # Each line is the journal's entry of the same request, in the access log's form.
    journal = server.command("journal", "--json", "--limit", "30", tool="panelkey")
    assert journal.returncode == 0, journal.stderr
    entries = [json.loads(line) for line in journal.stdout.splitlines()]
    assert [access_line(e) for e in entries] == lines
    assert sum(" errcode=11003 reason='unknown key' " in line for line in lines) == 1
    assert sum(" rest login admin GET /api/v2/server -> 200 ok " in line for line in lines) == 14
    assert key not in server.log_text() and WRONG_KEY not in server.log_text()
    for line in server.log_text().splitlines():
        if " INFO panelkey.access: " in line:
            found = LINE.match(line)
            assert found, line
            stamped = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S")
            assert began <= stamped <= datetime.now()  # the request's time, not the flush's


@pytest.mark.parametrize("workers", [1, 2])
def test_every_line_is_written_when_sigterm_comes_before_a_flush(
    server_factory: object, workers: int
) -> None:
    server = _started(server_factory, "--workers", str(workers))
    key = _key(server)
    _send(server, key, 3)
    deadline = time.monotonic() + 30
    while len(_access_lines(server)) < 3:  # the first lines are out; the next wait for a flush
        assert time.monotonic() < deadline, server.log_text()
        time.sleep(0.05)
    before = len(_access_lines(server))
    assert before == 3
    count = 120
    with httpx.Client(base_url=server.http_url, timeout=30, verify=system_trust()) as client:
        for _ in range(count):
            client.post(AGENT, headers={"KEY": key}, content=PROTOS)
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(30) == 0
    lines = _access_lines(server)
    assert len(lines) == before + count
    assert all(
        " xml key " in line and " server/get_protos -> 200 ok " in line for line in lines[before:]
    )
