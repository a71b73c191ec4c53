"""The journal's file: entries in `journal.db`, a SQLite file of its own in the data
folder, written in batches off the event loop and trimmed to the newest N.

A file that cannot be written (a full disk, say) loses the batch, never a request: the
first failure is logged, the rest counted, and the first write that works again says how
many entries were lost.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import operator
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from panelkey.journal.access import access_line
from panelkey.journal.describe import Raw, describe, entry_of
from panelkey.journal.redact import redact

_SLICE = 16  # entries made on the event loop in one go (about 150 µs)
log = logging.getLogger("panelkey.journal")


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    face: str
    source: str
    credential: str
    operation: str
    status: int
    errcode: str
    outcome: str
    reason: str
    duration_ms: float
    request: str
    answer: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The access-log form: one line, no bodies."""
        return access_line(self.as_dict())


_COLUMNS = (
    "at, face, source, credential, operation, status, errcode, outcome, reason, "
    "duration_ms, request, answer"
)
_NAMES = _COLUMNS.split(", ")
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {
    ", ".join(
        f"{c} {'REAL' if c == 'duration_ms' else 'INTEGER' if c == 'status' else 'TEXT'}"
        for c in _NAMES
    )
}
)
"""


_ROWS_A_STATEMENT = 64  # 768 values: within SQLite's oldest limit of 999 a statement


@functools.lru_cache(maxsize=_ROWS_A_STATEMENT)
def _insert(rows: int) -> str:
    """An INSERT of `rows` rows: the same text for the same count, which the
    connection's statement cache then keeps compiled."""
    marks = "(" + ", ".join("?" * len(_NAMES)) + ")"
    return f"INSERT INTO journal ({_COLUMNS}) VALUES " + ", ".join([marks] * rows)  # noqa: S608 - fixed column names


_ROW_OF = operator.itemgetter(*_NAMES)


def _rows(waiting: list[dict[str, Any] | Raw]) -> list[Any]:
    """The journal's rows of what the requests left: each entry made, described and
    redacted (an entry given whole is copied, never changed)."""
    rows = []
    for item in waiting:
        entry = entry_of(item) if isinstance(item, tuple) else dict(item)
        describe(entry)
        path = str(entry["operation"]).partition(" ")[2]
        entry["request"] = redact(entry["face"], entry["request"], path)
        entry["answer"] = redact(entry["face"], entry["answer"], path)
        rows.append(_ROW_OF(entry))
    return rows


