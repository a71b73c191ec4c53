"""httpguard.TurnWrite: a connection's writes leave together at the end of the loop's turn."""

from __future__ import annotations

import asyncio

from panelkey.httpguard import HOLD_LIMIT, TurnWrite


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
        held = TurnWrite(raw, asyncio.get_running_loop())
        held.write(b"HTTP/1.1 200 OK\r\n\r\n")
        held.write(b"<packet/>")
        before = list(raw.writes)
        await asyncio.sleep(0)
        return before, raw.writes

    before, after = asyncio.run(go())
    assert before == []  # nothing leaves while the turn still runs requests
    assert after == [b"HTTP/1.1 200 OK\r\n\r\n<packet/>"]


def test_connections_written_in_one_turn_all_send_after_it_each_in_one_write() -> None:
    async def go() -> tuple[list[int], list[list[bytes]]]:
        loop = asyncio.get_running_loop()
        raws = [_Transport() for _ in range(3)]
        for n, raw in enumerate(raws):
            held = TurnWrite(raw, loop)
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
        held = TurnWrite(raw, asyncio.get_running_loop())
        held.write(b"first")
        await asyncio.sleep(0)
        held.write(b"second")
        await asyncio.sleep(0)
        return raw.writes

    assert asyncio.run(go()) == [b"first", b"second"]


def test_past_the_hold_limit_the_data_leaves_at_once_and_counts_until_then() -> None:
    async def go() -> tuple[int, list[int], list[int]]:
        raw = _Transport()
        held = TurnWrite(raw, asyncio.get_running_loop())
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
        held = TurnWrite(raw, loop)
        held.write(b"HTTP/1.1 408 Request Timeout\r\n\r\n")
        held.close()
        assert held.get_extra_info("peername") == "info peername"
        ended = TurnWrite(other, loop)
        ended.write(b"last")
        ended.write_eof()
        assert other.writes == [b"last"] and other.eof
        await asyncio.sleep(0)  # the scheduled flushes find nothing more to send
        return raw, other

    raw, other = asyncio.run(go())
    assert raw.writes == [b"HTTP/1.1 408 Request Timeout\r\n\r\n"] and raw.closed
    assert other.writes == [b"last"]
