"""What keeps costly callers from taking a worker's event loop away from the others
(issue 24). Per worker process, in memory: what a flood costs must stay near zero.

    KeyGate    wrong keys from all sources together (nginx's limit_req with one global
               zone): past `rate` a second, a key this worker has never verified is
               refused after `lockout_delay`, before any lookup, while the worker has
               other requests in hand; a key it has verified before is looked up as
               always. Each source's own throttle (core/access/throttle.py) still counts;
               this is for floods from sources too many to count one by one (random
               X-Forwarded-For values through a trusted proxy).
    Pace       a caller (a key, or a login) refused more than BURST times in a second
               waits `lockout_delay` for each further refusal while the worker has other
               requests in hand: the refusal is as cheap as it can be made, the wait
               costs nothing, and it keeps the caller's next request away meanwhile.
    BulkLane   big answers (REST lists): their objects read in a thread, then encoded on
               the event loop SLICE seconds at a time, one answer's turn at a time; while
               the worker has other requests in hand, after each turn the lane rests
               REST_FACTOR times as long as the turn took, so that big answers together
               take at most a tenth of the worker's time from the requests waiting (the
               thread holds the GIL for its Python parts: its CPU time counts as the
               loop's; its wait for the GIL or the store does not).
    ListSizes  how many objects each list (route and query) last answered: one seen with
               at most SMALL_LIST is made on the event loop at once, where the thread hop
               and the lane would cost more than the list (docs/performance.md); one
               bigger, or never seen, goes to the lane.

"Other requests in hand" is httpguard's count of the worker's requests begun and not
answered (for the lane, also those begun since its last turn). Without it (the faces
called in process) nothing waits or rests.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

from panelkey import httpguard
from panelkey.core.access.auth import Authenticator
from panelkey.core.identity import Reason, Refused, Verdict, Verified

BURST = 10  # refusals of one caller in a second answered at once
REST_FACTOR = 9  # the lane rests this many times its turn: a tenth of the loop
SLICE = 0.002  # seconds of a big answer's encoding on the event loop in one turn, about
_TAKEN_POLL = 0.005  # seconds between two looks at a lane a thread holds
_REMEMBERED = 100_000  # digests of verified keys, callers paced; past it, start again
_FLOODED = Refused(Reason.LOCKED_OUT)
SMALL_LIST = 100  # objects a list may have answered last time to be made on the loop

T = TypeVar("T")


def authenticated(scope: dict[str, Any]) -> None:
    """The request of `scope` authenticated: its TCP peer may use the worker's reserve of
    connections (httpguard.py)."""
    client = scope.get("client")
    if client:
        httpguard.authenticated(str(client[0]))


def busy(own: int = 1) -> bool:
    """Whether the worker has requests in hand besides `own` (the one asking)."""
    return httpguard.in_hand() > own


class KeyGate:
    """See the module. `rate` 0: off."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._tokens = rate  # wrong keys that may still be looked up, refilled at `rate`/s
        self._at = clock()
        self._known: set[bytes] = set()  # SHA-256 of keys verified here
        self._lock = threading.Lock()

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(self.rate, self._tokens + (now - self._at) * self.rate)
        self._at = now
        return self._tokens

    def admits(self, value: str) -> bool:
        """Whether the full check may run for this key now."""
        if self.rate <= 0 or self._refill() >= 1 or not busy():
            return True
        return hashlib.sha256(value.encode()).digest() in self._known

    async def check(
        self, value: str, verdict: Callable[[], Awaitable[Verdict]]
    ) -> tuple[Verdict, bool]:
        """`verdict()` (the full check) when the gate admits the key, counting what it
        found: (the verdict, True); else (a refusal, False) with nothing looked up."""
        if not self.admits(value):
            return _FLOODED, False
        found = await verdict()
        if isinstance(found, Verified):
            digest = hashlib.sha256(value.encode()).digest()
            with self._lock:
                if len(self._known) >= _REMEMBERED:
                    self._known = set()
                self._known.add(digest)
        elif found.reason is Reason.UNKNOWN_KEY and self.rate > 0:
            with self._lock:
                self._refill()
                self._tokens -= 1
        return found, True


