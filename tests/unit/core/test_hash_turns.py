"""Turns at password hashing (core/access/hash_turns.py): one at a time, familiar
sources first, a rest after each hash while the worker is busy."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Coroutine
from typing import Any

from panelkey.core.access.hash_turns import HashTurns


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def _checker(turns: HashTurns, record: list[str]) -> Callable[..., Coroutine[Any, Any, None]]:
    """A password check from an unfamiliar source that records its name once it has its
    turn, holding the turn until `hold` is set when given one."""

    async def check(name: str, hold: asyncio.Event | None = None) -> None:
        async with turns.turn(False):
            if hold is not None:
                await hold.wait()
            record.append(name)

    return check


def test_one_turn_at_a_time_and_familiar_sources_first() -> None:
    turns = HashTurns()
    order: list[str] = []
    inside = [0]

    async def check(name: str, familiar: bool, hold: asyncio.Event | None = None) -> None:
        async with turns.turn(familiar):
            inside[0] += 1
            assert inside[0] == 1
            order.append(name)
            if hold is not None:
                await hold.wait()
            await asyncio.sleep(0)
            inside[0] -= 1

    async def main() -> None:
        hold = asyncio.Event()
        first = asyncio.create_task(check("spray 0", False, hold))
        await _settle()
        waiting = [asyncio.create_task(check(f"spray {n}", False)) for n in range(1, 4)]
        await _settle()
        owner = asyncio.create_task(check("owner", True))
        await _settle()
        hold.set()
        await asyncio.gather(first, owner, *waiting)

    asyncio.run(main())
    assert order == ["spray 0", "owner", "spray 1", "spray 2", "spray 3"]


def test_a_cancelled_waiter_gives_its_turn_to_the_next() -> None:
    turns = HashTurns()
    done: list[str] = []
    check = _checker(turns, done)

    async def main() -> None:
        hold = asyncio.Event()
        first = asyncio.create_task(check("first", hold))
        await _settle()
        gone = asyncio.create_task(check("gone"))
        last = asyncio.create_task(check("last"))
        await _settle()
        gone.cancel()
        hold.set()
        await asyncio.wait_for(asyncio.gather(first, last), 5)

    asyncio.run(main())
    assert done == ["first", "last"]


def test_while_the_worker_is_busy_the_next_hash_waits_for_the_rest() -> None:
    ticks = itertools.count(0, 1000)  # each hash "takes" 1,000 s: a rest of 3,000 s
    turns = HashTurns(clock=lambda: float(next(ticks)))
    busy = [True]
    turns.busy = lambda _own: busy[0]
    started: list[str] = []

    async def check(name: str) -> None:
        async with turns.turn(True):
            started.append(name)

    async def main() -> None:
        await check("first")
        second = asyncio.create_task(check("second"))
        await _settle()
        assert started == ["first"]  # resting
        second.cancel()
        # Not busy: no rest after a hash, the next one starts at once.
        busy[0] = False
        quiet = HashTurns(clock=lambda: float(next(ticks)))
        quiet.busy = lambda _own: busy[0]
        for name in ("a", "b"):
            async with quiet.turn(False):
                started.append(name)

    asyncio.run(main())
    assert started == ["first", "a", "b"]


def test_requests_waiting_for_a_turn_do_not_count_as_others() -> None:
    """The worker's requests in hand, less the one hashing and those waiting: a spray
    alone hashes without rests; with one more request in hand, it rests."""
    ticks = itertools.count(0, 1000)  # each hash "takes" 1,000 s: a rest of 3,000 s
    turns = HashTurns(clock=lambda: float(next(ticks)))
    tasks: list[asyncio.Task[None]] = []
    others = [0]  # requests in hand besides the tasks
    turns.busy = lambda own: sum(not t.done() for t in tasks) + others[0] > own
    started: list[str] = []
    check = _checker(turns, started)

    async def main() -> None:
        hold = asyncio.Event()
        tasks.append(asyncio.create_task(check("first", hold)))
        await _settle()
        tasks.extend(asyncio.create_task(check(f"guess {n}")) for n in range(3))
        await _settle()
        hold.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)  # no rest: nobody else waits
        others[0] = 2  # "a" below, and one request that is no password check
        await check("a")
        late = asyncio.create_task(check("b"))
        await _settle()
        assert "b" not in started  # resting for the other request's sake
        late.cancel()

    asyncio.run(main())
    assert started == ["first", "guess 0", "guess 1", "guess 2", "a"]
