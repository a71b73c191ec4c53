"""uvicorn's httptools protocol with the limits a slow or greedy client meets.

    header_timeout   the TLS handshake (on HTTPS), request line and headers must be in this
                     many seconds after the connection opens (or the next request
                     begins)  -> 408 (a handshake that never ends: closed, no answer)
    body_timeout     the body must be in this many seconds after the headers -> 408
    HEAD_LIMIT       at most this many bytes of request line and headers  -> 431
    bound            open connections of one peer address on this worker -> 503

Every connection counts from its accept, before any TLS handshake: the handshake is set
up here (with the server's own SSLProtocol), not by the server, so that a peer that
connects and never says hello holds a counted connection that the header timeout
closes. The bounds come from the worker's descriptor limit (`Limits.sized`): a worker
holds at most `capacity` connections, one address at most `bound` of them, and once
fewer than `reserve` are left, only addresses holding fewer than RESERVE_SHARE get in,
so that a few flooding addresses can never take the last connections (see `admit`),
and addresses whose requests have authenticated on this worker (the faces tell
`authenticated`), which may go on up to their bound: the reserve is kept for callers
with credentials, not for whoever connects. A
refused connection is closed at once (a 503 first on plain HTTP; on HTTPS before the
handshake, without a word), and logged once per address per interval with the count of
those refused since.

A connection's writes leave at the end of the event loop's turn while the worker has other
requests in hand, a response's head with its body in one send where uvicorn makes two
(TurnWrite; one callback a turn sends every connection's, Turn). A connection that is
answered and kept alive waits under uvicorn's keep-alive timeout. The three timeouts
(head, body, keep-alive) are deadlines that one sweep a worker checks (Deadlines), not a
timer made and cancelled three times a request.
Trusted proxies (panel.ini `trustedProxies`) are exempt from the per-address bound and
the reserve, since every client behind them shares their address. Header names are not
touched: those with underscores (`HTTP_AUTH_LOGIN`) still reach the XML face.
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import logging
import resource
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.utils import get_remote_addr

log = logging.getLogger("panelkey.http")

HEAD_LIMIT = 64 * 1024
# Held writes of one connection past this many bytes leave at once (TurnWrite).
HOLD_LIMIT = 256 * 1024
# Seconds a connection refused mid-head (431) goes on reading and dropping what the client
# still sends, its answer and end already sent (`_linger`).
LINGER = 2.0
# Descriptors a worker keeps for itself, not for connections: store and journal files of
# each thread, listeners, DNS sockets, the event loop's own. At least this many, and an
# eighth of the limit.
SPARE_FDS = 64
# Once a worker is in its reserve, an address holding this many connections gets no more.
RESERVE_SHARE = 2
# Past this many addresses remembered by the refusal log, the quiet ones are forgotten.
_REMEMBERED = 4096
# The worker's requests begun and not answered, shared by its protocol classes (one
# worker is one process): what pressure.py asks before it makes a caller wait.
_IN_HAND = [0]
_BEGUN = [0]  # requests the worker has begun, ever


# Peer addresses that sent a request which authenticated (bounded: past it, start again).
_AUTHENTICATED: set[str] = set()


def authenticated(peer: str) -> None:
    """A request from TCP peer `peer` authenticated: its connections may use the
    reserve."""
    if peer not in _AUTHENTICATED:
        if len(_AUTHENTICATED) >= _REMEMBERED:
            _AUTHENTICATED.clear()
        _AUTHENTICATED.add(peer)


def begun() -> int:
    """Requests the worker has begun since it started (their head whole)."""
    return _BEGUN[0]


def in_hand() -> int:
    """The worker's requests begun (their head whole) and not yet answered; 0 where the
    faces are called without this protocol."""
    return _IN_HAND[0]


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


class Turn:
    """The connections of one worker with writes held in this turn of its event loop:
    sent by one callback at the turn's end, not one each."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: list[TurnWrite] = []

    def hold(self, writer: TurnWrite, loop: asyncio.AbstractEventLoop) -> None:
        if not self._held:
            loop.call_soon(self._flush)
        self._held.append(writer)

    def _flush(self) -> None:
        held, self._held = self._held, []
        for writer in held:
            writer.flush()


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

    __slots__ = ("_transport", "_loop", "_turn", "_held", "_size", "_in_hand")

    def __init__(
        self, transport: Any, loop: asyncio.AbstractEventLoop, in_hand: list[int], turn: Turn
    ) -> None:
        self._transport = transport
        self._loop = loop
        self._turn = turn
        self._held: list[bytes] = []
        self._size = 0
        self._in_hand = in_hand  # [requests the worker has begun and not answered]

    def write(self, data: bytes) -> None:
        held = self._held
        if not held:
            self._turn.hold(self, self._loop)
        # A copy only of what the caller may change after (uvicorn writes bytes).
        held.append(data if data.__class__ is bytes else bytes(data))
        size = self._size = self._size + len(data)
        if size > HOLD_LIMIT or (len(held) > 1 and self._in_hand[0] <= 1):
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

    def is_closing(self) -> bool:
        # Its own method, asked once a request: `__getattr__` is reached only after a
        # failed lookup, which makes and drops an AttributeError each time.
        return bool(self._transport.is_closing())

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def raise_fd_limit() -> int:
    """Raise this process's soft limit of open descriptors to its hard limit (workers
    forked later inherit it); the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # Linux refuses "unlimited" past fs.nr_open: a million is more than one worker uses.
    want = 1 << 20 if hard == resource.RLIM_INFINITY else hard
    if soft == resource.RLIM_INFINITY or soft >= want:
        return int(soft if soft != resource.RLIM_INFINITY else want)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ValueError, OSError):
        return int(soft)
    return int(want)


@dataclass(frozen=True)
class Limits:
    """How many connections one worker holds: at most `capacity` in all, `bound` of one
    address, and the last `reserve` only for addresses holding fewer than RESERVE_SHARE."""

    capacity: int
    bound: int
    reserve: int

    @classmethod
    def sized(cls, fd_limit: int, max_per_source: int) -> Limits:
        """From the worker's descriptor limit: what it spares for itself aside, a
        sixteenth of the rest per address (at most `max_per_source`), a quarter kept
        in reserve."""
        capacity = max(8, fd_limit - max(SPARE_FDS, fd_limit // 8))
        return cls(capacity, max(1, min(max_per_source, capacity // 16)), capacity // 4)


def admit(
    open_total: int, held: int, limits: Limits, *, exempt: bool = False, known: bool = False
) -> str | None:
    """None when a new connection may open on a worker holding `open_total` connections,
    `held` of them from the new one's address (`known`: an address that authenticated);
    else why not, for the log."""
    if open_total >= limits.capacity:
        return f"the worker holds {open_total} connections, all it may"
    if exempt:
        return None
    if held >= limits.bound:
        return f"{held} already open, the bound per address"
    in_reserve = open_total >= limits.capacity - limits.reserve
    if in_reserve and held >= RESERVE_SHARE and not known:
        return (
            f"{held} already open and the worker is in its reserve "
            f"({open_total} of {limits.capacity} connections)"
        )
    return None


class RefusalLog:
    """One warning per address per `interval` seconds for refused connections, which
    says how many were refused since the last one: a flood writes a line a minute, not
    a line a connection."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._seen: dict[str, tuple[float, int]] = {}  # address -> (last line, refused since)

    def refused(self, source: str, why: str) -> str | None:
        """The line to log for this refusal, or None when its address had one within
        the interval (the refusal is counted into the next)."""
        now = self.clock()
        last = self._seen.get(source)
        if last is not None and now - last[0] < self.interval:
            self._seen[source] = (last[0], last[1] + 1)
            return None
        if len(self._seen) >= _REMEMBERED:
            self._forget(now)
        self._seen[source] = (now, 0)
        more = f"; {last[1]} more refused since the last line" if last and last[1] else ""
        return f"connections from {source or '-'} refused: {why}{more}"

    def _forget(self, now: float) -> None:
        quiet = [a for a, (at, _) in self._seen.items() if now - at >= self.interval]
        for address in quiet or list(self._seen)[: _REMEMBERED // 2]:
            del self._seen[address]


def _ssl_protocol(loop: asyncio.AbstractEventLoop) -> Any:
    """The class a TLS listener of `loop` wraps its connections in: uvloop's own on
    uvloop, asyncio's elsewhere (same signature)."""
    try:
        import uvloop
        import uvloop.loop
    except ImportError:  # pragma: no cover - uvloop is a dependency, but not on every OS
        return asyncio.sslproto.SSLProtocol
    if isinstance(loop, uvloop.Loop):
        return uvloop.loop.SSLProtocol  # type: ignore[attr-defined]  # not in its stubs
    return asyncio.sslproto.SSLProtocol


class Deadlines:
    """One worker's connection timers in one: each connection keeps the time it must have
    moved by, and a sweep every `every` seconds closes those past it. Arming and disarming,
    three times a request (head, body, keep-alive), is then a store of a float, where a
    timer each was a handle made, scheduled and cancelled. A timeout ends at most `every`
    late: an eighth of the shortest, at most a second."""

    def __init__(self, *timeouts: float) -> None:
        armed = [t for t in timeouts if t > 0]
        self.every = min(max(min(armed) / 8, 0.05), 1.0) if armed else 1.0
        self.open: set[GuardedHttp] = set()
        self._sweep: asyncio.TimerHandle | None = None

    def watch(self, conn: GuardedHttp) -> None:
        self.open.add(conn)
        if self._sweep is None:
            self._sweep = conn.loop.call_later(self.every, self._swept, conn.loop)

    def forget(self, conn: GuardedHttp) -> None:
        self.open.discard(conn)

    def _swept(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        for conn in [c for c in self.open if 0 < c._deadline <= now]:
            conn._expired()
        # No connection, no sweep: the next one to open starts it again.
        self._sweep = loop.call_later(self.every, self._swept, loop) if self.open else None


class GuardedHttp(HttpToolsProtocol):
    """Made per worker by `guarded`, which sets the limits as class attributes; a subclass
    with `tls` set serves HTTPS, shaking hands itself."""

    header_timeout: ClassVar[float] = 20.0
    body_timeout: ClassVar[float] = 60.0
    limits: ClassVar[Limits] = Limits(896, 56, 224)
    tls: ClassVar[ssl.SSLContext | None] = None
    exempt: ClassVar[Callable[[str], bool]]
    refusals: ClassVar[RefusalLog]
    open_by_source: ClassVar[dict[str, int]]
    open_total: ClassVar[list[int]]  # [connections open on the worker]
    in_hand: ClassVar[list[int]]  # the worker's requests begun and not yet answered

    _begun = 0  # this connection's share of in_hand

    deadlines: ClassVar[Deadlines]
    turn: ClassVar[Turn]
    # loop.time() by which the connection must have moved (Deadlines); 0: none
    _deadline: float = 0.0
    _idle = False  # the deadline is the keep-alive's: answered, no new request yet
    _source: str | None = None
    _head_bytes: int = -1  # bytes of the head so far; -1 while no head is being read
    _lingering = False  # refused and answered: what still comes is dropped (`_linger`)
    # The TCP transport while the TLS handshake runs (or a refused one): uvicorn's side
    # of the protocol has not seen the connection yet.
    _raw: asyncio.Transport | None = None

    def connection_made(self, transport: Any) -> None:
        if self._raw is not None:  # the TLS handshake is done: `transport` is its own
            self._raw = None
            self._open(transport)
            return
        source = (get_remote_addr(transport) or ("",))[0]
        cls, total = type(self), self.open_total[0]
        held = self.open_by_source.get(source, 0)
        why = admit(total, held, self.limits, known=source in _AUTHENTICATED)
        # panel.ini is asked only when its answer matters, not on every connection
        if why and admit(total, held, self.limits, exempt=True) is None and cls.exempt(source):
            why = None
        self.open_by_source[source] = held + 1
        self.open_total[0] += 1
        self._source = source
        self.deadlines.watch(self)
        if why is not None:
            line = self.refusals.refused(source, why)
            if line is not None:
                log.warning("%s", line)
            if self.tls is None:
                self._open(transport)
                self._close_with(_TOO_MANY)
            else:  # no cleartext answer to a TLS client, and no handshake spent on it
                self._raw = transport
                transport.close()
            return
        self._arm(self.header_timeout)
        if self.tls is None:
            self._open(transport)
            return
        # The handshake is done as the server does it for a TLS listener (the same
        # SSLProtocol), but after the connection was counted and its timer armed. It is
        # set up before this returns: the transport starts reading right after.
        self._raw = transport
        self.connections.add(self)  # so that a shutdown closes it too
        waiter = self.loop.create_future()
        waiter.add_done_callback(self._shaken)
        timeout = self.header_timeout + 1 if self.header_timeout > 0 else None
        tls = _ssl_protocol(self.loop)(
            self.loop, self, self.tls, waiter, server_side=True, ssl_handshake_timeout=timeout
        )
        transport.set_protocol(tls)
        tls.connection_made(transport)

    def _open(self, transport: Any) -> None:
        super().connection_made(
            cast(asyncio.Transport, TurnWrite(transport, self.loop, self.in_hand, self.turn))
        )
        self._head_bytes = 0

    def _shaken(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.cancelled():
            waiter.exception()  # a failed handshake is no error of the server's
        if self._raw is not None:  # it ended before TLS was up
            self._lost_unopened()

    def _lost_unopened(self) -> None:
        """A connection uvicorn never saw ends: what it held is given back."""
        self._disarm()
        raw, self._raw = self._raw, None
        if raw is not None and not raw.is_closing():
            raw.close()
        self.connections.discard(self)
        self.deadlines.forget(self)
        self._release()

    def _release(self) -> None:
        source = self._source
        if source is None:
            return
        self._source = None
        self.open_total[0] -= 1
        left = self.open_by_source.get(source, 1) - 1
        if left > 0:
            self.open_by_source[source] = left
        else:
            self.open_by_source.pop(source, None)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._raw is not None:  # refused over TLS, or lost mid-handshake
            self._lost_unopened()
            return
        self._disarm()
        self.deadlines.forget(self)
        self.in_hand[0] -= self._begun
        self._begun = 0
        self._release()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return
        if self._head_bytes >= 0:
            self._head_bytes += len(data)
        HttpToolsProtocol.data_received(self, data)
        # Still inside the head after all that (a head and its body in one read is fine).
        if self._head_bytes > HEAD_LIMIT:
            self._close_with(_HEAD_TOO_LARGE, linger=True)

    def shutdown(self) -> None:
        if self._raw is not None:
            self._close_with(b"")
            return
        super().shutdown()

    # The callbacks every request runs call uvicorn's by name, not through `super()` (an
    # object made each call).

    def on_message_begin(self) -> None:
        HttpToolsProtocol.on_message_begin(self)
        if self._head_bytes < 0:
            self._head_bytes = 0
        if self._idle or not self._deadline:  # else the connection's first head
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._head_bytes = -1
        before = self.cycle
        HttpToolsProtocol.on_headers_complete(self)
        if self.cycle is not before:  # a request to answer (not an upgrade)
            self._begun += 1
            self.in_hand[0] += 1
            _BEGUN[0] += 1
        self._arm(self.body_timeout)  # disarmed at once when there is no body

    def on_response_complete(self) -> None:
        # uvicorn's, with its keep-alive timer made a deadline of the sweep's.
        if self._begun > 0:
            self._begun -= 1
            self.in_hand[0] -= 1
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        self.flow.resume_reading()
        if self.pipeline:  # pipelined requests wait for this answer
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        elif not self._deadline:  # a body still coming keeps its own deadline
            self._arm(self.timeout_keep_alive)
            self._idle = True

    def on_message_complete(self) -> None:
        self._disarm()
        HttpToolsProtocol.on_message_complete(self)

    # -- timers -----------------------------------------------------------------------

    def _arm(self, seconds: float) -> None:
        self._deadline = self.loop.time() + seconds if seconds > 0 else 0.0
        self._idle = False

    def _disarm(self) -> None:
        self._deadline = 0.0

    def _expired(self) -> None:
        """Called by the sweep once the deadline has passed."""
        idle, self._idle = self._idle, False
        self._disarm()
        # Kept alive long enough with nothing asked, or done lingering: closed without a word.
        if idle or self._lingering:
            if self.transport is not None and not self.transport.is_closing():
                self.transport.close()
            return
        log.debug("connection from %s closed: request too slow", self._source)
        self._close_with(_TIMED_OUT)

    def _close_with(self, answer: bytes, *, linger: bool = False) -> None:
        self._disarm()
        raw = self._raw
        if raw is not None:  # mid-handshake: nothing can be said in clear
            raw.abort()
            self._lost_unopened()
            return
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        cycle = self.cycle  # the last request's, until a new head is whole
        if answer and (cycle is None or cycle.response_complete or not cycle.response_started):
            transport.write(answer)
        if linger and transport.can_write_eof():
            self._linger(transport)
            return
        transport.close()

    def _linger(self, transport: Any) -> None:
        """End the answer with a FIN and drop what the client still sends for up to LINGER
        seconds, then close (nginx's lingering close): closed at once with its request
        still coming, the socket would answer the rest with a reset, and a client still
        sending would meet the reset before it read the answer. Not over TLS, which has
        no half-close: there the connection closes at once, as before."""
        self._lingering = True
        transport.write_eof()  # TurnWrite sends what it holds first, then the FIN
        self._arm(LINGER)

    def handling(self) -> bool:
        """Whether a request of this connection is whole and its answer not yet sent: its
        handler may be writing to the store, and cannot be stopped half-way."""
        cycle = self.cycle if self._raw is None else None
        return cycle is not None and not cycle.more_body and not cycle.response_complete

    def abort(self) -> None:
        """Drop the connection without a word: for a request the shutdown gives up on,
        whose outcome the client must not be told wrongly."""
        self._disarm()
        if self._raw is not None:
            self._close_with(b"")
        elif self.transport is not None:
            self.transport.abort()


def guarded(
    *,
    header_timeout: float,
    body_timeout: float,
    limits: Limits,
    exempt: Callable[[str], bool],
    refusals: RefusalLog,
) -> type[GuardedHttp]:
    """A protocol class of its own for one worker: its limits and its counts of open
    connections, shared by all of that worker's listeners (`with_tls` makes the HTTPS
    one from it)."""
    return type(
        "GuardedHttp",
        (GuardedHttp,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "limits": limits,
            "exempt": staticmethod(exempt),
            "refusals": refusals,
            "open_by_source": {},
            "open_total": [0],
            "in_hand": _IN_HAND,
            "deadlines": Deadlines(header_timeout, body_timeout),
            "turn": Turn(),
        },
    )


def with_tls(protocol: type[GuardedHttp], context: ssl.SSLContext) -> type[GuardedHttp]:
    """`protocol` serving HTTPS: the same counts, the handshake done by the protocol."""
    return type("GuardedHttps", (protocol,), {"tls": context})
