"""Store outages: a store that cannot answer (PostgreSQL restarting or refusing us, a full
or read-only disk, a lock never released) told apart from a bug, answered in Plesk's
shapes, and logged once per outage.

    is_store_failure(exc)  the store, not our code, failed (see _SQLSTATE_CLASSES)
    outage_of(db).failed(exc)  count a request refused for it: the first logs
                           "store unavailable: <reason>"; gives the StoreUnavailable to
                           answer (XML 1023 in a packet, REST 503 with Retry-After)
    outage_of(db).ok()     a request used the store: the first after an outage logs
                           "store back after N s, M requests refused"

Nothing here retries or waits: each request tries the store afresh (the engine's pool
pings and reconnects), so the server recovers by itself as soon as the store does.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable

import sqlalchemy as sa

from panelkey.core.errors import PanelkeyError
from panelkey.store.database import Database

log = logging.getLogger("panelkey.store")

RETRY_AFTER = 5  # seconds a client is asked to wait: a PostgreSQL restart takes about 7

# SQLSTATE classes and codes that say "the store cannot serve now", not "this request is
# wrong": connection (08), resources such as a full disk (53), operator intervention
# such as a shutdown (57), system errors (58), a read-only transaction (25006), and a
# role whose rights were taken away (42501).
_SQLSTATE_CLASSES = ("08", "53", "57", "58")
_SQLSTATE_CODES = frozenset({"25006", "42501"})


class StoreUnavailable(
    PanelkeyError,
    code=1023,
    message="Operation failed: the panel's database is unavailable; try again in a few seconds",
):
    """The store could not be reached or written; nothing of the operation was kept."""

    retry_after = RETRY_AFTER


def is_store_failure(exc: BaseException) -> bool:
    """True when `exc` (or what it was raised from) is the store failing, not a bug: a
    lost or refused connection, a locked, full, read-only or unreadable file, a pool
    that gave no connection in time. A query the store cannot run (no such table, a
    constraint) is a bug or a conflict, and stays one."""
    current: BaseException | None = exc
    for _ in range(8):  # the chain of causes, not forever
        if current is None:
            return False
        if isinstance(current, StoreUnavailable | sa.exc.TimeoutError):
            return True
        if isinstance(current, sqlite3.Error):
            return _sqlite_failure(current)
        if type(current).__module__.startswith("psycopg"):
            return _psycopg_failure(current)
        if isinstance(current, sa.exc.DBAPIError) and current.orig is None:
            return isinstance(current, sa.exc.OperationalError | sa.exc.InterfaceError)
        nxt = getattr(current, "orig", None)
        current = (
            nxt if isinstance(nxt, BaseException) else current.__cause__ or current.__context__
        )
    return False


# SQLite's primary result codes that say the file cannot serve now (sqlite3.h).
_SQLITE_CODES = frozenset(
    {
        5,  # BUSY: a lock held past the busy timeout
        6,  # LOCKED
        8,  # READONLY
        10,  # IOERR
        11,  # CORRUPT
        13,  # FULL
        14,  # CANTOPEN
        15,  # PROTOCOL
        26,  # NOTADB
    }
)


def _sqlite_failure(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # a closed connection, say: the driver's, not the query's
        return isinstance(exc, sqlite3.OperationalError | sqlite3.InterfaceError)
    return code & 0xFF in _SQLITE_CODES


def _psycopg_failure(exc: BaseException) -> bool:
    import psycopg

    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return True
    state = getattr(exc, "sqlstate", None) or ""
    return state[:2] in _SQLSTATE_CLASSES or state in _SQLSTATE_CODES


def reason_of(exc: BaseException) -> str:
    """The driver's own words, on one line and short: what the operator needs."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split()) or type(orig).__name__
    return text[:300]


class Outage:
    """Whether one store is out, since when, and how many requests it cost. Thread-safe;
    `ok` costs one attribute read while the store is up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.refused = 0
        self.reason = ""

    def failed(self, exc: BaseException, *, request: bool = True) -> StoreUnavailable:
        """Count one request refused because the store failed (`exc`); the error to
        answer. Only the first of an outage is logged. A background write (`request`
        False) starts or joins the outage without counting as a refused request."""
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
                self.refused = 0
                self.reason = reason_of(exc)
            if request:
                self.refused += 1
        if first:
            log.error(
                "store unavailable: %s; requests are answered 1023 (XML) and 503 (REST) "
                "until it is back",
                self.reason,
            )
        return exc if isinstance(exc, StoreUnavailable) else StoreUnavailable()

    def ok(self) -> None:
        """A request used the store without failing: the end of an outage, if any."""
        if self.down_since is None:
            return
        with self._lock:
            since, refused = self.down_since, self.refused
            if since is None:
                return
            self.down_since = None
            self.refused = 0
        log.warning(
            "store back after %.1f s, %d requests refused", time.monotonic() - since, refused
        )

    @property
    def down(self) -> bool:
        return self.down_since is not None


def background(db: Database, work: Callable[[], object]) -> Callable[[], None]:
    """`work` (a flush the server runs every second or so) made safe to repeat: a store
    failure joins the store's outage (one log line for all), any other is logged with
    its traceback; neither ends the loop that calls it, which tries again next time."""

    def run() -> None:
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - the loop must outlive any one flush
            if is_store_failure(exc):
                outage_of(db).failed(exc, request=False)
            else:
                log.exception("background store write failed")

    return run


_OUTAGES: weakref.WeakKeyDictionary[Database, Outage] = weakref.WeakKeyDictionary()
_MADE = threading.Lock()


def outage_of(db: Database) -> Outage:
    """The one Outage of this store in this process."""
    found = _OUTAGES.get(db)
    if found is None:
        with _MADE:
            found = _OUTAGES.setdefault(db, Outage())
    return found
