"""A second store opened on the same SQLite file in one process (two cores, as the
shared-limits tests and a server's helpers do) keeps the first one's locks: another
process closing its connection must not take itself for the last one and delete the
WAL under the first one's connections."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database, sqlite_url

# Another process: one write, then its connection closes (as `panelkey unlock` does).
_OTHER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA busy_timeout=30000")
conn.execute("INSERT INTO changes (at, kind) VALUES ('2024-01-01T00:00:00Z', 'lockout')")
conn.close()
"""


def _seq(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.max(tables.changes.c.seq))).scalar() or 0)


def test_a_second_store_on_one_file_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    first = Database(sqlite_url(path))
    first.migrate()
    second = None
    try:
        with first.begin() as conn:
            first.record_change(conn, "key")
        assert _seq(first) == 1  # its connections now hold their locks on the file
        second = Database(sqlite_url(path))
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()

        subprocess.run([sys.executable, "-c", _OTHER, str(path)], check=True, timeout=60)

        assert wal.exists()  # the other process saw a reader here and left the WAL alone
        assert _seq(first) == 2 and _seq(second) == 2
        with first.begin() as conn:
            first.record_change(conn, "key")
        assert _seq(second) == 3
    finally:
        if second is not None:
            second.dispose()
        first.dispose()
