"""The write lane (store/lane.py): calls run off the event loop, on the lane's threads,
with the caller's context, and give back their result or their exception."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from panelkey.store.lane import Lane

_who: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


def test_a_call_runs_on_a_lane_thread_in_the_callers_context() -> None:
    lane = Lane(2)

    async def main() -> tuple[str, str, str]:
        _who.set("request 7")
        return await lane.run(lambda: (threading.current_thread().name, _who.get(), "done"))

    try:
        name, who, result = asyncio.run(main())
    finally:
        lane.close()
    assert name.startswith("panelkey-write-")
    assert name != threading.current_thread().name
    assert (who, result) == ("request 7", "done")


def test_a_calls_exception_reaches_its_caller_and_the_lane_goes_on() -> None:
    lane = Lane(1)

    def fails() -> None:
        raise LookupError("no such record")

    async def main() -> int:
        with pytest.raises(LookupError, match="no such record"):
            await lane.run(fails)
        return await lane.run(lambda: 42)

    try:
        assert asyncio.run(main()) == 42
    finally:
        lane.close()


def test_concurrent_calls_all_answer_on_their_own_futures() -> None:
    lane = Lane(3)

    async def main() -> list[int]:
        return list(await asyncio.gather(*(lane.run(lambda n=n: n * n) for n in range(50))))

    try:
        assert asyncio.run(main()) == [n * n for n in range(50)]
    finally:
        lane.close()


def test_a_slow_call_does_not_hold_the_next_one_a_spare_takes_it() -> None:
    lane = Lane(1, spares=1, slow=0.01)
    release = threading.Event()

    async def main() -> tuple[int, bool]:
        slow = asyncio.ensure_future(lane.run(lambda: release.wait(10)))
        await asyncio.sleep(0.1)  # the one steady thread is on the slow call by now
        quick = await asyncio.wait_for(lane.run(lambda: 7), timeout=5)
        still_waiting = not slow.done()
        release.set()
        await slow
        return quick, still_waiting

    try:
        assert asyncio.run(main()) == (7, True)
    finally:
        release.set()
        lane.close()
