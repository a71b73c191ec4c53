"""The transport side of injected faults (core/testing/faults.py): where a face raised
`Interrupt`, answer the rule's bare HTTP status, or drop the connection unanswered.

Answered inside the journal's middleware (server.api_app), so the journal keeps what was
answered (status 0 for a drop) with the rule noted as its reason.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from panelkey.core.testing.faults import Interrupt

log = logging.getLogger("panelkey.faults")


async def answer(signal: Interrupt, receive: Any, send: Any) -> None:
    """What the API app answers where a face raised `signal`: the rule's bare HTTP status,
    or nothing at all (the connection dropped). The journal's middleware calls it
    (server.api_app), in its own coroutine: no layer of ours around the faces."""
    rule = signal.rule
    if rule.disconnect:
        await _drop(receive)
        return
    status = rule.http_status or 500
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Injected fault"
    body = f"{status} {phrase}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _connection(receive: Any) -> Any:
    """uvicorn's request cycle behind `receive` (through wrappers that keep the one they
    wrap as `_receive`, as the journal's does), or None under another server."""
    for _ in range(8):
        owner = getattr(receive, "__self__", None)
        if owner is None:
            return None
        if hasattr(owner, "transport") and hasattr(owner, "disconnected"):
            return owner
        receive = getattr(owner, "_receive", None)
    return None


async def _drop(receive: Any) -> None:
    """Close the connection with no answer at all, as a crashed proxy would. ASGI has no
    word for that; uvicorn's request cycle has the socket."""
    cycle = _connection(receive)
    if cycle is None:
        raise ConnectionAbortedError("injected fault: connection dropped")
    cycle.transport.close()
    # Until uvicorn sees the close: else it would log a missing answer and try a 500.
    for _ in range(100):
        if cycle.disconnected:
            return
        await asyncio.sleep(0.001)
    log.debug("a dropped connection was not seen closed in time")
