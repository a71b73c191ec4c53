"""Refusals from many addresses grow the audit and the log by a bounded amount
(issue 24, item 6): past `refusal_entries` entries in one interval, whatever the number
of sources, refusals are counted together into one entry of source `*`."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.access.audit import OVERFLOW_SOURCE, REFUSAL_ENTRIES
from panelkey.core.panel import Panel
from panelkey.journal import AccessLog, Journal, JournalMiddleware
from panelkey.xmlapi.app import XmlApi
from tests.conftest import CHEAP_HASHES
from tests.functional.xml.xml_helpers import AGENT, packet

PROTOS = packet("<server><get_protos/></server>")
# Twice as many sources past the bound as within it: unbounded, the audit would hold
# 3 * REFUSAL_ENTRIES entries and the log three lines each, far past what is allowed.
SOURCES = 3 * REFUSAL_ENTRIES


class Flood:
    """The XML face behind the journal's middleware, called as the server calls it: one
    ASGI request per refusal, each from the address given (the TCP peer)."""

    def __init__(self, panel: Panel, folder: Path, ini: str = "") -> None:
        (folder / "panel.ini").write_text(ini)
        settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, environ={})
        ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
        self.access = AccessLog()
        self.app = JournalMiddleware(
            XmlApi(ctx),
            Journal(folder / "journal.db", 0),
            self.access,
            lambda scope: Context.client_address(scope, ctx.live()),
            AGENT,
            "/api/v2",
        )

    def refuse(self, peers: list[tuple[str, str | None]]) -> list[bytes]:
        """One request with a wrong key per (peer, X-Forwarded-For); their answers."""

        async def one(peer: str, forwarded: str | None) -> bytes:
            headers = [(b"key", str(uuid.uuid4()).encode())]
            if forwarded is not None:
                headers.append((b"x-forwarded-for", forwarded.encode()))
            scope = {
                "type": "http",
                "method": "POST",
                "path": AGENT,
                "headers": headers,
                "client": (peer, 40000),
                "scheme": "https",
            }
            sent: list[bytes] = []
            asked = [{"type": "http.request", "body": PROTOS, "more_body": False}]

            async def receive() -> dict[str, Any]:
                return asked.pop() if asked else {"type": "http.disconnect"}

            async def send(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.body":
                    sent.append(message.get("body", b""))

            await self.app(scope, receive, send)
            return b"".join(sent)

        async def run() -> list[bytes]:
            return [await one(peer, forwarded) for peer, forwarded in peers]

        answers = asyncio.run(run())
        self.access.flush()
        return answers


def _addresses(n: int, net: str = "10.9") -> list[str]:
    return [f"{net}.{i // 250}.{i % 250 + 1}" for i in range(n)]


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("panelkey")]


@pytest.mark.parametrize("forwarded", [False, True], ids=["peers", "forwarded"])
def test_refusals_from_many_addresses_make_a_bounded_audit_and_log(
    panel: Panel, tmp_path: Path, caplog: pytest.LogCaptureFixture, forwarded: bool
) -> None:
    caplog.set_level(logging.INFO, logger="panelkey")
    sources = _addresses(SOURCES)
    if forwarded:  # every request from the proxy, the client in X-Forwarded-For
        flood = Flood(panel, tmp_path, "[panelkey]\ntrustedProxies = 127.0.0.1\n")
        peers: list[tuple[str, str | None]] = [("127.0.0.1", s) for s in sources]
    else:
        flood = Flood(panel, tmp_path)
        peers = [(s, None) for s in sources]
    before = len(panel.audit.entries())
    caplog.clear()
    answers = flood.refuse(peers)
    assert all(b"<errcode>11003</errcode>" in a for a in answers)
    panel.audit.flush()
    added = panel.audit.entries()[before:]
    single = [e for e in added if e.source_ip != OVERFLOW_SOURCE]
    together = [e for e in added if e.source_ip == OVERFLOW_SOURCE]
    assert len(single) == REFUSAL_ENTRIES
    assert {e.source_ip for e in single} == set(sources[:REFUSAL_ENTRIES])
    (over,) = together
    more = SOURCES - REFUSAL_ENTRIES
    assert over.count == more and over.reason == "unknown key"
    assert over.detail == f"and {more} more from {more} addresses"
    assert sum(e.count for e in added) == SOURCES
    # Each written entry: its audit line, the refusal's warning and its access line; the
    # rest: one line saying they are counted together.
    lines = _lines(caplog)
    assert len(lines) <= 3 * REFUSAL_ENTRIES + 1, len(lines)
    assert sum("counted together" in line for line in lines) == 1

    # More of the same in this interval: the same entry grows, no line is written.
    caplog.clear()
    flood.refuse([(s, None) for s in _addresses(50, "10.8")])
    panel.audit.flush()
    assert _lines(caplog) == []
    (over,) = [e for e in panel.audit.entries() if e.source_ip == OVERFLOW_SOURCE]
    assert (
        over.count == more + 50
        and over.detail == f"and {more + 50} more from {more + 50} addresses"
    )

    # The interval ends: one line sums it up, and a new source has an entry of its own.
    panel.audit.refusal_interval = 0.05
    time.sleep(0.1)
    panel.audit.flush()
    (summary,) = _lines(caplog)
    assert f"{more + 50} more refusals from {more + 50} addresses" in summary
    flood.refuse([("10.7.0.1", None)])
    assert panel.audit.entries()[-1].source_ip == "10.7.0.1"


def test_refusals_from_few_addresses_are_each_entered_as_before(
    panel: Panel, tmp_path: Path
) -> None:
    flood = Flood(panel, tmp_path)
    sources = _addresses(REFUSAL_ENTRIES)
    flood.refuse([(s, None) for s in sources * 3])
    panel.audit.flush()
    failures = panel.audit.entries(failures_only=True)
    assert sorted((e.source_ip, e.count) for e in failures) == sorted((s, 3) for s in sources)
