"""Where a database lives, beyond add-db: moving it to another subscription
(``database/assign-to-subscription``) and the host name its clients are told to
connect to (``database/set-custom-host``).

A move keeps the database's server, name, users and default user; the target must
be a subscription the caller sees (a customer moves between its own). The custom
host is kept as the database's property ``custom-host`` (empty: none) and answered
by ``get-db``; panelkey runs no database server, so nothing else changes.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.databases import DB_NOT_FOUND, Databases, Db
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

WEBSPACE_NOT_FOUND = "Webspace does not exist"
KIND = "database"  # properties rows of a database
CUSTOM_HOST = "custom-host"
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^({_LABEL}\.)*{_LABEL}$|^[0-9a-f:.]+$")
_D, _P = tables.databases, tables.properties


class DatabasePlacement:
    def __init__(self, db: Database, domains: Domains, databases: Databases) -> None:
        self._db = db
        self._domains = domains
        self._databases = databases
        self._properties = Properties(db)
        domains.on_delete(self.purge)

    def _visible(self, actor: Identity, database: Db) -> Db:
        found = self._databases.get(actor, database.id)
        if found is None:
            raise NotFound(DB_NOT_FOUND)
        return found

    def assign(self, actor: Identity, database: Db, webspace: Domain) -> Db:
        """Move a database to `webspace`. Raises NotFound (database, subscription)."""
        old = self._visible(actor, database)
        target = self._domains.get(actor, webspace.id)
        if target is None or not target.is_webspace:
            raise NotFound(WEBSPACE_NOT_FOUND)
        with self._db.begin() as conn:
            conn.execute(_D.update().where(_D.c.id == old.id).values(domain_id=target.id))
            events.record(
                conn,
                "database",
                events.UPDATE,
                old.id,
                old.name,
                actor,
                old={"domain_id": old.domain_id},
                new={"domain_id": target.id},
            )
        moved = self._databases.get(actor, old.id)
        assert moved is not None  # the caller sees the target
        return moved

    def custom_host(self, database: Db) -> str:
        return self._properties.get(KIND, database.id).get(CUSTOM_HOST, "")

    def set_custom_host(self, actor: Identity, database: Db, host: str) -> None:
        """Keep `host` (a DNS name or an address; empty: none). Raises InvalidValue."""
        old = self._visible(actor, database)
        text = host.strip().lower()
        if text and (len(text) > 253 or not _HOST.match(text)):
            raise InvalidValue(f"Invalid host: {host!r}")
        with self._db.begin() as conn:
            self._properties.set(KIND, old.id, {CUSTOM_HOST: text}, conn=conn)
            events.record(
                conn, "database", events.UPDATE, old.id, old.name, actor, new={CUSTOM_HOST: text}
            )

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: list[int]) -> None:
        """Domains.on_delete, after Databases.purge (registered first) took the
        databases: the properties of databases no longer there."""
        kept = sa.select(_D.c.id)
        conn.execute(_P.delete().where(_P.c.kind == KIND, _P.c.object_id.not_in(kept)))
