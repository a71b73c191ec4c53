"""Prepared reads: a SELECT compiled once, then run with the driver on a connection of
the calling thread's own.

A read through SQLAlchemy's Core costs 50 to 100 µs before the database sees it:
building the statement, its cache key, a connection out of the pool, ``BEGIN``, the
result wrapper, ``ROLLBACK`` and the pool's reset on return. SQLite answers an indexed
read in about 5 µs, so for the reads every request makes that overhead was most of a
request (docs/performance.md). A `Prepared` statement is compiled for the store's
dialect once, when the core starts, and each call is one driver ``execute``:

- Outside a transaction it runs on the thread's own read connection, kept outside the
  pool and in autocommit. One SELECT reads one committed snapshot (SQLite in WAL mode,
  PostgreSQL in READ COMMITTED), so it needs no explicit transaction, and the
  connection never holds one open between calls: every call sees every commit made
  before it started, in this process or another. The connection is read-only (SQLite
  ``query_only``, PostgreSQL ``default_transaction_read_only``).
- Inside ``Database.atomic()``, or given a connection, it runs through that connection
  and sees its uncommitted writes, as `Database.read()` does; so in a write group's call
  while the group's transaction is open (store/group.py).

On PostgreSQL each statement is prepared on the server at its first run on a
connection, so it is parsed and planned once per connection too. The price: one more
connection per thread that reads (the event loop's, and the worker threads' that run
writes and big packets), beside the engine's pool.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import sqlalchemy as sa

if TYPE_CHECKING:
    from panelkey.store.database import Database

Row = tuple[Any, ...]
T = TypeVar("T")


# Compiled statements by dialect and SQLAlchemy's cache key, with their columns' result
# processors: every store opened in a process (a CLI call, each test's, each worker's)
# prepares the same fifty reads, about a millisecond each; the same statement with
# other literal values shares the SQL.
_COMPILED: dict[tuple[Any, ...], tuple[Any, list[Any] | None]] = {}
_COMPILED_LOCK = threading.Lock()
# What `built` made, by its key; and the statements among it, by id, with what each
# became once prepared for a dialect: preparing such a statement again (every store a
# process opens prepares the core's reads) is a dictionary look-up, where building it
# and its cache key cost most of opening a store.
_BUILT: dict[Hashable, Any] = {}
_KEPT: dict[int, Any] = {}
_PLANS: dict[tuple[int, type[Any], str], _Plan] = {}
# The PostgreSQL dialect with positional `%s` binds, one per dialect class.
_FORMAT_DIALECTS: dict[type[Any], Any] = {}


def built(key: Hashable, build: Callable[[], T]) -> T:
    """What `build()` returns (statements, or a tuple or mapping of them), made once per
    process for `key`: the core's reads depend on the tables alone, not on the store, so
    every store opened in a process shares them, and `Database.prepare` finds a statement
    made here already compiled for its dialect."""
    found = _BUILT.get(key)
    if found is None:
        made = build()
        with _COMPILED_LOCK:
            found = _BUILT.setdefault(key, made)
            if found is made:
                items = made.values() if isinstance(made, Mapping) else made
                for item in items if isinstance(made, tuple | list | Mapping) else (made,):
                    if isinstance(item, sa.Select | sa.CompoundSelect):
                        _KEPT[id(item)] = item
    return cast(T, found)


class _Plan(NamedTuple):
    """A statement prepared for a dialect: its SQL, how its arguments are passed, and its
    columns' result processors."""

    sql: str
    named: bool
    defaults: dict[str, Any]
    order: tuple[str, ...]
    processors: list[Any] | None


def _compile(
    statement: sa.Select[Any] | sa.CompoundSelect[Any], dialect: Any
) -> tuple[Any, Any, list[Any] | None]:
    """`statement` compiled for `dialect`; the values of its literal binds for
    `construct_params` (None: the compiled statement's own); its result processors (None
    when no column needs one)."""
    key = statement._generate_cache_key()  # noqa: SLF001 - SQLAlchemy's own cache's key
    if key is not None:
        at = (type(dialect), dialect.paramstyle, key.key)
        found = _COMPILED.get(at)
        if found is not None:
            return found[0], key.bindparams, found[1]
    compiled = statement.compile(dialect=dialect, cache_key=key)
    processors = [
        col.type.dialect_impl(dialect).result_processor(dialect, None)
        for col in statement.selected_columns
    ]
    made = (compiled, processors if any(p is not None for p in processors) else None)
    if key is not None:  # None: a construct SQLAlchemy cannot cache
        with _COMPILED_LOCK:
            _COMPILED.setdefault(at, made)
    return compiled, None, made[1]


