"""Properties kept to be answered back: what Plesk lets a client set on an object for a
service panelkey does not run (an autoresponder, a database user's ACL, ...).

Rows are (kind, object id, name) -> text. `kind` names the family of the object
(`mail_name`, `db_user`, `site_alias`, ...); each family purges its rows when it deletes
the object, inside the same transaction. Names are the family's own: dotted paths of
Plesk's element names (`autoresponder.enabled`) are a good convention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database

_P = tables.properties


class Properties:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, kind: str, object_id: int, conn: sa.Connection | None = None) -> dict[str, str]:
        """Every property of one object, by name (empty when none was set)."""
        q = sa.select(_P.c.name, _P.c.value).where(_P.c.kind == kind, _P.c.object_id == object_id)
        if conn is not None:
            return {r.name: r.value for r in conn.execute(q.order_by(_P.c.name))}
        with self._db.read() as c:
            return {r.name: r.value for r in c.execute(q.order_by(_P.c.name))}

    def set(
        self,
        kind: str,
        object_id: int,
        values: Mapping[str, str],
        conn: sa.Connection | None = None,
    ) -> None:
        """Store `values` over what the object has (other names are kept)."""
        if not values:
            return
        if conn is not None:
            self._write(conn, kind, object_id, values)
            return
        with self._db.begin() as c:
            self._write(c, kind, object_id, values)

    def purge(
        self, kind: str, objects: int | list[int] | sa.Select[Any], conn: sa.Connection
    ) -> None:
        """Forget every property of one object, or of several (ids, or a select of
        them), inside the objects' delete."""
        ids = [objects] if isinstance(objects, int) else objects
        conn.execute(_P.delete().where(_P.c.kind == kind, _P.c.object_id.in_(ids)))

    @staticmethod
    def _write(conn: sa.Connection, kind: str, object_id: int, values: Mapping[str, str]) -> None:
        names = list(values)
        conn.execute(
            _P.delete().where(_P.c.kind == kind, _P.c.object_id == object_id, _P.c.name.in_(names))
        )
        conn.execute(
            _P.insert(),
            [
                {"kind": kind, "object_id": object_id, "name": n, "value": str(values[n])}
                for n in names
            ],
        )
