"""The journal's middleware around a face, called as uvicorn calls it: the request body
the face reads is kept, and a request leaves nothing for the garbage collector."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

from panelkey.context import Context
from panelkey.journal import AccessLog, Journal, JournalMiddleware
from panelkey.xmlapi.app import XmlApi
from tests.conftest import ADMIN_PASSWORD
from tests.functional.xml.xml_helpers import AGENT

PACKET = b"<packet><server><get_protos/></server></packet>"
LOGIN = [(b"http_auth_login", b"admin"), (b"http_auth_passwd", ADMIN_PASSWORD.encode())]


class _Cycle:
    """As uvicorn's request cycle: it holds the scope, and the app is handed its bound
    `receive` and `send`."""

    def __init__(self, body: bytes, credentials: list[tuple[bytes, bytes]]) -> None:
        self.scope: dict[str, Any] = {
            "type": "http",
            "method": "POST",
            "path": AGENT,
            "client": ("127.0.0.1", 50123),
            "headers": [*credentials, (b"content-length", b"%d" % len(body))],
        }
        self.body = body
        self.sent: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        return {"type": "http.request", "body": self.body, "more_body": False}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)


def _middleware(ctx: Context, journal: Journal) -> JournalMiddleware:
    return JournalMiddleware(
        XmlApi(ctx), journal, AccessLog(), lambda _scope: "127.0.0.1", AGENT, "/api/v2"
    )


async def _serve(
    app: JournalMiddleware, body: bytes, credentials: list[tuple[bytes, bytes]] = LOGIN
) -> _Cycle:
    cycle = _Cycle(body, credentials)
    await app(cycle.scope, cycle.receive, cycle.send)
    return cycle


def test_the_body_the_face_read_is_journaled(ctx: Context, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db", size=10)
    cycle = asyncio.run(_serve(_middleware(ctx, journal), PACKET))
    assert b"<get_protos><result><status>ok</status>" in cycle.sent[-1]["body"]
    journal.flush()
    (entry,) = journal.entries()
    assert entry.request == PACKET.decode()
    assert entry.operation == "server/get_protos"


def test_a_request_leaves_no_reference_cycle(ctx: Context, tmp_path: Path) -> None:
    """uvicorn's cycle holds the scope: whatever the middleware leaves in the scope must
    not lead back to the cycle (a cycle made every request, found only by a collection)."""
    app = _middleware(ctx, Journal(tmp_path / "journal.db", size=10))
    admin = ctx.panel.accounts.admin()
    assert admin is not None
    value, _ = ctx.panel.keys.create(admin.identity(), addresses=["127.0.0.1"], face="cli")
    key = [(b"key", value.encode())]

    async def served_twice() -> list[str]:
        await _serve(app, PACKET, key)  # the first request of a face builds what it keeps
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            await _serve(app, PACKET, key)
            gc.collect()
            return [type(o).__name__ for o in gc.garbage]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    assert asyncio.run(served_twice()) == []
