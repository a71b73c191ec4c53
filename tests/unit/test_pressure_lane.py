"""The big answers' lane (pressure.BulkLane): after a turn in a thread it rests for the
others' sake as long as the thread's CPU time asks, not as long as the thread waited."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from panelkey import httpguard, pressure


@pytest.fixture
def others_begin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other requests begin all the time, as under load: the lane rests after each turn."""
    counter = itertools.count()
    monkeypatch.setattr(httpguard, "begun", lambda: next(counter))


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


async def _gap_between_two_runs(first: float, burn: bool) -> float:
    """Seconds between the end of a first run (its work sleeping or burning `first`
    seconds) and the start of the next one's work."""
    lane = pressure.BulkLane()
    await lane.run(lambda: _burn(first) if burn else time.sleep(first))
    ended = time.perf_counter()
    started: list[float] = []
    await lane.run(lambda: started.append(time.perf_counter()))
    return started[0] - ended


@pytest.mark.usefixtures("others_begin")
def test_a_thread_that_only_waited_leaves_the_lane_free_at_once() -> None:
    # 0.3 s of waiting (a busy loop holding the GIL, a store slow to answer) took nothing
    # from the loop: resting nine times the wall time would hold big answers 2.7 s.
    assert asyncio.run(_gap_between_two_runs(0.3, burn=False)) < 0.2


@pytest.mark.usefixtures("others_begin")
def test_a_thread_that_worked_makes_the_lane_rest_nine_times_its_work() -> None:
    gap = asyncio.run(_gap_between_two_runs(0.05, burn=True))
    assert gap >= 0.05 * pressure.REST_FACTOR * 0.9
