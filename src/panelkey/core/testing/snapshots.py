"""Snapshots: the whole store saved under a name and put back, with servers running.

A snapshot holds every table of the schema (accounts, keys, domains, zones, plans, the
audit, the events, the fault rules, the server's settings) and the id counters, so ids
made after a restore are those made after the save. It leaves out only `snapshots` (the
catalogue: a restore must not forget the snapshots saved since) and `changes` (the
change feed, which only ever grows: watchers read it by sequence number).

Where the rows go: on SQLite, a file of its own in `<store>.snapshots/`, written through
ATTACH in one read transaction of the store; on PostgreSQL, a schema of its own, written
in one REPEATABLE READ transaction. A restore empties every table and copies the saved
rows back in one transaction, with an "everything changed" entry in the change feed, so
every worker of every server drops its caches when it commits; nothing is ever
half-restored. A snapshot made by an older schema revision is refused.
"""

from __future__ import annotations

import builtins
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from panelkey.core.errors import InvalidValue, NotFound
from panelkey.store import tables
from panelkey.store.database import Database, utc_now

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LEFT_OUT = frozenset({"snapshots", "changes"})
CHANGE_KIND = "all"  # not "key": every cache goes (database.py's watchers)
_SEQUENCES = "panelkey_sequences"
_REVISION = "panelkey_revision"
_ROWS = "saved_rows"


@dataclass(frozen=True)
class Snapshot:
    name: str
    rows: int
    created: str
    seconds: float = 0.0  # how long the save or restore that returned it took


