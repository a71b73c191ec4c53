"""The audit log: what was done to keys, and every refused credential with its reason.

Refusals grow the log by at most one entry per source, face, event and reason in each
`refusal_interval` seconds: the first is written at once, the repeats are counted in
memory and added to that entry's `count` by `flush` (the server calls it every second).
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


_BUCKET_LIMIT = 10_000
_PRUNE_EVERY = 3600.0


class Audit:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.refusal_interval = 60.0
        self.retention_days = 90  # 0 keeps everything
        self._buckets: dict[tuple[str, str, str, str], _Bucket] = {}
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
            if len(self._buckets) >= _BUCKET_LIMIT:
                overflow = self._flush_locked(drop_all=True)
            bucket = self._buckets[bucket_key] = _Bucket(now)
        self._write(overflow)
        row_id = self.record(
            event, face=face, actor=actor, source_ip=source_ip, key_id=key_id, reason=reason,
            detail=detail,
        )  # fmt: skip
        with self._lock:
            bucket.row_id = row_id
        return True

    def flush(self) -> None:
        """Add counted repeats to their entries, forget finished intervals, and delete
        entries past the retention (at most once an hour)."""
        with self._lock:
            updates = self._flush_locked(drop_all=False)
        self._write(updates)
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