class Journal:
    """The journal file of one data folder. `add` queues (any thread), `flush` writes."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        # Only the newest `size` can be kept: older ones are dropped as they wait.
        self._pending: deque[dict[str, Any] | Raw] = deque(maxlen=max(size, 1))
        self._queued = 0
        self._conn: sqlite3.Connection | None = None
        # One write at a time: a flusher's thread may still be writing when the server,
        # stopping, writes what is left.
        self._writing = threading.Lock()
        self._failing: tuple[float, int] | None = None  # since when, entries lost

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Room for every count of rows `_insert` makes, and the reads beside them.
            statements = 2 * _ROWS_A_STATEMENT
            conn = sqlite3.connect(
                self.path, timeout=10, check_same_thread=False, cached_statements=statements
            )
            self.path.chmod(0o600)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(_SCHEMA)
            conn.commit()
            self._conn = conn
        return self._conn

    def add(self, entry: dict[str, Any] | Raw) -> None:
        """Queue an entry, or what the middleware kept of a request (`Raw`), whose bodies
        are still raw bytes: `write` makes the entry and redacts it, off the request's
        path, before anything is written. Called on the event loop only (the middleware),
        as `take` is: the queue needs no lock."""
        if self.size > 0:
            self._pending.append(entry)
            self._queued += 1

    def take(self) -> tuple[list[dict[str, Any] | Raw], int]:
        """What is queued (at most the newest `size`), and how many were queued."""
        waiting, count = list(self._pending), self._queued
        self._pending.clear()
        self._queued = 0
        return waiting, count

    def flush(self) -> int:
        """`take` and `write` at once, where no event loop runs (shutdown, tests)."""
        waiting, count = self.take()
        self.write(waiting)
        return count

    def write(self, waiting: list[dict[str, Any] | Raw]) -> None:
        """Redact and write what `take` gave, and trim the file to the newest `size`."""
        self.put(_rows(waiting))

    async def prepare(self, waiting: list[dict[str, Any] | Raw]) -> list[Any]:
        """The rows `put` writes, made on the event loop _SLICE entries at a time between
        the requests: made in the writing thread, their Python work took the GIL from the
        loop over and over and cost the server several times its own (as the access
        log's lines did, bench/findings/access-log.md). Cancelled (the server stopping),
        it writes them all at once before it ends."""
        rows: list[Any] = []
        try:
            for start in range(0, len(waiting), _SLICE):
                rows += _rows(waiting[start : start + _SLICE])
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            self.put(rows + _rows(waiting[len(rows) :]))
            raise
        return rows

    def put(self, rows: list[Any]) -> None:
        """Write the rows `prepare` made, and trim the file to the newest `size`."""
        if not rows:
            return
        with self._writing:
            try:
                self._write(rows)
            except (sqlite3.Error, OSError) as exc:
                self._failed(exc, len(rows))
            else:
                self._written()

    def _write(self, rows: list[Any]) -> None:
        conn = self._connect()
        with conn:
            # _ROWS_A_STATEMENT rows in one statement: `executemany` gives the GIL up and
            # takes it back from the event loop for every row (a batch as one JSON
            # array for json_each did it once, but parsing the JSON cost more than the
            # rows, ten times more for a big body's).
            for start in range(0, len(rows), _ROWS_A_STATEMENT):
                part = rows[start : start + _ROWS_A_STATEMENT]
                conn.execute(_insert(len(part)), list(chain.from_iterable(part)))
            conn.execute(
                "DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - ?", (self.size,)
            )

    def _failed(self, exc: BaseException, lost: int) -> None:
        if self._conn is not None:  # a new connection next time, as after a restart
            self._conn.close()
            self._conn = None
        if self._failing is not None:
            since, before = self._failing
            self._failing = (since, before + lost)
            return
        self._failing = (time.monotonic(), lost)
        log.error("journal: cannot write %s (%s); entries are lost until it can", self.path, exc)

    def _written(self) -> None:
        if self._failing is None:
            return
        since, lost = self._failing
        self._failing = None
        log.warning(
            "journal: written again after %.1f s; %d entries were lost",
            time.monotonic() - since,
            lost,
        )

    def entries(
        self,
        *,
        limit: int = 100,
        after_id: int = 0,
        face: str = "",
        text: str = "",
        outcome: str = "",
    ) -> list[Entry]:
        """Newest last; narrowed by face, outcome and a text found in operation, source,
        credential or errcode."""
        if not self.path.exists():
            return []
        where: list[str] = ["id > ?"]
        args: list[Any] = [after_id]
        if face:
            where.append("face = ?")
            args.append(face)
        if outcome:
            where.append("outcome = ?")
            args.append(outcome)
        if text:
            where.append(
                "(operation LIKE ? OR source LIKE ? OR credential LIKE ? OR errcode LIKE ?)"
            )
            args.extend([f"%{text}%"] * 4)
        query = (
            f"SELECT id, {_COLUMNS} FROM journal WHERE {' AND '.join(where)} "  # noqa: S608 - built from fixed parts
            "ORDER BY id DESC LIMIT ?"
        )
        rows = self._connect().execute(query, (*args, limit)).fetchall()
        return [Entry(*row) for row in reversed(rows)]

    def get(self, entry_id: int) -> Entry | None:
        if not self.path.exists():
            return None
        row = (
            self._connect()
            .execute(f"SELECT id, {_COLUMNS} FROM journal WHERE id = ?", (entry_id,))  # noqa: S608 - fixed column names
            .fetchone()
        )
        return None if row is None else Entry(*row)

    def follow(self, poll: float = 0.5) -> Iterator[Entry]:
        """New entries as they come, forever (the caller stops it)."""
        last = max((e.id for e in self.entries(limit=1)), default=0)
        while True:
            for entry in self.entries(after_id=last, limit=1000):
                last = entry.id
                yield entry
            time.sleep(poll)

    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