class Pace:
    """Refusals per caller in the current second (see the module)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._second = 0
        self._counts: dict[str, int] = {}

    def refused(self, caller: str) -> bool:
        """Count a refusal of `caller`; whether it is past BURST this second."""
        second = int(self._clock())
        if second != self._second or len(self._counts) >= _REMEMBERED:
            self._second, self._counts = second, {}
        count = self._counts[caller] = self._counts.get(caller, 0) + 1
        return count > BURST

    async def refusal(self, caller: str, delay: float) -> None:
        """Count a refusal; wait `delay` when it is past BURST while others wait."""
        if self.refused(caller) and delay > 0 and busy():
            await asyncio.sleep(delay)


class BulkLane:
    """Big answers, a turn at a time (see the module)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._free_at = 0.0  # the lane rests until then (the clock's time)
        self._members = 0  # big answers being made
        self._joined = 0  # big answers begun since the last turn
        self._begun = httpguard.begun()  # the worker's requests begun, at the last turn

    async def _enter(self) -> None:
        await asyncio.sleep(0)  # the others' turn between two slices, resting or not
        # No await between the last look and the turn: one answer's turn at a time.
        while (wait := self._free_at - self._clock()) > 0:
            await asyncio.sleep(min(wait, _TAKEN_POLL))  # taken by a thread: no end known

    def _leave(self, took: float) -> None:
        """The turn is over; it took the loop `took` seconds."""
        now = self._clock()
        # Big answers rest for the others' sake, not for each other's: when requests
        # other than big answers began since the last turn, or are in hand now.
        begun = httpguard.begun()
        others = begun - self._begun - self._joined > 0 or busy(self._members)
        self._begun, self._joined = begun, 0
        self._free_at = now + took * REST_FACTOR if others else now

    @contextlib.asynccontextmanager
    async def member(self) -> AsyncIterator[BulkLane]:
        """Around one big answer, from its first turn to its last."""
        self._members += 1
        self._joined += 1
        try:
            yield self
        finally:
            self._members -= 1

    async def encode(self, items: Iterable[T], add: Callable[[T], None]) -> None:
        """`add(item)` for each item, on the event loop, SLICE seconds of them at a time
        (each slice a turn of the lane)."""
        it = iter(items)
        more = True
        while more:
            await self._enter()
            started = self._clock()
            deadline = started + SLICE
            try:
                for n, item in enumerate(it, 1):
                    add(item)
                    if n % 16 == 0 and self._clock() >= deadline:
                        break
                else:
                    more = False
            finally:
                self._leave(self._clock() - started)

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` in a thread, when the lane is free; the lane is taken meanwhile.
        The rest after it is of the thread's CPU time, not of the time it took: a thread
        that waited for the GIL behind a busy loop (or for the store) took nothing from
        the loop meanwhile, and resting nine times that wait starved big answers for
        seconds under load."""
        await self._enter()
        self._free_at = float("inf")  # taken while the thread runs
        spent = [0.0]

        def timed() -> T:
            began = time.thread_time()
            try:
                return work()
            finally:
                spent[0] = time.thread_time() - began

        try:
            return await asyncio.to_thread(timed)
        finally:
            self._leave(spent[0])


class ListSizes:
    """See the module. Counted by objects, not by time: what a list costs on a loaded
    machine must not decide where it is made next."""

    def __init__(self) -> None:
        self._small: set[str] = set()  # lists (route and query) last seen small

    def small(self, which: str) -> bool:
        """Whether `which` was small the last time it was answered here."""
        return which in self._small

    def answered(self, which: str, objects: int) -> None:
        if objects > SMALL_LIST:
            self._small.discard(which)
            return
        if len(self._small) >= _REMEMBERED:  # queries are the caller's to vary: bounded
            self._small = set()
        self._small.add(which)


class Pressure:
    """The gate, the pace, the lane and the list sizes of one worker's core."""

    def __init__(self, auth: Authenticator) -> None:
        # As many a second as one source may get wrong in a key throttle's window
        # ([panelkey] keyThrottleFailures): 50 by default.
        self.gate = KeyGate(float(auth.throttle.keys.limits.failures))
        self.pace = Pace()
        self.lane = BulkLane()
        self.lists = ListSizes()


_PRESSURES: weakref.WeakKeyDictionary[Authenticator, Pressure] = weakref.WeakKeyDictionary()
_MADE = threading.Lock()


def pressure_of(auth: Authenticator) -> Pressure:
    """The one Pressure of this core in this process (made with the throttle in force)."""
    found = _PRESSURES.get(auth)
    if found is None or found.gate.rate != auth.throttle.keys.limits.failures:
        with _MADE:
            found = _PRESSURES[auth] = Pressure(auth)
    return found


async def key_verdict(auth: Authenticator, value: str, address: str, face: str) -> Verdict:
    """The faces' key check after a cache miss (Authenticator.key_verdict) behind the
    gate: a key refused there is audited and answered after `lockout_delay`."""
    gate = pressure_of(auth).gate
    verdict, checked = await gate.check(value, lambda: auth.key_verdict(value, address, face))
    if checked:
        return verdict
    if auth.lockout_delay > 0:
        await asyncio.sleep(auth.lockout_delay)
    detail = f"wrong keys from many sources: more than {gate.rate:.0f} a second"
    await auth.refusal(_FLOODED, face=face, address=address, detail=detail)
    return verdict
