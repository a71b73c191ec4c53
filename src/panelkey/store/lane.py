"""Writes off the event loop, on threads kept for them: the lane a write request takes.

A write waits for its commit (``fsync`` on SQLite, the WAL flush on PostgreSQL), so it
never runs on the event loop. ``asyncio.to_thread`` costs 70 to 100 µs of CPU a call
(the default executor's work item and concurrent Future, wrapped in an asyncio Future
with its locks and callbacks), as much as the statements of the write themselves
(bench/findings/writes.md). A lane is a queue and threads that only ever run the
lane's calls: a call is one ``put``, its answer one ``call_soon_threadsafe``, about
half of that.

On SQLite a process's writers take turns on one lock anyway (store/database.py), so
one thread does: a write never waits behind another for a thread, only for the lock.
On PostgreSQL writes run side by side (their commits' flushes are grouped by the
server), so the lane has as many threads as the pool has connections to give.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Call = tuple[
    asyncio.AbstractEventLoop, "asyncio.Future[Any]", contextvars.Context, Callable[[], Any]
]


class Lane:
    """`run(fn)` calls `fn` on one of `threads` threads kept for it, in the caller's
    context (its context variables as `asyncio.to_thread` passes them), and gives back
    its result or raises its exception. Threads start at the first call of each process
    (a worker forked from a parent that used the lane starts its own)."""

    def __init__(self, threads: int, name: str = "panelkey-write") -> None:
        if threads < 1:
            raise ValueError("a lane needs at least one thread")
        self._threads = threads
        self._name = name
        self._queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._pid = 0
        self._started = threading.Lock()

    async def run(self, fn: Callable[[], T]) -> T:
        if self._pid != os.getpid():
            self._start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((loop, future, contextvars.copy_context(), fn))
        return await future

    def _start(self) -> None:
        with self._started:
            if self._pid == os.getpid():
                return
            self._queue = queue.SimpleQueue()  # a forked child's copy may hold the parent's
            for i in range(self._threads):
                name = f"{self._name}-{i}"
                threading.Thread(
                    target=self._serve, args=(self._queue,), name=name, daemon=True
                ).start()
            self._pid = os.getpid()

    @staticmethod
    def _serve(calls: queue.SimpleQueue[_Call | None]) -> None:
        while True:
            call = calls.get()
            if call is None:
                return
            loop, future, context, fn = call
            try:
                result, error = context.run(fn), None
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                result, error = None, exc
            # A loop closed meanwhile raises RuntimeError: nobody awaits the answer.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, error)

    def close(self) -> None:
        """Let this process's threads end once the calls queued before are done."""
        if self._pid == os.getpid():
            for _ in range(self._threads):
                self._queue.put(None)
            self._pid = 0


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():  # the request went away; its write stands, committed or not
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