def _plan(statement: sa.Select[Any] | sa.CompoundSelect[Any], dialect: Any) -> _Plan:
    """`statement` prepared for `dialect` (from `_PLANS` when `built` made it)."""
    kept = _KEPT.get(id(statement)) is statement
    at = (id(statement), type(dialect), dialect.paramstyle)
    if kept and (found := _PLANS.get(at)) is not None:
        return found
    compiled, extracted, processors = _compile(statement, dialect)
    if compiled._bind_processors:  # noqa: SLF001 - no public way to ask; see below
        # A bind type that needs converting (dates, JSON...) would need SQLAlchemy's
        # processing: such statements stay on the ordinary path.
        raise ValueError(f"binds need processing: {sorted(compiled._bind_processors)}")  # noqa: SLF001
    # Literals in the statement (coalesce(x, '') and the like) are binds too, with
    # values: those are fixed here, the caller's named ones are filled per call.
    defaults = compiled.construct_params(_check=False, extracted_parameters=extracted)
    plan = _Plan(
        sql=str(compiled),
        named=not compiled.positional,
        defaults=dict(defaults),
        order=tuple(compiled.positiontup or ()),
        processors=processors,
    )
    if kept:
        with _COMPILED_LOCK:
            _PLANS.setdefault(at, plan)
    return plan


class Prepared:
    """One SELECT with named `sa.bindparam`s, compiled for one store."""

    __slots__ = ("sql", "_db", "_order", "_defaults", "_named", "_processors")

    def __init__(self, db: Database, statement: sa.Select[Any] | sa.CompoundSelect[Any]) -> None:
        dialect = db.engine.dialect
        if not db.is_sqlite:
            # Positional `%s` binds: psycopg reads a tuple faster than a dict.
            dialect = _format_dialect(type(dialect))
        plan = _plan(statement, dialect)
        self.sql = plan.sql
        self._db = db
        self._named = plan.named
        self._defaults = plan.defaults  # read only: shared by every store's Prepared
        self._order: Sequence[str] = plan.order
        self._processors = plan.processors

    def _args(self, params: Mapping[str, Any]) -> Any:
        if self._named:
            return {**self._defaults, **params} if self._defaults else params
        defaults = self._defaults
        return tuple(params[n] if n in params else defaults[n] for n in self._order)

    def all(self, conn: sa.Connection | None = None, /, **params: Any) -> list[Row]:
        """Every row, as plain tuples in the statement's column order."""
        args = self._args(params)
        db = self._db
        joined = conn if conn is not None else db._ambient.get()  # noqa: SLF001 - the store's own
        if joined is not None:
            rows: list[Row] = [tuple(r) for r in joined.exec_driver_sql(self.sql, args)]
        elif (group := db._group.get()) is not None:  # noqa: SLF001 - a write lane call's
            with group.joined() as open_group:  # its group's writes, while uncommitted
                if open_group is not None:
                    rows = [tuple(r) for r in open_group.exec_driver_sql(self.sql, args)]
                else:
                    rows = db.readers.run(self.sql, args)
        else:
            rows = db.readers.run(self.sql, args)
        processors = self._processors
        if processors is None:
            return rows
        return [
            tuple(v if p is None else p(v) for p, v in zip(processors, r, strict=True))
            for r in rows
        ]

    def first(self, conn: sa.Connection | None = None, /, **params: Any) -> Row | None:
        rows = self.all(conn, **params)
        return rows[0] if rows else None

    def scalar(self, conn: sa.Connection | None = None, /, **params: Any) -> Any:
        row = self.first(conn, **params)
        return None if row is None else row[0]


def _format_dialect(kind: type[Any]) -> Any:
    """The dialect `kind` with positional `%s` binds, made once per process."""
    found = _FORMAT_DIALECTS.get(kind)
    if found is None:
        found = _FORMAT_DIALECTS.setdefault(kind, kind(paramstyle="format"))
    return found


