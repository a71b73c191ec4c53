"""The audit log: what was done to keys, and every refused credential with its reason.

Refusals grow the log by at most one entry per source, face, event and reason in each
`refusal_interval` seconds: the first is written at once, the repeats are counted in
memory and added to that entry's `count` by `flush` (the server calls it every second).
And by at most `refusal_entries` such entries in each interval, whatever the number of
sources (5,000 addresses, or forwarded hops through a trusted proxy, are no more than
one): past them, refusals are counted together per face, event and reason into one
entry of source `*` ("and 4,950 more from 4,950 addresses"), with one log line when it
starts and one when its interval ends.
Entries older than `retention_days` are deleted by `flush`, at most once an hour.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa

from panelkey.core.clock import iso
from panelkey.store import tables
from panelkey.store.database import Database

log = logging.getLogger("panelkey.audit")

KEY_CREATED = "key_created"
KEY_DELETED = "key_deleted"
KEY_ROTATED = "key_rotated"
SCOPE_DENIED = "scope_denied"
RATE_LIMITED = "rate_limited"
AUTH_FAILED = "auth_failed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    face: str
    event: str
    actor: str
    source_ip: str
    key_id: int | None
    reason: str
    detail: str
    count: int = 1  # refusals this entry stands for (repeats within one interval)


@dataclass(slots=True)
class _Bucket:
    started: float
    row_id: int | None = None  # None while its first entry is being written
    pending: int = 0  # repeats not yet added to the entry


@dataclass(slots=True)
class _Overflow:
    """The refusals of one face, event and reason past `refusal_entries` in one interval."""

    started: float
    count: int = 0
    pending: int = 0  # not yet in its entry
    row_id: int | None = None
    sources: set[str] | None = None  # distinct addresses, up to _SOURCES_KEPT
    many: bool = False  # more addresses than _SOURCES_KEPT


_BUCKET_LIMIT = 10_000
_PRUNE_EVERY = 3600.0
REFUSAL_ENTRIES = 100  # entries of single sources in one interval, all sources together
OVERFLOW_SOURCE = "*"
_SOURCES_KEPT = 100_000  # distinct addresses an overflow counts exactly (a few MB at most)


class Audit:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.refusal_interval = 60.0
        self.retention_days = 90  # 0 keeps everything
        self.refusal_entries = REFUSAL_ENTRIES
        self._buckets: dict[tuple[str, str, str, str], _Bucket] = {}
        # This interval's count of entries written (all sources), and when it began.
        self._window = (0.0, 0)
        self._overflows: dict[tuple[float, str, str, str], _Overflow] = {}
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    def record(
        self, event: str, *, face: str, actor: str = "", source_ip: str = "",
        key_id: int | None = None, reason: str = "", detail: str = "",
        conn: sa.Connection | None = None,
    ) -> int | None:  # fmt: skip
        """Write one entry, inside `conn`'s transaction when given; its id. Never pass a
        secret."""
        row = {
            "at": iso(), "face": face, "event": event, "actor": actor, "source_ip": source_ip,
            "key_id": key_id, "reason": reason, "detail": detail,
        }  # fmt: skip
        if conn is not None:
            result = conn.execute(tables.audit.insert().values(**row))
        else:
            with self._db.begin() as own:
                result = own.execute(tables.audit.insert().values(**row))
        primary = result.inserted_primary_key
        log.info(
            "%s face=%s actor=%s ip=%s key_id=%s reason=%s %s", event, face, actor or "-",
            source_ip or "-", key_id if key_id is not None else "-", reason or "-", detail,
        )  # fmt: skip
        return int(primary[0]) if primary else None

    def repeat(self, event: str, *, face: str, source_ip: str, reason: str) -> bool:
        """Count a refusal into the entry that already stands for its kind in this
        interval (its source's, or past `refusal_entries` the one of many sources), in
        memory only, so that the event loop may call it; False when there is none yet
        and `refusal` must write one (a thread's work)."""
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get((event, face, source_ip, reason))
            if bucket is not None and now - bucket.started < self.refusal_interval:
                bucket.pending += 1  # the entry keeps the first one's actor and detail
                return True
            started, written = self._window
            if now - started >= self.refusal_interval or written < self.refusal_entries:
                return False
            if (started, event, face, reason) not in self._overflows:
                return False  # the first past the bound: logged, by `refusal`
            self._overflowed(started, event, face, reason, source_ip)
            return True

    def refusal(
        self, event: str, *, face: str, source_ip: str, reason: str, actor: str = "",
        key_id: int | None = None, detail: str = "",
    ) -> bool:  # fmt: skip
        """A refused request: written as a new entry when it is the first of its kind
        (source, face, event, reason) in this interval, else counted. True when written."""
        bucket_key = (event, face, source_ip, reason)
        now = time.monotonic()
        overflow: list[tuple[int, int, tuple[str, ...]]] = []
        with self._lock:
            bucket = self._buckets.get(bucket_key)
            if bucket is not None and now - bucket.started < self.refusal_interval:
                bucket.pending += 1  # the entry keeps the first one's actor and detail
                return False
            started, written = self._window
            if now - started >= self.refusal_interval:
                started, written = now, 0
            over, first = written >= self.refusal_entries, False
            if over:
                first = self._overflowed(started, event, face, reason, source_ip)
            else:
                self._window = (started, written + 1)
                if len(self._buckets) >= _BUCKET_LIMIT:
                    overflow = self._flush_locked(drop_all=True)
                bucket = self._buckets[bucket_key] = _Bucket(now)
        if over:
            if first:
                log.warning(
                    "%s face=%s reason=%s: more than %d refusal entries in %.0f s; further "
                    "refusals are counted together (source %s) until the interval ends",
                    event, face, reason or "-", self.refusal_entries, self.refusal_interval,
                    OVERFLOW_SOURCE,
                )  # fmt: skip
            return False
        assert bucket is not None
        self._write(overflow)
        try:
            row_id = self.record(
                event, face=face, actor=actor, source_ip=source_ip, key_id=key_id,
                reason=reason, detail=detail,
            )  # fmt: skip
        except BaseException:
            # Not written (the store is out): the next refusal of its kind tries again,
            # rather than being counted into an entry that does not exist.
            with self._lock:
                if self._buckets.get(bucket_key) is bucket:
                    del self._buckets[bucket_key]
                self._window = (self._window[0], max(self._window[1] - 1, 0))
            raise
        with self._lock:
            bucket.row_id = row_id
        return True

    def _overflowed(
        self, started: float, event: str, face: str, reason: str, source_ip: str
    ) -> bool:
        """Count one refusal past the interval's entries (the lock held); True for the
        first of its face, event and reason in this interval."""
        key = (started, event, face, reason)
        over = self._overflows.get(key)
        first = over is None
        if over is None:
            over = self._overflows[key] = _Overflow(started, sources=set())
        over.count += 1
        over.pending += 1
        assert over.sources is not None
        if len(over.sources) < _SOURCES_KEPT:
            over.sources.add(source_ip)
        elif source_ip not in over.sources:
            over.many = True
        return first

    def flush(self) -> None:
        """Add counted repeats to their entries, forget finished intervals, and delete
        entries past the retention (at most once an hour)."""
        with self._lock:
            updates = self._flush_locked(drop_all=False)
        self._write(updates)
        self._flush_overflows()
        now = time.monotonic()
        if self.retention_days > 0 and now - self._pruned_at >= _PRUNE_EVERY:
            self._pruned_at = now
            self.prune()

    def _flush_locked(self, *, drop_all: bool) -> list[tuple[int, int, tuple[str, ...]]]:
        now = time.monotonic()
        updates: list[tuple[int, int, tuple[str, ...]]] = []
        for bucket_key, bucket in list(self._buckets.items()):
            if bucket.pending and bucket.row_id is not None:
                updates.append((bucket.row_id, bucket.pending, bucket_key))
                bucket.pending = 0
            finished = now - bucket.started >= self.refusal_interval
            if (drop_all or finished) and bucket.pending == 0:
                del self._buckets[bucket_key]
        return updates

    def _write(self, updates: list[tuple[int, int, tuple[str, ...]]]) -> None:
        if not updates:
            return
        audit = tables.audit
        with self._db.begin() as conn:
            for row_id, more, _ in updates:
                conn.execute(
                    audit.update().where(audit.c.id == row_id).values(count=audit.c.count + more)
                )
        for _, more, (event, face, source_ip, reason) in updates:
            log.info(
                "%s face=%s ip=%s reason=%s: %d more in this interval",
                event,
                face,
                source_ip or "-",
                reason or "-",
                more,
            )

    def _flush_overflows(self) -> None:
        """Write each overflow's count to its entry (made on its first flush), and log
        and forget those whose interval has ended."""
        now = time.monotonic()
        with self._lock:
            due = [
                (key, over, over.pending, self._addresses(over))
                for key, over in self._overflows.items()
                if over.pending or now - over.started >= self.refusal_interval
            ]
            for _, over, pending, _ in due:
                over.pending -= pending
        audit = tables.audit
        for key, over, pending, addresses in due:
            _, event, face, reason = key
            detail = f"and {over.count:,} more from {addresses} addresses"
            if pending:
                if over.row_id is None:
                    row = {
                        "at": iso(), "face": face, "event": event, "actor": "",
                        "source_ip": OVERFLOW_SOURCE, "key_id": None, "reason": reason,
                        "detail": detail, "count": pending,
                    }  # fmt: skip
                    with self._db.begin() as conn:
                        primary = conn.execute(audit.insert().values(**row)).inserted_primary_key
                    over.row_id = int(primary[0]) if primary else None
                else:
                    with self._db.begin() as conn:
                        conn.execute(
                            audit.update()
                            .where(audit.c.id == over.row_id)
                            .values(count=audit.c.count + pending, detail=detail)
                        )
            if now - over.started >= self.refusal_interval:
                with self._lock:
                    if over.pending:
                        continue  # counted since: written by the next flush
                    self._overflows.pop(key, None)
                log.warning(
                    "%s face=%s reason=%s: %s more refusals from %s addresses in %.0f s, "
                    "counted together past %d entries",
                    event, face, reason or "-", f"{over.count:,}", addresses,
                    self.refusal_interval, self.refusal_entries,
                )  # fmt: skip

    @staticmethod
    def _addresses(over: _Overflow) -> str:
        count = len(over.sources or ())
        return f"more than {count:,}" if over.many else f"{count:,}"

    def prune(self, now: float | None = None) -> int:
        """Delete entries older than the retention; how many went."""
        if self.retention_days <= 0:
            return 0
        cutoff = iso((time.time() if now is None else now) - self.retention_days * 86_400)
        with self._db.begin() as conn:
            gone = conn.execute(tables.audit.delete().where(tables.audit.c.at < cutoff))
        return int(gone.rowcount or 0)

    def entries(self, *, failures_only: bool = False, since: str | None = None) -> list[AuditEntry]:
        """Oldest first. `since` is an ISO timestamp or date, compared as text."""
        self.flush()
        q = sa.select(tables.audit).order_by(tables.audit.c.id)
        if failures_only:
            q = q.where(tables.audit.c.event == AUTH_FAILED)
        if since:
            q = q.where(tables.audit.c.at >= since)
        with self._db.read() as conn:
            return [AuditEntry(**row._mapping) for row in conn.execute(q)]
