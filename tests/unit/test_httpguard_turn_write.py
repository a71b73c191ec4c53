"""httpguard.TurnWrite: a connection's writes leave together at the end of the loop's turn
while the worker has other requests in hand, at once when it has none."""

from __future__ import annotations

import asyncio

from panelkey.httpguard import HOLD_LIMIT, Turn, TurnWrite

BUSY = [5]  # requests the worker has in hand: more than the one being answered


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.eof = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def write_eof(self) -> None:
        self.eof = True

    def get_write_buffer_size(self) -> int:
        return 7

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_a_head_and_its_body_are_one_write_at_the_end_of_the_turn() -> None:
    async def go() -> tuple[list[bytes], list[bytes]]:
        raw = _Transport()
        held = TurnWrite(raw, asyncio.get_running_loop(), BUSY, Turn())
        held.write(b"HTTP/1.1 200 OK\r\n\r\n")
        held.write(b"<packet/>")
        before = list(raw.writes)
        await asyncio.sleep(0)
        return before, raw.writes

    before, after = asyncio.run(go())
    assert before == []  # nothing leaves while the turn still runs requests
    assert after == [b"HTTP/1.1 200 OK\r\n\r\n<packet/>"]


def test_the_only_request_in_hand_leaves_with_its_body_at_once() -> None:
    async def go() -> tuple[list[bytes], list[bytes], list[bytes]]:
        raw = _Transport()
        alone = [1]
        held = TurnWrite(raw, asyncio.get_running_loop(), alone, Turn())
        held.write(b"HTTP/1.1 200 OK\r\n\r\n")
        head_only = list(raw.writes)  # a head waits for its body
        held.write(b"<packet/>")
        with_body = list(raw.writes)
        await asyncio.sleep(0)  # the turn's flush finds nothing left
        return head_only, with_body, raw.writes

    head_only, with_body, after = asyncio.run(go())
    assert head_only == []
    assert with_body == after == [b"HTTP/1.1 200 OK\r\n\r\n<packet/>"]


def test_connections_written_in_one_turn_all_send_after_it_each_in_one_write() -> None:
    async def go() -> tuple[list[int], list[list[bytes]]]:
        loop = asyncio.get_running_loop()
        raws = [_Transport() for _ in range(3)]
        turn = Turn()  # the worker's: one callback sends every connection's writes
        for n, raw in enumerate(raws):
            held = TurnWrite(raw, loop, BUSY, turn)
            held.write(b"head%d " % n)
            held.write(b"body%d" % n)
        during = [len(raw.writes) for raw in raws]
        await asyncio.sleep(0)
        return during, [raw.writes for raw in raws]

    during, after = asyncio.run(go())
    assert during == [0, 0, 0]
    assert after == [[b"head0 body0"], [b"head1 body1"], [b"head2 body2"]]


def test_a_later_turns_write_is_a_write_of_its_own() -> None:
    async def go() -> list[bytes]:
        raw = _Transport()
        held = TurnWrite(raw, asyncio.get_running_loop(), BUSY, Turn())
        held.write(b"first")
        await asyncio.sleep(0)
        held.write(b"second")
        await asyncio.sleep(0)
        return raw.writes

    assert asyncio.run(go()) == [b"first", b"second"]


def test_past_the_hold_limit_the_data_leaves_at_once_and_counts_until_then() -> None:
    async def go() -> tuple[int, list[int], list[int]]:
        raw = _Transport()
        held = TurnWrite(raw, asyncio.get_running_loop(), BUSY, Turn())
        held.write(b"x" * 100)
        size = held.get_write_buffer_size()  # the transport's own 7 and the held 100
        held.write(b"y" * HOLD_LIMIT)
        now = [len(w) for w in raw.writes]
        await asyncio.sleep(0)  # the turn's flush finds nothing left
        return size, now, [len(w) for w in raw.writes]

    size, now, later = asyncio.run(go())
    assert size == 107
    assert now == [100 + HOLD_LIMIT] and later == now


def test_closing_and_eof_send_what_is_held_first_and_the_rest_is_the_transports() -> None:
    async def go() -> tuple[_Transport, _Transport]:
        loop = asyncio.get_running_loop()
        raw, other = _Transport(), _Transport()
        turn = Turn()
        held = TurnWrite(raw, loop, BUSY, turn)
        held.write(b"HTTP/1.1 408 Request Timeout\r\n\r\n")
        held.close()
        assert held.get_extra_info("peername") == "info peername"
        ended = TurnWrite(other, loop, BUSY, turn)
        ended.write(b"last")
        ended.write_eof()
        assert other.writes == [b"last"] and other.eof
        await asyncio.sleep(0)  # the scheduled flushes find nothing more to send
        return raw, other

    raw, other = asyncio.run(go())
    assert raw.writes == [b"HTTP/1.1 408 Request Timeout\r\n\r\n"] and raw.closed
    assert other.writes == [b"last"]


def test_the_workers_count_of_requests_in_hand_returns_to_zero() -> None:
    """Answered, pipelined, upgraded, and dropped mid-request: none stays counted."""
    import socket

    import uvicorn

    from panelkey.httpguard import Limits, RefusalLog, guarded

    release = asyncio.Event()

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/slow":
            await release.wait()
        body = b"ok"
        await send(  # type: ignore[operator]
            {"type": "http.response.start", "status": 200,
             "headers": [(b"content-length", b"2")]}
        )  # fmt: skip
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    protocol = guarded(
        header_timeout=5,
        body_timeout=5,
        limits=Limits(capacity=1000, bound=50, reserve=0),
        exempt=lambda _: False,
        refusals=RefusalLog(60),
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http=protocol, lifespan="off", log_config=None, access_log=False)
    server = uvicorn.Server(config)

    async def go() -> tuple[int, int, bytes]:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.01)
        get = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(get * 3)  # pipelined
        got = b""
        while got.count(b"ok") < 3:
            got += await reader.read(65536)
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        up_writer.write(  # handed to the WebSocket protocol, never answered here
            b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        await up_reader.read(65536)
        up_writer.close()
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", port)
        slow_writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        await asyncio.sleep(0.1)
        during = protocol.in_hand[0]
        slow_writer.close()  # dropped before its answer
        await asyncio.sleep(0.1)
        release.set()
        await asyncio.sleep(0.1)
        writer.close()
        await asyncio.sleep(0.1)
        after = protocol.in_hand[0]
        server.should_exit = True
        await serving
        return during, after, got

    during, after, got = asyncio.run(go())
    assert got.count(b"HTTP/1.1 200 OK") == 3
    assert during == 1 and after == 0
