"""A caller whose requests keep being refused whole (a 64k-character REST field, an XML
filter past the budget) is answered at once for the first few each second, then after
`lockout_delay` while the server has other requests in hand (issue 24); a caller alone
is never made to wait."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from panelkey.pressure import BURST
from tests.conftest import MigratedTemplates, Server, make_server, premigrated

AGENT = "/enterprise/control/agent.php"
DELAY = 0.5  # loginLockoutDelay for these servers
SECONDS = 2.0
LONG_EMAIL = json.dumps(
    {
        "name": "L",
        "login": "long",
        "password": "pw-long-1-x",
        "type": "customer",
        "email": "a" * 65536 + "@x.y",
    }  # fmt: skip
).encode()
BIG_FILTER = (
    "<packet><customer><get><filter>"
    + "".join(f"<id>{n}</id>" for n in range(1, 20_001))
    + "</filter><dataset><gen_info/></dataset></get></customer></packet>"
).encode()


@pytest.fixture(scope="module")
def paced(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[tuple[Server, str]]:
    yield from _paced_server(tmp_path_factory, migrated_templates)


@pytest.fixture
def alone(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[tuple[Server, str]]:
    """A server of its own: no request of another test still in hand there (a refusal
    being paced when its client left) can make this caller's refusals wait."""
    yield from _paced_server(tmp_path_factory, migrated_templates)


def _paced_server(
    tmp_path_factory: pytest.TempPathFactory, templates: MigratedTemplates
) -> Iterator[tuple[Server, str]]:
    server = make_server(tmp_path_factory.mktemp("pacing"))
    server.env["PANELKEY_LOCKOUT_DELAY"] = str(DELAY)
    server.data_dir.mkdir(parents=True, mode=0o700)
    (server.data_dir / "panel.ini").write_text("[ext-rest-api]\nallowPlainHttpAccess = on\n")
    premigrated(server, templates).start()  # no test here is about a first start
    key = server.command("-c", "-ip-address", "127.0.0.1").stdout.strip()
    yield server, key
    server.stop()


def _request(key: str, kind: str) -> bytes:
    if kind == "rest":
        head = "POST /api/v2/clients HTTP/1.1\r\nContent-Type: application/json\r\n"
        head += f"X-API-Key: {key}\r\n"
        body = LONG_EMAIL
    else:
        head = f"POST {AGENT} HTTP/1.1\r\nContent-Type: text/xml\r\nKEY: {key}\r\n"
        body = BIG_FILTER
    return f"{head}Host: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


async def _refusals(port: int, request: bytes, connections: int) -> tuple[int, float]:
    """Requests sent back to back on `connections` keep-alive connections for SECONDS,
    each of them refused (REST 400, XML 1024): how many were answered, and the longest
    any of them took."""
    deadline = time.monotonic() + SECONDS
    answered = 0
    slowest = 0.0

    async def one() -> None:
        nonlocal answered, slowest
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < deadline:
            sent = time.monotonic()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
            slowest = max(slowest, time.monotonic() - sent)
            assert head.startswith(b"HTTP/1.1 400") or b"<errcode>1024</errcode>" in body, body
            answered += 1
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return answered, slowest


@pytest.mark.parametrize("kind", ["rest", "xml"])
def test_refusals_past_the_burst_wait_while_others_are_in_hand(
    paced: tuple[Server, str], kind: str
) -> None:
    server, key = paced
    connections = 4
    answered, _ = asyncio.run(_refusals(server.http_port, _request(key, kind), connections))
    # Each second: BURST at once, then each connection one answer a DELAY at most (and
    # the requests in hand when the run ended).
    most = (BURST + connections / DELAY) * (SECONDS + 1) + connections
    assert answered <= most, (answered, most)


@pytest.mark.parametrize("kind", ["rest", "xml"])
def test_a_caller_alone_is_answered_at_once(alone: tuple[Server, str], kind: str) -> None:
    """One connection: nothing else in hand, so no refusal waits, even past the burst
    (how many fit in the run is the machine's speed: the test holds the waits)."""
    server, key = alone
    time.sleep(1)  # a second of its own for the burst count
    answered, slowest = asyncio.run(_refusals(server.http_port, _request(key, kind), 1))
    assert answered > BURST + 1, answered
    assert slowest < DELAY, (answered, slowest)
