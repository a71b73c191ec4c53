"""Database server entries the administrator adds, changes, removes and makes default
(``db_server/add``, ``set``, ``del``, ``set-default``); the local servers are made at
first start (core/server/stock.py) and read by core/databases.py.

panelkey connects to no database server: an entry is its host, port, type and
administrator login. The administrator's password is accepted and never stored (a
secret with no use here). A server holding databases, a local server and a type's
default server cannot be removed.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.databases import (
    SERVER_NOT_FOUND,
    SERVERS_ADMIN_ONLY,
    Databases,
    DbServer,
    check_type,
)
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.core.identity import Identity, require_admin
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database

_S, _D = tables.db_servers, tables.databases
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.:-]{0,251}[A-Za-z0-9])?$")
_LOGIN = re.compile(r"^[^\s\x00-\x1f]{1,64}$")


class ServerInUse(PanelkeyError):
    """Plesk refuses to remove a server that is still used (1023)."""


def _values(host: str | None, port: str | None, admin: str | None) -> dict[str, Any]:
    """The given fields checked; raises InvalidValue (1019)."""
    row: dict[str, Any] = {}
    if host is not None:
        if not _HOST.match(host.strip()):
            raise InvalidValue(f"Invalid database server host: {host!r}")
        row["host"] = host.strip().lower()
    if port is not None:
        text = port.strip()
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise InvalidValue(f"Invalid database server port: {port!r}")
        row["port"] = int(text)
    if admin is not None:
        if not _LOGIN.match(admin.strip()):
            raise InvalidValue(f"Invalid database server administrator login: {admin!r}")
        row["admin_login"] = admin.strip()
    return row


class DbServers:
    def __init__(self, db: Database, databases: Databases) -> None:
        self._db = db
        self._databases = databases

    def _one(self, server_id: int) -> DbServer:
        found = self._databases.server(server_id)
        if found is None:
            raise NotFound(SERVER_NOT_FOUND)
        return found

    @staticmethod
    def _clash(conn: sa.Connection, kind: str, host: str, port: int, keep: int = 0) -> None:
        q = sa.select(_S.c.id).where(
            _S.c.type == kind, _S.c.host == host, _S.c.port == port, _S.c.id != keep
        )
        if conn.execute(q).first() is not None:
            raise PanelkeyError(f"The {kind} database server {host}:{port} already exists.")

    def add(
        self, actor: Identity, *, host: str, port: str, type: str, admin: str, default: bool
    ) -> DbServer:
        """A remote server entry (the type's default with `default`)."""
        require_admin(actor, SERVERS_ADMIN_ONLY)
        kind = check_type(type)
        row = _values(host, port, admin)
        with self._db.begin() as conn:
            self._clash(conn, kind, row["host"], row["port"])
            if default:
                conn.execute(_S.update().where(_S.c.type == kind).values(is_default=False))
            made = insert(conn, _S, **row, type=kind, is_default=default)
            events.record(
                conn,
                "db_server",
                events.CREATE,
                made,
                row["host"],
                actor,
                new={**row, "type": kind, "default": default},
            )
        return self._one(made)

    def update(
        self,
        actor: Identity,
        server_id: int,
        *,
        host: str | None = None,
        port: str | None = None,
        admin: str | None = None,
    ) -> DbServer:
        """Change a remote server's host, port or administrator login."""
        require_admin(actor, SERVERS_ADMIN_ONLY)
        old = self._one(server_id)
        if old.is_local:
            raise PanelkeyError("The local database server cannot be changed.")
        row = _values(host, port, admin)
        with self._db.begin() as conn:
            self._clash(
                conn, old.type, row.get("host", old.host), row.get("port", old.port), old.id
            )
            conn.execute(_S.update().where(_S.c.id == old.id).values(**row))
            events.record(
                conn,
                "db_server",
                events.UPDATE,
                old.id,
                old.host,
                actor,
                old={"host": old.host, "port": old.port, "admin_login": old.admin_login},
                new=row,
            )
        return self._one(old.id)

    def delete(self, actor: Identity, server_id: int) -> DbServer:
        """Remove a remote, non-default server without databases."""
        require_admin(actor, SERVERS_ADMIN_ONLY)
        old = self._one(server_id)
        if old.is_local:
            raise ServerInUse("The local database server cannot be removed.")
        if old.is_default:
            raise ServerInUse("The default database server cannot be removed.")
        with self._db.begin() as conn:
            held = conn.execute(sa.select(sa.func.count()).where(_D.c.server_id == old.id)).scalar()
            if held:
                raise ServerInUse("The database server cannot be removed: it has databases.")
            conn.execute(_S.delete().where(_S.c.id == old.id))
            events.record(conn, "db_server", events.DELETE, old.id, old.host, actor)
        return old

    def set_default(
        self, actor: Identity, *, server_id: int | None = None, type: str | None = None
    ) -> DbServer:
        """Make a server (or a type's local server) the default of its type."""
        require_admin(actor, SERVERS_ADMIN_ONLY)
        if server_id is not None:
            target = self._one(server_id)
        else:
            local = self._databases.local_server(check_type(type or ""))
            if local is None:
                raise NotFound(SERVER_NOT_FOUND)
            target = local
        with self._db.begin() as conn:
            conn.execute(_S.update().where(_S.c.type == target.type).values(is_default=False))
            conn.execute(_S.update().where(_S.c.id == target.id).values(is_default=True))
            events.record(
                conn,
                "db_server",
                events.UPDATE,
                target.id,
                target.host,
                actor,
                new={"default": True},
            )
        return self._one(target.id)
