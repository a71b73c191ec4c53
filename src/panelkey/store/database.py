"""Opening the store: engines for SQLite and PostgreSQL, migrations under a lock, the
write path (the kept SQLite writer, write groups: group.py), and the change feed that
tells every process when to drop what it caches (changes.py)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.changes import CHANNEL, PostgresChangeWatcher, SqliteChangeWatcher
from panelkey.store.changes import ChangeWatcher as ChangeWatcher  # where auth.py finds it
from panelkey.store.group import Flusher, WriteGroup
from panelkey.store.lane import Lane
from panelkey.store.prepared import Prepared, Readers

_MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (a test holds them equal).
HEAD_REVISION = "0021"
_PG_MIGRATION_LOCK = 0x70616E656C  # "panel": one advisory lock id for every panelkey
_BUSY_TIMEOUT_S = 30  # how long a SQLite writer waits for the lock before failing
# A write group's transaction left open this long by a call busy outside the store is
# committed by the flusher; the lane also ends a group after a call this slow.
_GROUP_SLOW_S = 0.01


log = logging.getLogger("panelkey.store")


@contextmanager
def _alembic_quiet() -> Iterator[None]:
    """Alembic's INFO lines (its context, each revision run) silenced unless the process
    logs at debug."""
    logger = logging.getLogger("alembic")
    if logger.isEnabledFor(logging.DEBUG):
        yield
        return
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3; anything else is passed on."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Database:
    """One store: an engine, its dialect's quirks, and its change feed."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self._ambient: ContextVar[sa.Connection | None] = ContextVar(
            f"panelkey_ambient_{id(self)}", default=None
        )
        parsed = sa.engine.make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_path: Path | None = None
        if self.is_sqlite:
            if not parsed.database or parsed.database == ":memory:":
                raise ValueError("SQLite needs a file: panelkey keeps its store on disk")
            self.sqlite_path = Path(parsed.database)
            _create_private_file(self.sqlite_path)
            self.engine = sa.create_engine(
                self.url, connect_args={"timeout": _BUSY_TIMEOUT_S, "check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            # pysqlite's own transaction handling is off; begin explicitly so that
            # writers take the lock up front and never deadlock on an upgrade.
            sa.event.listen(self.engine, "begin", self._sqlite_begin)
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True, pool_size=5)
        self.readers = Readers(self)
        # The process's write slot (SQLite): who holds it writes through the kept writer.
        # A plain lock, held by a thread id: a write group's may be given back by the
        # flusher thread (group.py). A write opened inside another on the same thread
        # meets SQLite's own lock (and its busy timeout), as it always did.
        self._slot = threading.Lock()
        self._slot_owner = 0
        self._kept: sa.Connection | None = None
        self._kept_pid = 0
        self._lock_pid = os.getpid()
        # The write group of the calling lane call, if any (group.py).
        self._group: ContextVar[WriteGroup | None] = ContextVar(
            f"panelkey_group_{id(self)}", default=None
        )
        self._flush: Flusher | None = None
        # Called with the change-feed kinds a write group committed (core/panel.py).
        self.change_hooks: list[Callable[[set[str]], None]] = []
        # Where write requests run (lane.py): SQLite's writers take turns on the slot
        # above, so one thread, and spares for a write slow outside it (a password's
        # hash); the calls queued behind each other share a commit. PostgreSQL's run side
        # by side (the server groups their flushes), four at all times.
        self.writes = Lane(1, spares=3, group=self.group) if self.is_sqlite else Lane(4, spares=4)

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """A transaction: committed when the block ends, rolled back if it raises.
        Inside `atomic()` it joins the ambient transaction instead."""
        ambient = self._ambient.get()
        if ambient is not None:
            yield ambient
            return
        with self._write() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A write transaction. On SQLite this process's writers take their turn on a slot
        first, and write through one connection kept for them (issue 26):

        - SQLite has one writer at a time, and a connection that finds the lock taken
          polls for it, sleeping 1 to 100 ms between tries: writers of one process left
          the lock idle most of the time. Queued here they follow each other at once;
          other processes still meet at SQLite's own lock (and its busy timeout).
        - A connection out of the pool and back cost a write about 45 µs (checkout,
          reset), more than its statements; the kept one is only begun and committed.
          It is made again after a fork or when SQLAlchemy has invalidated it.
        - Inside a write group (a lane call, group.py) the block is a savepoint of the
          group's transaction, committed with the calls around it.
        """
        if not self.is_sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        group = self._group.get()
        if group is not None and group.thread == threading.get_ident():
            with group.savepoint() as conn:
                yield conn
            return
        if self._slot_owner == threading.get_ident() or not self._take_slot():
            # A write opened inside another on this thread, or the slot not given within
            # the busy timeout: a connection of its own meets SQLite's lock, as always.
            with self.engine.begin() as conn:
                yield conn
            return
        try:
            conn, transaction = self._begin_kept()
            with transaction:
                yield conn
        finally:
            self._leave_slot()

    def _take_slot(self) -> bool:
        if self._lock_pid != os.getpid():
            # A forked worker's first write: the slot and the kept writer are the parent's.
            self._slot = threading.Lock()
            self._slot_owner = 0
            self._lock_pid = os.getpid()
        if not self._slot.acquire(timeout=_BUSY_TIMEOUT_S):
            return False
        self._slot_owner = threading.get_ident()
        return True

    def _leave_slot(self) -> None:
        self._slot_owner = 0
        self._slot.release()

    def _begin_kept(self) -> tuple[sa.Connection, sa.RootTransaction]:
        """The kept writer, in a transaction begun now (the slot held)."""
        kept = self._kept_writer()
        try:
            return kept, kept.begin()
        except BaseException:
            self._drop_kept()  # its state after a failed BEGIN is not worth trusting
            raise

    def _open_kept(self) -> tuple[sa.Connection, sa.RootTransaction]:
        """A write group's transaction: the slot taken (and held until its commit), the
        kept writer begun."""
        if not self._take_slot():
            raise sa.exc.OperationalError(
                "BEGIN IMMEDIATE", (), sqlite3.OperationalError("database is locked")
            )
        try:
            return self._begin_kept()
        except BaseException:
            self._leave_slot()
            raise

    @contextmanager
    def group(self) -> Iterator[WriteGroup]:
        """The write lane's (SQLite): the calls run in the block share a transaction,
        committed when it ends (group.py)."""
        group = WriteGroup(self, _GROUP_SLOW_S)
        try:
            yield group
        finally:
            group.end()

    def _flusher(self) -> Flusher:
        flush = self._flush
        if flush is None or flush.pid != os.getpid():
            flush = self._flush = Flusher()
        return flush

    def after_changes(self, kinds: set[str]) -> None:
        """A write group committed writes of these change-feed kinds."""
        for hook in self.change_hooks:
            try:
                hook(kinds)
            except Exception:  # a hook's bug must not stop the write lane
                log.exception("a change hook failed")

    def _sqlite_begin(self, conn: sa.Connection) -> None:
        group = self._group.get()
        # What begins on another connection of the group's thread must see what the
        # group wrote: the group commits first.
        if (
            group is not None
            and group.conn is not None
            and group.conn is not conn
            and group.thread == threading.get_ident()
        ):
            group.flush()
        _sqlite_begin(conn)

    def _kept_writer(self) -> sa.Connection:
        kept = self._kept
        if kept is not None and self._kept_pid == os.getpid():
            if not (kept.closed or kept.invalidated or kept.in_transaction()):
                return kept
            self._drop_kept()
        # A connection inherited through a fork is left alone (closing SQLite's copy in a
        # child could undo the parent's locks), as Readers does.
        self._kept = self.engine.connect()
        self._kept_pid = os.getpid()
        return self._kept

    def _drop_kept(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None and self._kept_pid == os.getpid():
            with contextlib.suppress(Exception):  # closing what may be broken already
                kept.close()

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only transaction; on SQLite it does not take the write lock.
        Inside `atomic()` it reads through the ambient transaction, seeing its writes."""
        ambient = self._ambient.get()
        if ambient is not None:
            yield ambient
            return
        group = self._group.get()
        if group is not None:
            with group.joined() as joined:
                if joined is not None:  # a write group's open transaction: its writes
                    yield joined
                    return
        with self.engine.connect().execution_options(panelkey_read=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def atomic(self) -> Iterator[sa.Connection]:
        """One transaction that every `begin()` and `read()` of this thread or task joins
        until the block ends: many core calls commit together or not at all."""
        if self._ambient.get() is not None:
            raise RuntimeError("atomic() blocks do not nest")
        with self._write() as conn:
            token = self._ambient.set(conn)
            try:
                yield conn
            finally:
                self._ambient.reset(token)

    def prepare(self, statement: sa.Select[Any] | sa.CompoundSelect[Any]) -> Prepared:
        """`statement` compiled once for this store, run with the driver (prepared.py):
        for the reads every request makes."""
        return Prepared(self, statement)

    def upsert(self, table: sa.Table) -> Any:
        """An INSERT into `table` that takes ON CONFLICT clauses, in this store's dialect.
        The dialect is imported here: SQLAlchemy's PostgreSQL package costs a tenth of a
        second to import, which a SQLite store's every start and CLI call would pay."""
        if self.is_sqlite:
            from sqlalchemy.dialects import sqlite

            return sqlite.insert(table)
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)

    def meta_value(self, name: str, make: Callable[[], str]) -> str:
        """The stored value of `name`, made by `make` and stored on first use."""
        q = sa.select(tables.meta.c.value).where(tables.meta.c.name == name)
        with self.read() as conn:
            value = conn.execute(q).scalar()
        if value is not None:
            return str(value)
        try:
            with self.begin() as conn:
                value = conn.execute(q).scalar()
                if value is None:
                    value = make()
                    conn.execute(tables.meta.insert().values(name=name, value=value))
        except sa.exc.IntegrityError:
            with self.read() as conn:
                value = conn.execute(q).scalar()
        return str(value)

    def record_change(self, conn: sa.Connection, kind: str) -> None:
        """Note, inside the writer's transaction, that authentication may have changed."""
        conn.execute(tables.changes.insert().values(at=utc_now(), kind=kind))
        group = self._group.get()
        if group is not None:
            group.changed(kind)  # its caches dropped again after its commit
        if not self.is_sqlite:
            # The channel is the database's: the schema in the payload tells the stores
            # of other schemas (other panels on the same database) that it is not theirs.
            conn.execute(
                sa.text("SELECT pg_notify(:c, :k || ' ' || coalesce(current_schema(), ''))"),
                {"c": CHANNEL, "k": kind},
            )

    # -- schema ---------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest revision; safe when many processes start at once.
        A store already there is left without loading alembic (a tenth of a second of
        every command's start)."""
        if self._revision() == HEAD_REVISION:
            return
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext

        with _alembic_quiet(), self._migration_lock(), self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK}
                )
            # Read under the lock: another process may have migrated while this one waited.
            before = MigrationContext.configure(conn).get_current_revision()
            cfg = Config()
            cfg.set_main_option("script_location", str(_MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            after = MigrationContext.configure(conn).get_current_revision()
        if after != before:
            # The one line of a migration; alembic's own, one per revision, only at debug.
            done = "made at" if before is None else f"migrated from revision {before} to"
            log.info("store schema %s revision %s", done, after)

    def _revision(self) -> str | None:
        """The store's schema revision, or None for a store alembic never ran on."""
        try:
            with self.engine.connect() as conn:
                row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
        except sa.exc.DBAPIError:
            return None
        return None if row is None else str(row[0])

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.sqlite_path is None:
            yield
            return
        lock_path = self.sqlite_path.with_name(self.sqlite_path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def psycopg_params(self) -> dict[str, Any]:
        """Parameters for a plain psycopg connection to this store, made as SQLAlchemy's
        dialect makes its own: the URL rendered back to text would turn a space in
        `options` (`-c search_path=x -c statement_timeout=5s`) into a `+`, which libpq
        keeps, and the connection would miss its schema."""
        _, params = self.engine.dialect.create_connect_args(self.engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters, for its own connections
        return dict(params)

    def dispose(self) -> None:
        self.writes.close()
        if self._flush is not None and self._flush.pid == os.getpid():
            self._flush.close()
            self._flush = None
        self.readers.close()
        self._drop_kept()
        self.engine.dispose()

    # -- change feed ---------------------------------------------------------------

    def watch_changes(self, on_change: Callable[[bool], None]) -> ChangeWatcher:
        """Call `on_change(accounts)` when another connection may have changed
        authentication data; `accounts` is False when only keys changed."""
        if self.is_sqlite:
            assert self.sqlite_path is not None
            return SqliteChangeWatcher(self.sqlite_path, on_change)
        return PostgresChangeWatcher(self.psycopg_params(), on_change)


def _create_private_file(path: Path) -> None:
    """Make the store's file, owner-only. One that exists is never opened here: closing
    any descriptor of it drops every POSIX lock this process holds on it, SQLite's
    included, and a process that then finds no reader's lock takes its close for the
    last one, checkpoints and deletes the WAL under this one's connections."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    os.chmod(path, 0o600)


_BUSY_SECONDS = 30  # how long a connection waits for another's lock


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={_BUSY_SECONDS * 1000}")
    _wal(cur)
    cur.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives a kill or a crash
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _wal(cur: sqlite3.Cursor) -> None:
    """The file in WAL mode. Connections turning a new file to WAL together can each hold
    the read lock the other's change waits for; SQLite then refuses one at once, without
    its busy timeout (which could only wait forever there). It is tried again, for as long
    as the busy timeout waits for any other lock."""
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


def _sqlite_begin(conn: sa.Connection) -> None:
    # Straight to the driver: SQLAlchemy's statement path cost more than BEGIN itself.
    driver = conn.connection.driver_connection
    assert driver is not None
    sql = "BEGIN" if conn.get_execution_options().get("panelkey_read") else "BEGIN IMMEDIATE"
    try:
        driver.execute(sql)
    except sqlite3.Error as exc:  # raised as SQLAlchemy would have (OperationalError...)
        raise sa.exc.DBAPIError.instance(sql, (), exc, sqlite3.Error) from exc