class Readers:
    """One read-only autocommit driver connection per thread, made on first use.

    A connection is never used by another thread, nor by a child process forked after
    it was made (each process makes its own). `close` closes them all; a thread that
    reads again afterwards makes a new one, as a disposed engine's pool does.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[tuple[int, Any]] = []
        if db.is_sqlite:
            self._lost: tuple[type[BaseException], ...] = (sqlite3.ProgrammingError,)
        else:
            import psycopg

            self._lost = (psycopg.OperationalError, psycopg.InterfaceError)

    def run(self, sql: str, args: Any) -> list[Row]:
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is None or local.pid != os.getpid():
            conn = self._connect()
        try:
            return self._fetch(local.cursor, sql, args)
        except self._lost:
            # Closed by `close`, or dropped by the server (a restart, an idle timeout):
            # one more try on a new connection; a read has nothing to undo.
            self._forget(conn)
            self._connect()
            return self._fetch(local.cursor, sql, args)

    def _fetch(self, cursor: Any, sql: str, args: Any) -> list[Row]:
        if self._db.is_sqlite:
            cursor.execute(sql, args)
        else:
            # Prepared on the server at its first run on this connection, then only bound.
            cursor.execute(sql, args, prepare=True)
        return cursor.fetchall()  # type: ignore[no-any-return]

    def _connect(self) -> Any:
        db = self._db
        if db.is_sqlite:
            from panelkey.store.database import _sqlite_pragmas

            assert db.sqlite_path is not None
            conn: Any = sqlite3.connect(
                db.sqlite_path, timeout=30, check_same_thread=False, isolation_level=None
            )
            _sqlite_pragmas(conn, None)
            conn.execute("PRAGMA query_only=ON")
        else:
            import psycopg

            conn = psycopg.connect(autocommit=True, **db.psycopg_params())
            conn.execute("SET default_transaction_read_only = on")
        with self._lock:
            self._open.append((os.getpid(), conn))
        self._local.conn = conn
        self._local.cursor = conn.cursor()
        self._local.pid = os.getpid()
        return conn

    def _forget(self, conn: Any) -> None:
        self._local.conn = None
        with self._lock:
            self._open = [(pid, c) for pid, c in self._open if c is not conn]
        _close(conn)

    def close(self) -> None:
        """Close every thread's connection made in this process. One inherited through a
        fork is left alone: closing SQLite's copy in a child could undo the parent's locks."""
        with self._lock:
            found, self._open = self._open, []
        for pid, conn in found:
            if pid == os.getpid():
                _close(conn)


def _close(conn: Any) -> None:
    with contextlib.suppress(Exception):  # closing what may be broken already
        conn.close()


class Write:
    """One INSERT, UPDATE or DELETE with named `sa.bindparam`s, compiled once per dialect
    and run with the driver inside the caller's transaction.

    Building and compiling a Core statement, its cache key and SQLAlchemy's result
    wrapper cost 150 to 300 µs per statement, where SQLite runs the statement in about
    10 (docs/performance.md, issue 26); a write runs three or four of them. The
    transaction stays SQLAlchemy's: the statement runs on that connection's driver
    connection, so it commits or rolls back with everything else written in it.
    """

    __slots__ = ("_statement", "_compiled")

    def __init__(self, statement: sa.Insert | sa.Update | sa.Delete) -> None:
        self._statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {}

    def _for(self, dialect: sa.Dialect) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        found = self._compiled.get(dialect.name)
        if found is not None:
            return found
        if dialect.name != "sqlite":
            dialect = cast(Any, type(dialect))(paramstyle="format")
        compiled = self._statement.compile(dialect=dialect)
        if compiled._bind_processors:  # noqa: SLF001 - as in Prepared
            raise ValueError(f"binds need processing: {sorted(compiled._bind_processors)}")  # noqa: SLF001
        order = tuple(compiled.positiontup or ())
        made = (str(compiled), order, dict(compiled.construct_params(_check=False)))
        self._compiled[dialect.name] = made
        return made

    def _cursor(self, conn: sa.Connection, params: Mapping[str, Any]) -> Any:
        sql, order, defaults = self._for(conn.dialect)
        given = {**defaults, **params} if defaults else params
        args = tuple([given[n] for n in order])
        driver = conn.connection.driver_connection
        assert driver is not None
        dbapi = conn.dialect.loaded_dbapi
        try:
            if conn.dialect.name == "sqlite":
                return driver.execute(sql, args)
            return driver.execute(sql, args, prepare=True)
        except dbapi.Error as exc:
            # As SQLAlchemy raises it (IntegrityError...), for callers that catch those.
            raise sa.exc.DBAPIError.instance(sql, args, exc, dbapi.Error) from exc

    def run(self, conn: sa.Connection, /, **params: Any) -> int:
        """Run it in `conn`'s transaction; the number of rows it touched."""
        return int(self._cursor(conn, params).rowcount)

    def returned(self, conn: sa.Connection, /, **params: Any) -> Any:
        """Run a statement with one RETURNING column; the first row's value, or None."""
        row = self.returned_row(conn, **params)
        return None if row is None else row[0]

    def returned_row(self, conn: sa.Connection, /, **params: Any) -> Row | None:
        """Run a statement with RETURNING; its first row, or None when it touched none.
        The columns come as the driver gives them (plain types only)."""
        rows = self._cursor(conn, params).fetchall()
        return tuple(rows[0]) if rows else None
