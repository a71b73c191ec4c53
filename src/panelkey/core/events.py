"""Plesk's action log: what was created, changed or deleted, by whom, through any face.

Core modules call `record(conn, ...)` inside the transaction of the write itself, so
an event exists exactly when its change does. Action names are Plesk's
`<object class>_<create|update|delete>` (`client_create`, `domain_update`,
`dns_zone_rec_delete`, ...). Never pass a secret in the values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.clock import iso
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import Write

_COLUMNS = ("at", "obj_class", "action", "obj_id", "obj_name", "actor", "old_values", "new_values")
# Every write of the panel logs through this one statement: compiled once, not per event.
_INSERT = Write(tables.events.insert().values({c: sa.bindparam(c) for c in _COLUMNS}))

CREATE, UPDATE, DELETE = "create", "update", "delete"


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    at: str
    obj_class: str
    action: str
    obj_id: int
    obj_name: str
    actor: str
    old_values: dict[str, str]
    new_values: dict[str, str]


def record(
    conn: sa.Connection,
    obj_class: str,
    what: str,
    obj_id: int = 0,
    obj_name: str = "",
    actor: Identity | None = None,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
) -> None:
    """Add one event in `conn`'s transaction: `what` (CREATE, UPDATE or DELETE) was done
    to the object `obj_id`, `obj_name` of `obj_class` by `actor` (None: the panel
    itself), its values going from `old` to `new`."""
    _INSERT.run(
        conn,
        at=iso(),
        obj_class=obj_class,
        action=f"{obj_class}_{what}",
        obj_id=obj_id,
        obj_name=obj_name,
        actor=actor.login if actor is not None else "",
        old_values=_text(old),
        new_values=_text(new),
    )


def _text(values: Mapping[str, Any] | None) -> str:
    return json.dumps({k: "" if v is None else str(v) for k, v in (values or {}).items()})


class Events:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(
        self,
        *,
        after_id: int = 0,
        obj_class: str | None = None,
        action: str | None = None,
    ) -> list[Event]:
        """Events with id above `after_id`, oldest first, narrowed by class and action."""
        e = tables.events
        q = sa.select(e).where(e.c.id > after_id).order_by(e.c.id)
        if obj_class:
            q = q.where(e.c.obj_class == obj_class)
        if action:
            q = q.where(e.c.action == action)
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q)]

    def last_id(self) -> int:
        with self._db.read() as conn:
            return int(conn.execute(sa.select(sa.func.max(tables.events.c.id))).scalar() or 0)

    def clear(self, up_to_id: int) -> None:
        """Drop events up to and including `up_to_id` (event_log/get flush_selected_range)."""
        with self._db.begin() as conn:
            conn.execute(tables.events.delete().where(tables.events.c.id <= up_to_id))

    @staticmethod
    def _row(row: Any) -> Event:
        m = dict(row._mapping)
        m["old_values"] = json.loads(m["old_values"] or "{}")
        m["new_values"] = json.loads(m["new_values"] or "{}")
        return Event(**m)
