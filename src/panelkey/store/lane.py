"""Writes off the event loop, on threads kept for them: the lane a write request takes.

A write waits for its commit (``fsync`` on SQLite, the WAL flush on PostgreSQL), so it
never runs on the event loop. ``asyncio.to_thread`` costs 70 to 100 µs of CPU a call
(the default executor's work item and concurrent Future, wrapped in an asyncio Future
with its locks and callbacks), as much as the statements of the write themselves
(bench/findings/writes.md). A lane is a queue and threads that only ever run the
lane's calls: a call is one ``put``, its answer one ``call_soon_threadsafe``, about
half of that.

On SQLite a process's writers take turns on one lock anyway (store/database.py), so one
thread serves, with spares for a write that waits long outside the lock (a password's
hash): several threads taking turns on the lock cost each write a quarter more CPU
(GIL and lock hand-overs, bench/findings/writes.md). On PostgreSQL writes run side by
side (their commits' flushes grouped by the server): four threads at all times, and
spares as on SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from panelkey.store.group import WriteGroup

T = TypeVar("T")
log = logging.getLogger("panelkey.store")

_Call = tuple[
    asyncio.AbstractEventLoop, "asyncio.Future[Any]", contextvars.Context, Callable[[], Any]
]


class Lane:
    """`run(fn)` calls `fn` on a thread kept for it, in the caller's context (its context
    variables, as `asyncio.to_thread` passes them), and gives back its result or raises
    its exception.

    `threads` threads serve the lane at all times. When a call comes while every one of
    them has been on its call for more than `slow` seconds (a write waiting for a
    password's hash, or for another process's lock), a spare thread starts, up to
    `spares`, and ends once idle for a second: a slow write does not hold the others,
    and writes that follow each other quickly keep to the steady threads (threads that
    take turns cost each write a GIL and lock hand-over). Threads start at the first
    call of each process (a worker forked from a parent that used the lane starts its
    own).

    With `group` (SQLite's store, group.py), a steady thread that finds calls queued
    behind the one it takes runs them together, in one write group: one commit for all,
    each answered once a commit covers it. A group ends when no call is queued, after
    `_GROUP_MOST` calls, or once it has run for `slow` seconds; spares run calls alone."""

    def __init__(
        self,
        threads: int,
        spares: int = 0,
        slow: float = 0.01,
        name: str = "panelkey-write",
        group: Callable[[], AbstractContextManager[WriteGroup]] | None = None,
    ) -> None:
        if threads < 1:
            raise ValueError("a lane needs at least one thread")
        self._threads = threads
        self._spares = spares
        self._slow = slow
        self._name = name
        self._group = group
        self._queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._pid = 0
        self._lock = threading.Lock()
        self._spare_count = 0
        self._idle = 0  # threads waiting for a call
        self._busy: dict[int, float] = {}  # thread id -> when its call began

    async def run(self, fn: Callable[[], T]) -> T:
        if self._pid != os.getpid():
            self._start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((loop, future, contextvars.copy_context(), fn))
        if self._idle == 0 and self._spare_count < self._spares:
            self._maybe_spare()
        return await future

    def _maybe_spare(self) -> None:
        busy = list(self._busy.values())
        if busy and time.monotonic() - max(busy) > self._slow:
            with self._lock:
                if self._spare_count >= self._spares:
                    return
                self._spare_count += 1
            self._thread(f"spare-{self._spare_count}", _SPARE_IDLE)

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._queue = queue.SimpleQueue()  # a forked child's copy may hold the parent's
            self._busy, self._idle, self._spare_count = {}, 0, 0
            for i in range(self._threads):
                self._thread(str(i), None)
            self._pid = os.getpid()

    def _thread(self, suffix: str, idle_for: float | None) -> None:
        threading.Thread(
            target=self._serve,
            args=(self._queue, idle_for),
            name=f"{self._name}-{suffix}",
            daemon=True,
        ).start()

    def _serve(self, calls: queue.SimpleQueue[_Call | None], idle_for: float | None) -> None:
        me = threading.get_ident()
        while True:
            with self._lock:
                self._idle += 1
            try:
                call = calls.get(timeout=idle_for)
            except queue.Empty:  # a spare, idle long enough
                call = None
            finally:
                with self._lock:
                    self._idle -= 1
            if call is None:
                if idle_for is not None:
                    with self._lock:
                        self._spare_count -= 1
                return
            if self._group is not None and idle_for is None and not calls.empty():
                held: list[_Call] = []
                try:
                    self._grouped(call, calls, me, held)
                except BaseException as exc:  # a bug of the group's own: the lane goes on
                    log.exception("a write group failed")
                    for loop, future, _, _ in held:  # and no call it held waits forever
                        with contextlib.suppress(RuntimeError):
                            loop.call_soon_threadsafe(_fail, future, exc)
                continue
            loop, future, context, fn = call
            self._busy[me] = time.monotonic()
            try:
                result, error = context.run(fn), None
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                result, error = None, exc
            finally:
                self._busy.pop(me, None)
            # A loop closed meanwhile raises RuntimeError: nobody awaits the answer.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, error)

    def _grouped(
        self, call: _Call, calls: queue.SimpleQueue[_Call | None], me: int, held: list[_Call]
    ) -> None:
        """`call` and those queued behind it, in one write group (each added to `held`)."""
        assert self._group is not None
        started = time.monotonic()
        count = 0
        with self._group() as group:
            while True:
                held.append(call)
                loop, future, context, fn = call
                self._busy[me] = time.monotonic()
                try:
                    group.run(context, fn, _settler(loop, future))
                finally:
                    self._busy.pop(me, None)
                count += 1
                if count >= _GROUP_MOST or time.monotonic() - started > self._slow:
                    return
                try:
                    following = calls.get_nowait()
                except queue.Empty:
                    return
                if following is None:  # close(): for the loop of _serve to see
                    calls.put(None)
                    return
                call = following

    def close(self) -> None:
        """Let this process's threads end once the calls queued before are done."""
        if self._pid == os.getpid():
            for _ in range(self._threads + self._spares):
                self._queue.put(None)
            self._pid = 0


_SPARE_IDLE = 1.0  # seconds a spare thread waits for a call before it ends
_GROUP_MOST = 32  # calls in one write group at most


def _settler(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any]
) -> Callable[[Any, BaseException | None], None]:
    def settle(result: Any, error: BaseException | None) -> None:
        # A loop closed meanwhile raises RuntimeError: nobody awaits the answer.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle, future, result, error)

    return settle


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    """A held call's answer when its group failed: unless a commit answered it already."""
    if not future.done():
        future.set_exception(error)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():  # the request went away; its write stands, committed or not
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