def saved_tables() -> list[sa.Table]:
    """The tables a snapshot holds, parents before children."""
    return [t for t in tables.metadata.sorted_tables if t.name not in LEFT_OUT]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Snapshots:
    """The snapshots of one store."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Snapshot]:
        t = tables.snapshots
        with self._db.read() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.name)).mappings().all()
        return [Snapshot(r["name"], r["rows"], r["created"]) for r in rows]

    def save(self, name: str) -> Snapshot:
        """Save the store as `name`, replacing a snapshot of that name. Raises
        InvalidValue for a name that is not 1 to 64 letters, digits, `_`, `.` or `-`."""
        if not NAME.match(name):
            raise InvalidValue(f"snapshot name {name!r}: 1 to 64 letters, digits, '_', '.' or '-'")
        started = time.perf_counter()
        location = "panelkey_snap_" + secrets.token_hex(6)
        revision = self._revision()
        if self._db.is_sqlite:
            rows = self._save_sqlite(self._file(location), revision)
        else:
            rows = self._save_pg(location, revision)
        t = tables.snapshots
        with self._db.begin() as conn:
            old = conn.execute(sa.select(t.c.location).where(t.c.name == name)).scalar()
            conn.execute(t.delete().where(t.c.name == name))
            conn.execute(
                t.insert().values(name=name, location=location, rows=rows, created=utc_now())
            )
        if old is not None:
            self._drop(str(old))
        return Snapshot(name, rows, utc_now(), time.perf_counter() - started)

    def restore(self, name: str) -> Snapshot:
        """Put the store back as it was saved under `name`, in one transaction, and tell
        every process to drop its caches. Raises NotFound for an unknown name, and
        InvalidValue for a snapshot of another schema revision."""
        started = time.perf_counter()
        t = tables.snapshots
        with self._db.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"no snapshot named {name!r}")
        location = str(row["location"])
        if self._db.is_sqlite:
            self._restore_sqlite(self._file(location))
        else:
            self._restore_pg(location)
        return Snapshot(name, row["rows"], row["created"], time.perf_counter() - started)

    def delete(self, name: str) -> bool:
        """Forget the snapshot `name`; False when there was none."""
        t = tables.snapshots
        with self._db.begin() as conn:
            location = conn.execute(sa.select(t.c.location).where(t.c.name == name)).scalar()
            conn.execute(t.delete().where(t.c.name == name))
        if location is None:
            return False
        self._drop(str(location))
        return True

    # -- both stores ----------------------------------------------------------------------

    def _revision(self) -> str:
        with self._db.read() as conn:
            return str(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar())

    def _drop(self, location: str) -> None:
        if self._db.is_sqlite:
            self._file(location).unlink(missing_ok=True)
        else:
            with self._db.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {_q(location)} CASCADE"))

    # -- SQLite ---------------------------------------------------------------------------

    def _file(self, location: str) -> Path:
        store = self._db.sqlite_path
        assert store is not None
        return store.with_name(store.name + ".snapshots") / f"{location}.db"

    def _connect(self) -> sqlite3.Connection:
        assert self._db.sqlite_path is not None
        conn = sqlite3.connect(self._db.sqlite_path, timeout=30, isolation_level=None)
        # Off on this connection only: rows come back whole, parents and children alike.
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _save_sqlite(self, path: Path, revision: str) -> int:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.touch(mode=0o600)  # keys' digests and password hashes go in it
        conn = self._connect()
        try:
            conn.execute("ATTACH DATABASE ? AS snap", (str(path),))
            conn.execute("BEGIN")  # one read of the store: every table as of one moment
            rows = 0
            for table in saved_tables():
                n = _q(table.name)
                conn.execute(f"CREATE TABLE snap.{n} AS SELECT * FROM main.{n}")  # noqa: S608 - names from the schema
                rows += conn.execute(f"SELECT count(*) FROM snap.{n}").fetchone()[0]  # noqa: S608
            names = [t.name for t in saved_tables()]
            marks = ", ".join("?" * len(names))
            conn.execute(
                f"CREATE TABLE snap.{_SEQUENCES} AS SELECT name, seq FROM main.sqlite_sequence "  # noqa: S608 - fixed names
                f"WHERE name IN ({marks})",
                names,
            )
            conn.execute(f"CREATE TABLE snap.{_REVISION} (version_num TEXT)")
            conn.execute(f"INSERT INTO snap.{_REVISION} VALUES (?)", (revision,))  # noqa: S608
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE snap")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        finally:
            conn.close()
        return int(rows)

    def _restore_sqlite(self, path: Path) -> None:
        if not path.exists():
            raise NotFound(f"the snapshot's file {path} is gone")
        conn = self._connect()
        try:
            conn.execute("ATTACH DATABASE ? AS snap", (str(path),))
            saved = conn.execute(f"SELECT version_num FROM snap.{_REVISION}").fetchone()[0]  # noqa: S608
            current = conn.execute("SELECT version_num FROM main.alembic_version").fetchone()[0]
            if saved != current:
                raise InvalidValue(
                    f"the snapshot is of schema revision {saved}, the store is at {current}"
                )
            conn.execute("BEGIN IMMEDIATE")
            try:
                names = [t.name for t in saved_tables()]
                for table in reversed(saved_tables()):
                    conn.execute(f"DELETE FROM main.{_q(table.name)}")  # noqa: S608 - names from the schema
                for table in saved_tables():
                    n, cols = _q(table.name), ", ".join(_q(c.name) for c in table.columns)
                    conn.execute(f"INSERT INTO main.{n} ({cols}) SELECT {cols} FROM snap.{n}")  # noqa: S608
                marks = ", ".join("?" * len(names))
                conn.execute(f"DELETE FROM main.sqlite_sequence WHERE name IN ({marks})", names)  # noqa: S608
                counters = f"SELECT name, seq FROM snap.{_SEQUENCES}"  # noqa: S608 - a fixed name
                conn.execute(f"INSERT INTO main.sqlite_sequence (name, seq) {counters}")
                conn.execute(
                    "INSERT INTO main.changes (at, kind) VALUES (?, ?)", (utc_now(), CHANGE_KIND)
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("DETACH DATABASE snap")
        finally:
            conn.close()

    # -- PostgreSQL -----------------------------------------------------------------------
    # Every row goes into one table of the snapshot's schema as JSON, and each direction
    # is one batch of statements in one round trip: a table per saved table, or a
    # TRUNCATE, costs catalogue work and file creation, seconds on a busy machine.

    def _save_pg(self, schema: str, revision: str) -> int:
        s = _q(schema)
        saved = saved_tables()
        with_ids = ", ".join(f"'{t.name}'" for t in saved if "id" in t.c)
        batch = [
            f"CREATE SCHEMA {s}",
            f"CREATE TABLE {s}.{_ROWS} (tbl TEXT NOT NULL, data JSONB)",
            *(
                f"INSERT INTO {s}.{_ROWS} SELECT '{t.name}', to_jsonb(x) FROM {_q(t.name)} x"  # noqa: S608 - names from the schema
                for t in saved
            ),
            # the id counters of the saved tables, each read by name (pg_sequences would
            # read every sequence of the database, some perhaps being dropped meanwhile)
            f"""DO $$ DECLARE n text; seq text; v bigint; c boolean; BEGIN
            FOREACH n IN ARRAY ARRAY[{with_ids}]::text[] LOOP
                seq := pg_get_serial_sequence(n, 'id');
                CONTINUE WHEN seq IS NULL;
                EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO v, c;
                INSERT INTO {s}.{_ROWS} VALUES ('{_SEQUENCES}',
                    jsonb_build_object('name', seq, 'value', v, 'called', c));
            END LOOP; END $$""",  # noqa: S608 - names from the schema
            f"INSERT INTO {s}.{_ROWS} VALUES ('{_REVISION}', to_jsonb('{revision}'::text))",  # noqa: S608
        ]
        with (
            self._db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            _run_batch(conn, batch)
            rows = conn.execute(
                sa.text(f"SELECT count(*) FROM {s}.{_ROWS} WHERE tbl NOT LIKE 'panelkey_%'")  # noqa: S608
            ).scalar()
        return int(rows or 0)

    def _restore_pg(self, schema: str) -> None:
        s = _q(schema)
        saved = saved_tables()
        batch = [f"DELETE FROM {_q(t.name)}" for t in reversed(saved)]  # noqa: S608 - names from the schema
        for t in saved:
            n, cols = _q(t.name), ", ".join(_q(c.name) for c in t.columns)
            picked = ", ".join(f"x.{_q(c.name)}" for c in t.columns)
            batch.append(
                f"INSERT INTO {n} ({cols}) SELECT {picked} FROM {s}.{_ROWS} r "  # noqa: S608
                f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{n}, r.data) x "
                f"WHERE r.tbl = '{t.name}'"
            )
        counters = f"FROM {s}.{_ROWS} WHERE tbl = '{_SEQUENCES}'"  # noqa: S608 - fixed names
        batch.append(
            "SELECT setval(CAST(data->>'name' AS regclass), (data->>'value')::bigint, "
            f"(data->>'called')::boolean) {counters}"
        )
        with self._db.engine.begin() as conn:
            saved_revision = conn.execute(
                sa.text(f"SELECT data->>0 FROM {s}.{_ROWS} WHERE tbl = '{_REVISION}'")  # noqa: S608
            ).scalar()
            current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            if saved_revision != current:
                raise InvalidValue(
                    f"the snapshot is of schema revision {saved_revision}, the store is at "
                    f"{current}"
                )
            _run_batch(conn, batch)
            self._db.record_change(conn, CHANGE_KIND)


def _run_batch(conn: sa.Connection, statements: builtins.list[str]) -> None:
    """Statements without parameters, sent together in one round trip (psycopg sends a
    query without parameters as a simple query, which may hold many)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(";\n".join(statements))
    finally:
        cursor.close()
