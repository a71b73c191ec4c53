"""Group commit on SQLite: write requests queued behind each other on the write lane share
one transaction and one commit, so one ``fsync`` (issue 26).

With ``synchronous=FULL`` every commit waits for the disk, and on SQLite a process's
writes take turns anyway (database.py): a write's commit was most of its time, and the
thread hand-overs around each wait cost the server about as much CPU as the write
itself (bench/findings/writes.md). When several write calls are queued, the lane's
steady thread runs them in one `WriteGroup`:

- The group's transaction opens at the first write of any of its calls (``BEGIN
  IMMEDIATE`` on the kept writer, the process's write slot taken). Each ``begin()`` or
  ``atomic()`` block of a call is a ``SAVEPOINT`` in it: a block that raises rolls back
  its own writes only, as its own transaction did.
- Reads of a call while the transaction is open go through it: a call sees what the
  calls before it wrote, as it would have once they had committed.
- A call's answer leaves only after a commit covering it (its own writes, or what it
  read from the calls before it). A failed commit answers every call it covered with
  the failure.
- What must see committed data does: a transaction begun on another connection from
  inside a call (``engine.begin()``) first commits the group. The caches that a
  change-feed kind drops are dropped again after the commit (`Database.after_changes`):
  a request in between may have cached what it read before the commit.
- A call slow outside the store (a password's hash) must not hold the others' answers
  nor the SQLite lock: a flusher thread commits a transaction open longer than `slow`
  while its owner is not using it, and answers the calls it covered.

PostgreSQL groups its commits' flushes itself; its writes do not come here.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from panelkey.store.database import Database

Settle = Callable[[Any, "BaseException | None"], None]


class WriteGroup:
    """The calls one lane thread runs together; made by `Database.group()`."""

    def __init__(self, db: Database, slow: float) -> None:
        self._db = db
        self.thread = threading.get_ident()
        self.slow = slow
        # Held by whoever touches the connection: the owner (reentrant) or the flusher.
        self.using = threading.RLock()
        self.conn: sa.Connection | None = None  # while the transaction is open
        self._transaction: sa.RootTransaction | None = None
        self.opened_at = 0.0
        self.depth = 0  # savepoints open
        self._touched = False  # the running call met the open transaction
        self._lost: BaseException | None = None  # the running call's writes went with it
        self._waiting: list[Callable[[BaseException | None], None]] = []
        self._kinds: set[str] = set()

    # -- run by the lane --------------------------------------------------------------

    def run(self, context: Any, fn: Callable[[], Any], settle: Settle) -> None:
        """Run one call; `settle(result, error)` once a commit covers it (at once when it
        met no open transaction)."""
        self._touched = False  # reads and writes through the open transaction set it
        self._lost = None
        try:
            result, error = context.run(self._in_group, fn), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            result, error = None, exc
        with self.using:
            if self._lost is not None:  # whatever it answers, its earlier writes are gone
                settle(None, self._lost)
            elif not self._touched:
                settle(result, error)
            else:
                self._waiting.append(
                    lambda failed: settle(None, failed) if failed else settle(result, error)
                )

    def _in_group(self, fn: Callable[[], Any]) -> Any:
        self._db._group.set(self)  # noqa: SLF001 - the store's own; this call's context only
        return fn()

    def end(self) -> None:
        """Commit what is open and answer every call waiting for it."""
        with self.using:
            self._commit()

    # -- used by Database -------------------------------------------------------------

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[sa.Connection]:
        """A `begin()` block of a call: a savepoint in the group's transaction (opened
        here if it is not); rolled back alone if the block raises."""
        with self.using:
            fresh = self.conn is None
            conn = self._open() if fresh else self.conn
            assert conn is not None
            self._touched = True
            driver = conn.connection.driver_connection
            assert driver is not None
            # A block that opened the transaction needs no savepoint: undoing it is
            # undoing the transaction.
            name = f"panelkey_w{self.depth}"
            if not fresh:
                _run(driver, f"SAVEPOINT {name}")
            self.depth += 1
            try:
                yield conn
            except BaseException as exc:
                self.depth -= 1
                self._undo(driver, None if fresh else name, exc)
                raise
            self.depth -= 1
            if not fresh:
                _run(driver, f"RELEASE {name}")

    @contextlib.contextmanager
    def joined(self) -> Iterator[sa.Connection | None]:
        """The open transaction's connection for a read of a call (None: none is open;
        read committed data as usual)."""
        with self.using:
            if self.conn is not None:
                self._touched = True
            yield self.conn

    def changed(self, kind: str) -> None:
        self._kinds.add(kind)

    def flush(self) -> None:
        """Commit now (a transaction is about to begin on another connection of this
        thread): it must see what the group wrote. Not inside a savepoint."""
        with self.using:
            if self.depth == 0:
                self._commit()

    def flush_idle(self) -> bool:
        """The flusher's: commit if the owner is not using the connection; False when it
        was (try again later)."""
        if not self.using.acquire(blocking=False):
            return False
        try:
            if self.depth:
                return False
            self._commit()
            return True
        finally:
            self.using.release()

    # -- inside -----------------------------------------------------------------------

    def _open(self) -> sa.Connection:
        db = self._db
        conn, transaction = db._open_kept()  # noqa: SLF001 - the store's own
        self.conn, self._transaction = conn, transaction
        self.opened_at = time.monotonic()
        db._flusher().watch(self)  # noqa: SLF001
        return conn

    def _commit(self) -> None:
        transaction, self._transaction, self.conn = self._transaction, None, None
        failed: BaseException | None = None
        if transaction is not None:
            try:
                transaction.commit()
            except BaseException as exc:  # noqa: BLE001 - every call it covered answers it
                failed = exc
                with contextlib.suppress(Exception):
                    transaction.rollback()
                self._db._drop_kept()  # noqa: SLF001
            finally:
                self._db._leave_slot()  # noqa: SLF001
        self._answer(failed)

    def _undo(self, driver: Any, name: str | None, exc: BaseException) -> None:
        """Roll back a block that raised: to its savepoint, or the whole transaction when
        it opened it (or when SQLite has already rolled the transaction back)."""
        if name is not None:
            try:
                _run(driver, f"ROLLBACK TO {name}")
                _run(driver, f"RELEASE {name}")
                return
            except sa.exc.DBAPIError:
                pass  # the transaction is gone (an I/O error, a full disk...)
        transaction, self._transaction, self.conn = self._transaction, None, None
        self._kinds.clear()
        try:
            if transaction is not None:
                with contextlib.suppress(Exception):
                    transaction.rollback()
        finally:
            self._db._leave_slot()  # noqa: SLF001
        # Calls before it lost their writes with the transaction: they answer the failure,
        # and so does this one, even if it goes on.
        if name is not None:
            self._lost = exc
        self._answer(exc if name is not None else None)

    def _answer(self, failed: BaseException | None) -> None:
        waiting, self._waiting = self._waiting, []
        kinds, self._kinds = self._kinds, set()
        if kinds and failed is None:
            self._db.after_changes(kinds)
        for settle in waiting:
            settle(failed)


def _run(driver: Any, sql: str) -> None:
    try:
        driver.execute(sql)
    except sqlite3.Error as exc:  # raised as SQLAlchemy would have (OperationalError...)
        raise sa.exc.DBAPIError.instance(sql, (), exc, sqlite3.Error) from exc


class Flusher:
    """One thread per store and process: commits a group's transaction left open longer
    than the group's `slow` (its owner busy outside the store)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._watched: WriteGroup | None = None
        self._waiting = False  # the thread waits with nothing watched
        self._closed = False
        self.pid = os.getpid()
        threading.Thread(target=self._serve, name="panelkey-flush", daemon=True).start()

    def watch(self, group: WriteGroup) -> None:
        with self._cond:
            self._watched = group
            if self._waiting:
                self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _serve(self) -> None:
        cond = self._cond
        while True:
            with cond:
                if self._closed:
                    return
                group = self._watched
                if group is None or group.conn is None:
                    self._watched = None
                    self._waiting = True
                    cond.wait()
                    self._waiting = False
                    continue
                left = group.opened_at + group.slow - time.monotonic()
                if left > 0:
                    cond.wait(left)
                    continue
                self._watched = None
            if not group.flush_idle():
                with cond:  # busy: look again in a while
                    if self._watched is None:
                        self._watched = group
                        group.opened_at = time.monotonic()
