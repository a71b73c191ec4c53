"""SIGTERM and SIGINT (issue 24): stop accepting at once, let requests in flight finish
within the grace, answer only what was done, exit.

- A signal is taken by each worker's event loop, which tells all its servers to stop
  (`GracefulServer`, one per listener); one that comes before the loop runs is noted
  (`catch_early`) and acted on when it does.
- The listeners close at once: a new connection is refused, not queued.
- Idle connections are closed. An idle HTTPS one is done once its last bytes and its TLS
  close_notify are acknowledged by the peer: the peer's own close_notify is not waited
  for (a pooled client reads nothing until its next request, and uvloop would wait 30 s).
- Requests in flight have `shutdown_grace` seconds. Then one still waiting on its client
  (its body, half its head) is dropped unanswered: none of it ran. One being handled, in a
  thread that cannot be stopped, is let finish and answered for FINISH_MARGIN more
  seconds, then dropped unanswered too, which tells its client no lie. uvicorn's own
  shutdown would answer 500 though its writes may have committed.
- Whatever still runs after that (a stuck thread, a flush) does not hold the exit: the
  worker ends EXIT_MARGIN seconds later regardless (`exit_by`), and the supervisor kills
  a worker still there after `kill_after` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Iterator
from typing import Any, NoReturn

import uvicorn

from panelkey.httpguard import GuardedHttp

log = logging.getLogger("panelkey.server")

FINISH_MARGIN = 10.0
EXIT_MARGIN = 2.0
POLL = 0.05  # how often the shutdown looks at its connections again
_early: list[int] = []  # signals that came before a worker's loop could take them


def _note(signum: int, _frame: Any) -> None:
    _early.append(signum)


def catch_early() -> None:
    """Note SIGTERM and SIGINT until an event loop takes them (`stopped_early`)."""
    signal.signal(signal.SIGTERM, _note)
    signal.signal(signal.SIGINT, _note)


def stopped_early() -> bool:
    return bool(_early)


def kill_after(grace: float) -> float:
    """Seconds after SIGTERM past which a worker is killed: its own exit comes first."""
    return grace + FINISH_MARGIN + 2 * EXIT_MARGIN


class GracefulServer(uvicorn.Server):
    """uvicorn's server without its own signal handling (one worker runs one per listener
    and stops all of them on one signal; see `panelkey.server`), which starts its shutdown
    as soon as it is told to, and shuts down as the module says."""

    def __init__(self, config: uvicorn.Config, grace: float = 0.0) -> None:
        self._exit = asyncio.Event()
        super().__init__(config)
        self.grace = grace

    # uvicorn polls `should_exit` every tenth of a second; here setting it wakes the loop.
    @property
    def should_exit(self) -> bool:
        return self._exit.is_set()

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        if value:
            self._exit.set()
        else:
            self._exit.clear()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):  # uvicorn's per-second work (Date header)
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):
                    await self._exit.wait()

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        state = self.server_state
        for connection in list(state.connections):
            connection.shutdown()
        if await _drained(state, self.grace):
            return
        waiting = [c for c in state.connections if not _handling(c)]
        if waiting:
            log.warning(
                "%d connection(s) still waiting on their client %g s after SIGTERM: dropped",
                len(waiting),
                self.grace,
            )
        for connection in waiting:
            _drop(connection)
        if await _drained(state, FINISH_MARGIN):
            return
        log.error(
            "%d request(s) still running %g s after SIGTERM: dropped unanswered, their "
            "outcome unknown to their clients",
            len(state.connections),
            self.grace + FINISH_MARGIN,
        )
        for connection in list(state.connections):
            _drop(connection)


async def _drained(state: Any, seconds: float) -> bool:
    """Whether every request of `state` ended within `seconds`, and every connection but
    those that only wait for a TLS farewell (these are then closed at once)."""
    try:
        async with asyncio.timeout(seconds):
            while state.tasks or not all(_farewell_only(c) for c in state.connections):
                await asyncio.sleep(POLL)
    except TimeoutError:
        return False
    for connection in list(state.connections):
        _drop(connection)
    return True


def _farewell_only(connection: Any) -> bool:
    """Whether all that keeps `connection` open is the peer's TLS close_notify: its
    transport is closing, no request of it is being handled, and every byte written to
    it, the server's close_notify included, has left the server and been acknowledged
    by the peer (Linux's count of a socket's unacknowledged bytes; elsewhere, never)."""
    transport = getattr(connection, "transport", None)
    if transport is None or not transport.is_closing() or _handling(connection):
        return False
    if transport.get_write_buffer_size() or not sys.platform.startswith("linux"):
        return False
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    try:
        unacknowledged = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (OSError, ValueError):
        return False
    return bool(struct.unpack("i", unacknowledged)[0] == 0)


def _handling(connection: Any) -> bool:
    return isinstance(connection, GuardedHttp) and connection.handling()


def _drop(connection: Any) -> None:
    if isinstance(connection, GuardedHttp):
        connection.abort()
    else:  # the metrics listener: nothing there writes
        connection.shutdown()


def exit_by(seconds: float) -> None:
    """Have this process exit within `seconds` whatever still runs (a request's thread
    stuck in the store, a flush): the shutdown's grace is its only wait."""
    since = time.monotonic()

    def force() -> None:
        log.error(
            "still running %.0f s after SIGTERM: exiting without the rest",
            time.monotonic() - since,
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(1)

    timer = threading.Timer(seconds, force)
    timer.daemon = True
    timer.start()


def exit_now(code: int) -> NoReturn:
    """End the process once the server has closed everything it holds: its output
    flushed, without the interpreter's teardown of its objects (a quarter of a second
    and more, of every stop, that writes nothing)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
