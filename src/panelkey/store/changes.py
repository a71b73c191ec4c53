"""The change feed: how every process learns that another may have changed what it
caches (keys, accounts), to drop it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHANNEL = "panelkey_changes"


class ChangeWatcher:
    """Calls `on_change` when another connection may have changed authentication data."""

    INTERVAL = 3600.0  # how often `poll` is worth calling; a pushed feed needs no polling

    def poll(self) -> None:
        """Checked before each authentication; cheap when nothing changed."""

    def close(self) -> None:
        """Stop watching."""


class SqliteChangeWatcher(ChangeWatcher):
    """SQLite tells a connection when any other connection committed (`data_version`);
    only then is the `changes` table read. Costs about a microsecond per request."""

    def __init__(self, path: Path, on_change: Callable[[bool], None]) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._on_change = on_change
        self._version = self._data_version()
        self._seq = self._max_seq()

    def _data_version(self) -> int:
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _max_seq(self) -> int:
        row = self._conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
        return int(row[0])

    # Reading data_version costs several microseconds, more than the rest of a key check,
    # so callers poll at most once a millisecond. Writes in this process and in sibling
    # workers are seen at once by other means (Authenticator.written, siblings); this
    # catches other processes, such as `secret_key`, within a millisecond.
    INTERVAL = 0.001

    def poll(self) -> None:
        with self._lock:
            version = self._data_version()
            if version == self._version:
                return
            self._version = version
            seq = self._max_seq()
            if seq == self._seq:
                return
            kinds = {
                row[0]
                for row in self._conn.execute(
                    "SELECT DISTINCT kind FROM changes WHERE seq > ?", (self._seq,)
                )
            }
            self._seq = seq
        self._on_change(kinds != {"key"})

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresChangeWatcher(ChangeWatcher):
    """LISTEN on one connection in a thread; every NOTIFY of its schema drops the caches.

    Reconnects after a lost connection, and drops the caches then too, since
    notifications sent while it was away are gone.
    """

    def __init__(self, params: dict[str, Any], on_change: Callable[[bool], None]) -> None:
        import psycopg

        self._psycopg = psycopg
        self._params = params
        self._on_change = on_change
        self._stop = threading.Event()
        self._conn: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="panelkey-listen", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._psycopg.connect(autocommit=True, **self._params) as conn:
                    self._conn = conn
                    conn.execute(f"LISTEN {CHANNEL}")
                    row = conn.execute("SELECT current_schema()").fetchone()
                    schema = (row[0] if row else None) or ""
                    self._on_change(True)
                    self._ready.set()
                    while not self._stop.is_set():
                        # A short wait: `close` is seen within a tenth of a second (a
                        # stopping worker waits for it), at ten idle wake-ups a second.
                        for note in conn.notifies(timeout=0.1, stop_after=1):
                            kind, _, where = note.payload.partition(" ")
                            # Another schema's change is another panel's; a payload
                            # without a schema (a writer of an older version) is anyone's.
                            if not where or where == schema:
                                self._on_change(kind != "key")
            except Exception:  # noqa: BLE001 - any failure means: reconnect and resync
                self._ready.set()
                if not self._stop.wait(0.5):
                    self._on_change(True)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
