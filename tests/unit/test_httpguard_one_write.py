"""httpguard.OneWrite: a response's head goes out with its body, in one write."""

from __future__ import annotations

import asyncio

from panelkey.httpguard import OneWrite


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_a_head_and_its_body_are_one_write() -> None:
    async def go() -> list[bytes]:
        raw = _Transport()
        one = OneWrite(raw, asyncio.get_running_loop())
        one.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert raw.writes == []  # held for the body
        one.write(b"<packet/>")
        await asyncio.sleep(0)
        return raw.writes

    assert asyncio.run(go()) == [b"HTTP/1.1 200 OK\r\n\r\n<packet/>"]


def test_a_lone_write_goes_out_at_the_end_of_the_loops_turn() -> None:
    async def go() -> tuple[list[bytes], list[bytes]]:
        raw = _Transport()
        one = OneWrite(raw, asyncio.get_running_loop())
        one.write(b"HTTP/1.1 204 No Content\r\n\r\n")  # a head with no body to follow
        before = list(raw.writes)
        await asyncio.sleep(0)
        return before, raw.writes

    before, after = asyncio.run(go())
    assert before == [] and after == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_closing_sends_what_is_held_first_and_the_rest_is_the_transports() -> None:
    async def go() -> _Transport:
        raw = _Transport()
        one = OneWrite(raw, asyncio.get_running_loop())
        one.write(b"HTTP/1.1 408 Request Timeout\r\n\r\n")
        one.close()
        assert one.get_extra_info("peername") == "info peername"
        await asyncio.sleep(0)  # the scheduled flush finds nothing more to send
        return raw

    raw = asyncio.run(go())
    assert raw.writes == [b"HTTP/1.1 408 Request Timeout\r\n\r\n"] and raw.closed
