"""uvicorn's httptools protocol with the limits a slow or greedy client meets.

    header_timeout   the request line and headers must be in this many seconds after
                     the connection opens (or the next request begins)  -> 408, closed
    body_timeout     the body must be in this many seconds after the headers -> 408
    HEAD_LIMIT       at most this many bytes of request line and headers  -> 431
    max_per_source   open connections of one peer address on this worker -> 503

A connection's writes leave at the end of the event loop's turn while the worker has other
requests in hand, a response's head with its body in one send where uvicorn makes two
(TurnWrite). A connection that is answered
and kept alive waits under uvicorn's keep-alive timeout.
Trusted proxies (panel.ini `trustedProxies`) are exempt from the per-source bound, since
every client behind them shares their address. Header names are not touched: those with
underscores (`HTTP_AUTH_LOGIN`) still reach the XML face.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("panelkey.http")

HEAD_LIMIT = 64 * 1024
# Held writes of one connection past this many bytes leave at once (TurnWrite).
HOLD_LIMIT = 256 * 1024


def _answer(status: bytes, text: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain\r\nconnection: close\r\n"
        b"content-length: " + str(len(text)).encode() + b"\r\n\r\n" + text
    )


_TIMED_OUT = _answer(b"408 Request Timeout", b"Request Timeout: the request came too slowly\n")
_HEAD_TOO_LARGE = _answer(
    b"431 Request Header Fields Too Large", b"Request header fields too large\n"
)
_TOO_MANY = _answer(
    b"503 Service Unavailable", b"Too many connections from this address; try again later\n"
)


class TurnWrite:
    """A connection's transport whose writes leave together, at the end of the event
    loop's turn while the worker has other requests in hand.

    uvicorn writes a response's status line and headers, then its body, in two calls:
    on a socket, two sends and two wake-ups of the client. Here a write is held, with any
    that follow, until the turn's end (a `call_soon`), and sent as one. Under load, one
    turn runs many connections' requests, so their handling runs together and their
    sends after it, instead of a send between each two: each send runs the kernel's TCP
    path, which evicts the interpreter's and libxml2's working set from the CPU caches
    (measured: a third more `get_protos` a second, docs/performance.md). A response that
    is the worker's only request in hand leaves as soon as its body is written (a head
    and its body, in one send): waiting for the turn's end would only add the request's
    own tail (the journal, uvicorn's bookkeeping) to its latency. Past HOLD_LIMIT bytes
    the held data is sent at once; closing sends what is held first. Anything else is
    the transport's own."""

    __slots__ = ("_transport", "_loop", "_held", "_size", "_in_hand")

    def __init__(self, transport: Any, loop: asyncio.AbstractEventLoop, in_hand: list[int]) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0
        self._in_hand = in_hand  # [requests the worker has begun and not answered]

    def write(self, data: bytes) -> None:
        held = self._held
        if not held:
            self._loop.call_soon(self.flush)
        held.append(bytes(data))
        self._size += len(data)
        if self._size > HOLD_LIMIT or (len(held) > 1 and self._in_hand[0] <= 1):
            self.flush()

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        held = self._held
        if held:
            self._held = []
            self._size = 0
            if not self._transport.is_closing():
                self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def get_write_buffer_size(self) -> int:
        return int(self._transport.get_write_buffer_size()) + self._size

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedHttp(HttpToolsProtocol):
    """Made per worker by `guarded`, which sets the limits as class attributes."""

    header_timeout: ClassVar[float] = 20.0
    body_timeout: ClassVar[float] = 60.0
    max_per_source: ClassVar[int] = 256
    exempt: ClassVar[Callable[[str], bool]]
    open_by_source: ClassVar[dict[str, int]]
    in_hand: ClassVar[list[int]]  # the worker's requests begun and not yet answered

    _begun = 0  # this connection's share of in_hand

    _guard: asyncio.TimerHandle | None = None
    _source: str | None = None
    _head_bytes: int = -1  # bytes of the head so far; -1 while no head is being read

    def connection_made(self, transport: Any) -> None:
        super().connection_made(
            cast(asyncio.Transport, TurnWrite(transport, self.loop, self.in_hand))
        )
        source = self.client[0] if self.client else ""
        opened = self.open_by_source.get(source, 0) + 1
        self.open_by_source[source] = opened
        self._source = source
        if opened > self.max_per_source and not type(self).exempt(source):
            log.debug("connection from %s refused: %d already open", source, opened - 1)
            self._close_with(_TOO_MANY)
            return
        self._head_bytes = 0
        self._arm(self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.in_hand[0] -= self._begun
        self._begun = 0
        source = self._source
        if source is not None:
            self._source = None
            left = self.open_by_source.get(source, 1) - 1
            if left > 0:
                self.open_by_source[source] = left
            else:
                self.open_by_source.pop(source, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes >= 0:
            self._head_bytes += len(data)
        super().data_received(data)
        # Still inside the head after all that (a head and its body in one read is fine).
        if self._head_bytes > HEAD_LIMIT:
            self._close_with(_HEAD_TOO_LARGE)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._head_bytes < 0:
            self._head_bytes = 0
        if self._guard is None:
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._disarm()
        self._head_bytes = -1
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not before:  # a request to answer (not an upgrade)
            self._begun += 1
            self.in_hand[0] += 1
        self._arm(self.body_timeout)  # disarmed at once when there is no body

    def on_response_complete(self) -> None:
        if self._begun > 0:
            self._begun -= 1
            self.in_hand[0] -= 1
        super().on_response_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    # -- timers -----------------------------------------------------------------------

    def _arm(self, seconds: float) -> None:
        self._disarm()
        if seconds > 0:
            self._guard = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._guard is not None:
            self._guard.cancel()
            self._guard = None

    def _timed_out(self) -> None:
        self._guard = None
        log.debug("connection from %s closed: request too slow", self._source)
        self._close_with(_TIMED_OUT)

    def _close_with(self, answer: bytes) -> None:
        self._disarm()
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            transport.write(answer)
        transport.close()


def guarded(
    *,
    header_timeout: float,
    body_timeout: float,
    max_per_source: int,
    exempt: Callable[[str], bool],
) -> type[GuardedHttp]:
    """A protocol class of its own for one worker: its limits and its count of open
    connections per source, shared by all of that worker's listeners."""
    return type(
        "GuardedHttp",
        (GuardedHttp,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "max_per_source": max_per_source,
            "exempt": staticmethod(exempt),
            "open_by_source": {},
            "in_hand": [0],
        },
    )
