"""`--workers N`: the parent forks the workers and keeps N of them alive.

- A worker that dies (killed, or failed) is logged with how it ended and replaced; one
  that keeps dying at once (more than `BURST` deaths in `BURST_SECONDS`) stops the whole
  server with exit code 1 rather than loop for ever.
- A worker ends when its parent dies: on Linux the kernel sends it SIGTERM
  (prctl PR_SET_PDEATHSIG); elsewhere a thread notices the parent is gone. Either way it
  drains as on a SIGTERM and frees the listening sockets, so a restart can bind them.
- SIGTERM or SIGINT to the parent is passed on to every worker, which drain and exit;
  the parent returns once all have (0 when all ended cleanly). The parent closes its own
  copies of the listening sockets at once: a socket stays listening while any process
  holds it, and new connections would wait in its queue, unanswered, until the last
  worker had gone. A worker still alive `kill_after` seconds later is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger("panelkey.server")

PR_SET_PDEATHSIG = 1
BURST = 5
BURST_SECONDS = 10.0
_STOPS = {signal.SIGTERM, signal.SIGINT}


def _end_with_parent(parent: int) -> None:
    """In a new worker: have SIGTERM sent to it when `parent` dies."""
    done = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            done = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    if not done:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took hold
        os.kill(os.getpid(), signal.SIGTERM)


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def supervise(
    count: int,
    work: Callable[[], None],
    *,
    stopped_early: Callable[[], bool] = lambda: False,
    listeners: Sequence[socket.socket] = (),
    kill_after: float | None = None,
) -> int:
    """Run `work` in `count` forked workers until SIGTERM/SIGINT; `stopped_early` tells
    whether one came before the parent's own handlers were in place; `listeners` are
    closed in the parent when the workers are told to stop, and workers still alive
    `kill_after` seconds later are killed. See the module."""
    parent = os.getpid()
    # What a new worker starts with, not the parent's own handlers below.
    inherited = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    children: dict[int, int] = {}  # pid -> worker number
    stopping = [False]
    deaths: list[float] = []

    def start(number: int) -> None:
        # Signals wait while the new worker swaps the parent's handlers for its own, so
        # that a SIGTERM in between is neither lost nor taken for the parent's.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGTERM, inherited[0])
                signal.signal(signal.SIGINT, inherited[1])
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
                _end_with_parent(parent)
                work()
            except BaseException:  # noqa: BLE001 - a worker reports and exits, never returns
                log.exception("worker %d failed", number)
                code = 1
            os._exit(code)
        children[pid] = number
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)

    def stop(signum: int, _frame: Any) -> None:
        if stopping[0]:
            return
        stopping[0] = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for sock in listeners:
            sock.close()
        if kill_after is not None:
            timer = threading.Timer(kill_after, kill_rest)
            timer.daemon = True
            timer.start()

    def kill_rest() -> None:
        for pid, number in list(children.items()):
            log.error("worker %d (pid %d) still running after the grace: killed", number, pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    for number in range(1, count + 1):
        start(number)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if stopped_early():
        stop(signal.SIGTERM, None)
    status = 0
    while children:
        try:
            pid, raw = os.wait()
        except ChildProcessError:
            break
        number = children.pop(pid, 0)
        code = os.waitstatus_to_exitcode(raw)
        if stopping[0]:
            status = status or (code if code > 0 else 0)
            continue
        now = time.monotonic()
        deaths[:] = [t for t in deaths if now - t < BURST_SECONDS] + [now]
        if len(deaths) > BURST:
            log.error(
                "worker %d (pid %d) %s; workers keep dying, stopping the server",
                number,
                pid,
                _ended(raw),
            )
            stop(signal.SIGTERM, None)
            status = 1
            continue
        log.error("worker %d (pid %d) %s; starting a new one", number, pid, _ended(raw))
        start(number)
        log.warning("worker %d replaced: pid %d", number, _pid_of(children, number))
    return status


def _pid_of(children: dict[int, int], number: int) -> int:
    return next((pid for pid, n in children.items() if n == number), 0)
