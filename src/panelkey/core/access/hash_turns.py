"""Turns at password hashing for the faces' password checks: one hash at a time per
worker, the owner's familiar sources first, and, while the worker has other requests in
hand, a rest after each hash of REST times its length, so that a password spray's
hashes take at most 1 / (1 + REST) of the time (argon2 holds a core for about a tenth
of a second; on a machine of two cores, a spray hashing without pause took the event
loop's core every other moment).

A caller waits for its turn on the event loop, as a future: no thread, no polling. The
lockout is decided before the turn (core/access/auth.py), and again when it comes, so
a source locked out meanwhile hashes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Callable

REST = 3.0  # hashing takes at most a quarter of a busy worker's time


def _never(_own: int) -> bool:
    return False


class HashTurns:
    """See the module. `busy(own)`: whether the worker has requests in hand besides `own`
    of them (the one hashing and those waiting for a turn: a spray alone is not kept
    waiting for its own sake); the server wires it; without, nothing rests."""

    def __init__(self, rest: float = REST, clock: Callable[[], float] = time.perf_counter):
        self.rest = rest
        self.busy: Callable[[int], bool] = _never
        self._clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._taken = False
        self._resting: asyncio.TimerHandle | None = None
        # (0 familiar or 1 not, arrival, future): the next turn is the smallest.
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (tests, a restart): nothing of the old holds
            self._loop, self._taken, self._resting, self._waiting = loop, False, None, []
        return loop

    @contextlib.asynccontextmanager
    async def turn(self, familiar: bool) -> AsyncIterator[None]:
        """Around one password check that may hash: waits for the turn."""
        loop = self._bind()
        if self._taken or self._resting is not None or self._waiting:
            given: asyncio.Future[None] = loop.create_future()
            heapq.heappush(self._waiting, (0 if familiar else 1, next(self._arrivals), given))
            try:
                await given
            except asyncio.CancelledError:
                if given.done() and not given.cancelled():
                    self._release(0.0)  # given the turn, then cancelled: the next one's
                raise
        else:
            self._taken = True
        started = self._clock()
        try:
            yield
        finally:
            took = self._clock() - started
            waiting = sum(1 for *_, given in self._waiting if not given.done())
            others = self.rest > 0 and self.busy(1 + waiting)
            self._release(took * self.rest if others else 0.0)

    def _release(self, rest: float) -> None:
        self._taken = False
        if rest > 0 and self._loop is not None and not self._loop.is_closed():
            self._resting = self._loop.call_later(rest, self._next)
        else:
            self._next()

    def _next(self) -> None:
        self._resting = None
        while self._waiting:
            _, _, given = heapq.heappop(self._waiting)
            if not given.done():  # a cancelled waiter is skipped
                self._taken = True
                given.set_result(None)
                return
