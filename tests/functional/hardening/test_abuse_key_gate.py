"""Wrong keys from more sources than any per-source count can hold (a random
X-Forwarded-For each, through a trusted proxy) are refused before any lookup once they
pass the server-wide rate (issue 24): at most that many a second are looked up, and a
key the server has verified before still works meanwhile."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

from panelkey.core.panel import Panel
from tests.conftest import MigratedTemplates, make_server, premigrated

AGENT = "/enterprise/control/agent.php"
PROTOS = b"<packet><server><get_protos/></server></packet>"
# Wrong keys looked up a second, all sources together: as many as one source may get
# wrong in a minute (ten times lockoutFailures), here 1 -> 10.
FAILURES = 1
RATE = 10 * FAILURES
CONNECTIONS = 24
SECONDS = 3.0


def test_wrong_keys_from_many_forwarded_sources_are_mostly_refused_unlooked_up(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    server = make_server(tmp_path)
    server.env["PANELKEY_LOCKOUT_DELAY"] = "0.02"
    server.env["PANELKEY_LOCKOUT_FAILURES"] = str(FAILURES)
    server.data_dir.mkdir(parents=True, mode=0o700)
    (server.data_dir / "panel.ini").write_text("[panelkey]\ntrustedProxies = 127.0.0.1\n")
    premigrated(server, migrated_templates).start()  # not a test of a first start
    try:
        made = server.command("-c", "-ip-address", "127.0.0.1", "-description", "gate")
        good = made.stdout.strip()
        statuses, good_answers, elapsed = asyncio.run(_flood(server.http_url, good))
    finally:
        server.stop()
    assert statuses == {"11003": sum(statuses.values())}
    assert good_answers and all(b"<status>ok</status>" in a for a in good_answers)

    panel = Panel.open(f"sqlite:///{server.data_dir / 'panelkey.db'}")
    try:
        entries = panel.audit.entries(failures_only=True)
    finally:
        panel.close()
    looked_up = sum(e.count for e in entries if e.reason == "unknown key")
    gated = [e for e in entries if e.reason == "locked out"]
    assert looked_up + sum(e.count for e in gated) == sum(statuses.values())
    # The rate's worth a second (a full bucket to start with), and those in flight when
    # it ran out; the rest were refused without a lookup.
    assert looked_up <= RATE * (elapsed + 1) + CONNECTIONS, (looked_up, elapsed)
    assert sum(e.count for e in gated) > looked_up
    assert any("wrong keys from many sources" in e.detail for e in gated if e.count == 1)


async def _flood(url: str, good: str) -> tuple[dict[str, int], list[bytes], float]:
    """CONNECTIONS keep-alive connections sending wrong keys, each from a random forwarded
    source, for SECONDS; one more sends the good key now and then meanwhile. Raw HTTP:
    a client library would be slower than the server's refusals."""
    statuses: dict[str, int] = {}
    good_answers: list[bytes] = []
    port = int(url.rsplit(":", 1)[1])
    started = time.monotonic()
    deadline = started + SECONDS

    async def ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, key: str,
                  source: str | None) -> bytes:  # fmt: skip
        forwarded = f"X-Forwarded-For: {source}\r\n" if source else ""
        writer.write(
            f"POST {AGENT} HTTP/1.1\r\nHost: x\r\nKEY: {key}\r\n{forwarded}"
            f"Content-Length: {len(PROTOS)}\r\n\r\n".encode()
            + PROTOS
        )
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        return await reader.readexactly(length)

    async def wrong() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < deadline:
            source = ".".join(str(random.randrange(1, 255)) for _ in range(3))
            body = await ask(reader, writer, f"{random.getrandbits(128):032x}", "10." + source)
            code = body.split(b"<errcode>")[1].split(b"<")[0] if b"<errcode>" in body else b"ok"
            statuses[code.decode()] = statuses.get(code.decode(), 0) + 1
        writer.close()

    async def right() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < deadline:
            good_answers.append(await ask(reader, writer, good, None))
            await asyncio.sleep(0.2)
        writer.close()

    await asyncio.gather(right(), *(wrong() for _ in range(CONNECTIONS)))
    return statuses, good_answers, time.monotonic() - started
