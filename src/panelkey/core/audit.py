"""The audit log: what was done to keys, and every refused credential with its reason."""

from __future__ import annotations

import logging
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


class Audit:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        event: str,
        *,
        face: str,
        actor: str = "",
        source_ip: str = "",
        key_id: int | None = None,
        reason: str = "",
        detail: str = "",
        conn: sa.Connection | None = None,
    ) -> None:
        """Write one entry, inside `conn`'s transaction when given. Never pass a secret."""
        row = dict(
            at=iso(),
            face=face,
            event=event,
            actor=actor,
            source_ip=source_ip,
            key_id=key_id,
            reason=reason,
            detail=detail,
        )
        if conn is not None:
            conn.execute(tables.audit.insert().values(**row))
        else:
            with self._db.begin() as own:
                own.execute(tables.audit.insert().values(**row))
        log.info(
            "%s face=%s actor=%s ip=%s key_id=%s reason=%s %s",
            event,
            face,
            actor or "-",
            source_ip or "-",
            key_id if key_id is not None else "-",
            reason or "-",
            detail,
        )

    def entries(self, *, failures_only: bool = False, since: str | None = None) -> list[AuditEntry]:
        """Oldest first. `since` is an ISO timestamp or date, compared as text."""
        q = sa.select(tables.audit).order_by(tables.audit.c.id)
        if failures_only:
            q = q.where(tables.audit.c.event == AUTH_FAILED)
        if since:
            q = q.where(tables.audit.c.at >= since)
        with self._db.read() as conn:
            return [AuditEntry(**row._mapping) for row in conn.execute(q)]
