"""Databases: the database servers, the databases of subscriptions and their users.

Servers: a local MySQL and a local PostgreSQL (made by migration 0012), each the
default of its type; only the admin sees their details. Databases live in a
subscription (a webspace) on a server of their type; their names are unique per
server, as are user logins. A user's password is kept only as a hash; a database's
default user is one of its own users, or a subscription user of it (0 when none).

A user belongs to one database, or (Plesk's add-db-user without db-id) to a whole
subscription on one server: a user of every database the subscription has there,
with no database of its own (``database_id`` None, ``domain_id`` its subscription).
It stays when a database goes and goes with its subscription.

Rights are the subscription's: the admin reaches all, a reseller its customers',
a customer its own; anything else is NotFound, as if it did not exist. Every write
is a ``database`` or ``database_user`` event in its own transaction, never with a
password in it.

A user's access rules, which panelkey keeps only to answer back (it runs no database
server): Plesk's ``acl`` (hosts a MySQL user may connect from), ``allow-access-from``
(addresses let through) and ``role`` (``readWrite``, ``readOnly``, ``writeOnly``), as
``properties`` rows of kind ``db_user`` purged with the user.
"""

from __future__ import annotations

import builtins
import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from panelkey.core import events, patterns
from panelkey.core.access.passwords import hash_password
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.owned import Findable, Ids, Row, exists
from panelkey.core.rows import insert
from panelkey.core.text import fits
from panelkey.store import tables

TYPES = patterns.DATABASE_TYPES
DB_NOT_FOUND = "Database does not exist"
USER_NOT_FOUND = "Database user does not exist"
SERVER_NOT_FOUND = "Database server does not exist"
SERVERS_ADMIN_ONLY = "Only the administrator manages database servers."
_NAME = patterns.compiled(patterns.DATABASE_NAME)
_LOGIN = patterns.compiled(patterns.DATABASE_LOGIN)
_S, _D, _U = tables.db_servers, tables.databases, tables.db_users
_P = tables.properties
KIND = "db_user"  # properties rows of a database user
ROLES = ("readWrite", "readOnly", "writeOnly")
PASSWORD_TYPES = ("plain", "crypt")
_HOST = re.compile(r"^[A-Za-z0-9%_.:*-]{1,255}$")  # a MySQL host pattern ('%' a wildcard)
_CRYPT = re.compile(r"^[\x21-\x7e]{1,255}$")  # a hash as given: printable, no spaces


@dataclass(frozen=True, slots=True)
class DbServer:
    id: int
    type: str
    host: str
    port: int
    admin_login: str
    is_local: bool
    is_default: bool
    db_count: int


@dataclass(frozen=True, slots=True)
class Db:
    id: int
    domain_id: int
    server_id: int
    name: str
    type: str
    default_user_id: int

    def event_values(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "server_id": self.server_id}


@dataclass(frozen=True, slots=True)
class DbUser:
    id: int
    database_id: int | None  # None: a user of every database of its subscription
    server_id: int
    login: str
    # Kept only to answer back: ``acl`` and ``allow-access-from`` (JSON lists), ``role``.
    settings: dict[str, str] = field(default_factory=dict, compare=False)
    domain_id: int | None = None  # the subscription of a user with no database

    @property
    def acl(self) -> builtins.list[str] | None:
        return _listed(self.settings.get("acl"))

    @property
    def allow_access_from(self) -> builtins.list[str] | None:
        return _listed(self.settings.get("allow-access-from"))

    @property
    def role(self) -> str | None:
        return self.settings.get("role")


@dataclass(slots=True)
class DbUserAccess:
    """Access rules given on add or set (None leaves one as it is; an empty list
    clears a list)."""

    acl: builtins.list[str] | None = None
    allow_access_from: builtins.list[str] | None = None
    role: str | None = None

    def checked(self) -> dict[str, str]:
        """The properties to write; InvalidValue for a host, address or role Plesk
        refuses."""
        out: dict[str, str] = {}
        if self.acl is not None:
            hosts = [h.strip() for h in self.acl]
            for host in hosts:
                if not _HOST.match(host):
                    raise InvalidValue(f"Invalid acl host: {host!r}")
            out["acl"] = json.dumps(list(dict.fromkeys(hosts)))
        if self.allow_access_from is not None:
            nets: builtins.list[str] = []
            for text in self.allow_access_from:
                try:
                    nets.append(str(ipaddress.ip_network(text.strip(), strict=False)))
                except ValueError:
                    raise InvalidValue(f"Invalid allow-access-from address: {text!r}") from None
            out["allow-access-from"] = json.dumps(list(dict.fromkeys(nets)))
        if self.role is not None:
            if self.role.strip() not in ROLES:
                raise InvalidValue(f"Invalid role: {self.role!r}; allowed: {', '.join(ROLES)}")
            out["role"] = self.role.strip()
        return out


def _listed(value: str | None) -> builtins.list[str] | None:
    return None if value is None else list(json.loads(value))


def check_type(value: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if text not in TYPES:
        raise InvalidValue(f"Unsupported database type: {value!r}")
    return text


def _text(value: Any, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidValue(f"Invalid {what}: {value!r}")
    return value


def _password(value: Any, password_type: str | None = None) -> str:
    """What is kept of a password: an argon2 digest, or (Plesk's ``crypt``) the hash
    as given, marked as such."""
    if password_type not in (None, *PASSWORD_TYPES):
        raise InvalidValue(f"Invalid password type: {password_type!r}")
    if not fits(value) or not value or "\x00" in value:
        raise InvalidValue("Invalid password")
    if password_type == "crypt":  # noqa: S105 - a type name
        if not _CRYPT.match(value):
            raise InvalidValue("Invalid crypt password")
        return "{crypt}" + value
    return hash_password(value)


class Databases(Findable[Db]):
    table = _D
    columns = ("id", "domain_id", "server_id", "name", "type", "default_user_id")
    event, not_found, purge_events = "database", DB_NOT_FOUND, False

    def _row(self, values: Row) -> Db:
        db_id, domain_id, server_id, name, kind, default_user = values
        return Db(db_id, domain_id, server_id, name, kind, int(default_user or 0))

    # -- servers -------------------------------------------------------------------------

    def servers(self, ids: builtins.list[int] | None = None) -> builtins.list[DbServer]:
        """Every server (or those of `ids`), with its count of databases, by id."""
        count = (
            sa.select(sa.func.count()).where(_D.c.server_id == _S.c.id).scalar_subquery()
        ).label("db_count")
        q = sa.select(
            _S.c.id, _S.c.type, _S.c.host, _S.c.port, _S.c.admin_login, _S.c.is_local,
            _S.c.is_default, count,
        ).order_by(_S.c.id)  # fmt: skip
        if ids is not None:
            q = q.where(_S.c.id.in_(ids))
        with self._db.read() as conn:
            return [
                DbServer(r[0], r[1], r[2], int(r[3]), r[4], bool(r[5]), bool(r[6]), int(r[7]))
                for r in conn.execute(q)
            ]

    def server(self, server_id: int) -> DbServer | None:
        found = self.servers([server_id])
        return found[0] if found else None

    def default_server(self, type_: str) -> DbServer | None:
        """The default server of a type; None for a type with none."""
        return next((s for s in self.servers() if s.type == type_ and s.is_default), None)

    def local_server(self, type_: str) -> DbServer | None:
        return next((s for s in self.servers() if s.type == type_ and s.is_local), None)

    # -- databases -----------------------------------------------------------------------

    def _webspace(self, actor: Identity, webspace: Domain) -> Domain:
        """A subscription the actor may see (not a site), else NotFound."""
        found = self._parent(actor, webspace, NotFound("Webspace does not exist"))
        if not found.is_webspace:
            raise NotFound("Webspace does not exist")
        return found

    def create(
        self, actor: Identity, webspace: Domain, *, name: str, type: str, server_id: int = 0
    ) -> Db:
        """A database in a subscription, on `server_id` or the type's default server.
        Raises NotFound (subscription, server), InvalidValue (name, type, a server of
        another type), AlreadyExists (the name on that server)."""
        self._webspace(actor, webspace)
        kind = check_type(type)
        text = _text(name, _NAME, "database name")
        server = self.server(server_id) if server_id else self.default_server(kind)
        if server is None:
            raise NotFound(SERVER_NOT_FOUND)
        if server.type != kind:
            raise InvalidValue(f"The database server {server.id} is not a {kind} server")
        row = {"domain_id": webspace.id, "server_id": server.id, "name": text, "type": kind}
        told = {"name": text, "type": kind, "server_id": server.id, "domain": webspace.name}
        with self._db.begin() as conn:
            if exists(conn, _D, _D.c.server_id == server.id, _D.c.name == text):
                raise AlreadyExists(f"Database {text!r} already exists")
            return self._insert(conn, actor, row, new=told)

    def _children(self, conn: sa.Connection, actor: Identity | None, ids: Ids) -> None:
        """A database's own users go with it, each with its event."""
        self._drop_users(conn, _U.c.database_id.in_(ids), actor, record=True)
        self._properties.purge("database", ids, conn)  # its custom host

    def _drop_users(
        self, conn: sa.Connection, where: Any, actor: Identity | None, *, record: bool
    ) -> None:
        """Delete the users `where` selects, with their rules (and their events)."""
        if record:
            for user_id, login in conn.execute(sa.select(_U.c.id, _U.c.login).where(where)):
                _user_event(conn, events.DELETE, user_id, login, actor)
        self._properties.purge(KIND, sa.select(_U.c.id).where(where), conn)
        conn.execute(_U.delete().where(where))

    # -- users ---------------------------------------------------------------------------

    _USER_COLS = (_U.c.id, _U.c.database_id, _U.c.server_id, _U.c.login, _U.c.domain_id)

    @staticmethod
    def _user_rows(conn: sa.Connection, rows: Any) -> builtins.list[DbUser]:
        rows = list(rows)
        kept: dict[int, dict[str, str]] = {}
        if rows:
            q = sa.select(_P.c.object_id, _P.c.name, _P.c.value).where(
                _P.c.kind == KIND, _P.c.object_id.in_([r.id for r in rows])
            )
            for user_id, name, value in conn.execute(q):
                kept.setdefault(int(user_id), {})[name] = value
        return [
            DbUser(r.id, r.database_id, r.server_id, r.login, kept.get(int(r.id), {}), r.domain_id)
            for r in rows
        ]

    def users(self, actor: Identity, database: Db | None = None) -> builtins.list[DbUser]:
        """Users of one database (its own), or every user the actor may see (those of
        whole subscriptions too), by id."""
        q = sa.select(*self._USER_COLS).order_by(_U.c.id)
        if database is not None:
            q = q.where(_U.c.database_id == database.id)
        else:
            seen = [d.id for d in self._domains.list(actor)]
            dbs = sa.select(_D.c.id).where(_D.c.domain_id.in_(seen))
            q = q.where(
                sa.or_(
                    _U.c.database_id.in_(dbs),
                    sa.and_(_U.c.database_id.is_(None), _U.c.domain_id.in_(seen)),
                )
            )
        with self._db.read() as conn:
            return self._user_rows(conn, conn.execute(q))

    def user(self, actor: Identity, user_id: int) -> DbUser | None:
        """A user the actor may see (of a database, or a subscription, it sees), else None."""
        with self._db.read() as conn:
            found = self._user_rows(
                conn, conn.execute(sa.select(*self._USER_COLS).where(_U.c.id == user_id))
            )
        if not found:
            return None
        u = found[0]
        if u.database_id is None:
            seen = u.domain_id is not None and self._domains.get(actor, u.domain_id) is not None
        else:
            seen = self.get(actor, u.database_id) is not None
        return u if seen else None

    def add_user(
        self, actor: Identity, database: Db, *, login: str, password: str,
        password_type: str | None = None, access: DbUserAccess | None = None,
    ) -> DbUser:  # fmt: skip
        """A user of `database` (its password plain, or a ``crypt`` hash kept as given;
        its access rules kept to answer back). Raises NotFound, InvalidValue,
        AlreadyExists (the login on the database's server)."""
        if self.get(actor, database.id) is None:
            raise NotFound(DB_NOT_FOUND)
        return self._insert_user(
            actor, database.server_id, {"database_id": database.id}, {"database": database.name},
            login, password, password_type, access,
        )  # fmt: skip

    def add_subscription_user(
        self, actor: Identity, webspace: Domain, server_id: int, *, login: str,
        password: str, password_type: str | None = None, access: DbUserAccess | None = None,
    ) -> DbUser:  # fmt: skip
        """A user of every database of a subscription on a server (Plesk's add-db-user
        with webspace-id and db-server-id, no db-id); who may make a database there may
        make it. Raises NotFound (subscription, server), InvalidValue, AlreadyExists."""
        self._webspace(actor, webspace)
        server = self.server(server_id)
        if server is None:
            raise NotFound(SERVER_NOT_FOUND)
        return self._insert_user(
            actor, server.id, {"database_id": None, "domain_id": webspace.id},
            {"webspace": webspace.name, "server_id": server.id},
            login, password, password_type, access,
        )  # fmt: skip

    def _insert_user(
        self,
        actor: Identity,
        server_id: int,
        owner: dict[str, Any],
        told: dict[str, Any],
        login: str,
        password: str,
        password_type: str | None,
        access: DbUserAccess | None,
    ) -> DbUser:
        """Checks the login, password and rules, then writes the user (`owner`: its
        database_id, or its domain_id) and its rules in one transaction."""
        text = _text(login, _LOGIN, "database user login")
        digest = _password(password, password_type)
        rules = access.checked() if access is not None else {}
        with self._db.begin() as conn:
            self._login_free(conn, server_id, text)
            new_id = insert(
                conn, _U, server_id=server_id, login=text, password_hash=digest, **owner
            )
            self._properties.set(KIND, new_id, rules, conn)
            made = DbUser(
                new_id, owner.get("database_id"), server_id, text, rules,
                owner.get("domain_id"),
            )  # fmt: skip
            _user_event(
                conn, events.CREATE, made.id, text, actor, new={"login": text, **told, **rules}
            )
        return made

    def set_user(
        self, actor: Identity, user: DbUser, *, login: str | None = None,
        password: str | None = None, password_type: str | None = None,
        access: DbUserAccess | None = None,
    ) -> DbUser:  # fmt: skip
        """Change a user's login, password or access rules. Raises NotFound,
        InvalidValue, AlreadyExists."""
        current = self.user(actor, user.id)
        if current is None:
            raise NotFound(USER_NOT_FOUND)
        row: dict[str, Any] = {}
        if login is not None:
            row["login"] = _text(login, _LOGIN, "database user login")
        if password is not None:
            row["password_hash"] = _password(password, password_type)
        rules = access.checked() if access is not None else {}
        if not row and not rules:
            return current
        settings = {**current.settings, **rules}
        with self._db.begin() as conn:
            if row.get("login", user.login) != user.login:
                self._login_free(conn, user.server_id, row["login"])
            if row:
                conn.execute(_U.update().where(_U.c.id == user.id).values(**row))
            self._properties.set(KIND, user.id, rules, conn)
            named = row.get("login", user.login)
            _user_event(
                conn, events.UPDATE, user.id, named, actor,
                old={"login": user.login, **{k: current.settings.get(k, "") for k in rules}},
                new={"login": named, "password": "changed" if password else "", **rules},
            )  # fmt: skip
        return DbUser(user.id, user.database_id, user.server_id, named, settings, user.domain_id)

    def delete_user(self, actor: Identity, user: DbUser) -> None:
        if self.user(actor, user.id) is None:
            raise NotFound(USER_NOT_FOUND)
        with self._db.begin() as conn:
            # no longer any database's default (a subscription user may be several's)
            conn.execute(
                _D.update().where(_D.c.default_user_id == user.id).values(default_user_id=None)
            )
            self._drop_users(conn, _U.c.id == user.id, actor, record=True)

    def set_default_user(self, actor: Identity, database: Db, user: DbUser) -> None:
        """Make one of the database's users its default (its own, or a user of every
        database of its subscription on its server); another's is InvalidValue."""
        if self.get(actor, database.id) is None:
            raise NotFound(DB_NOT_FOUND)
        if user.database_id is None:
            of_it = (user.domain_id, user.server_id) == (database.domain_id, database.server_id)
        else:
            of_it = user.database_id == database.id
        if not of_it:
            raise InvalidValue(f"The user {user.login!r} is not a user of this database")
        with self._db.begin() as conn:
            conn.execute(_D.update().where(_D.c.id == database.id).values(default_user_id=user.id))
            old, new = {"default_user_id": database.default_user_id}, {"default_user_id": user.id}
            self._record(conn, events.UPDATE, database, actor, old=old, new=new)

    @staticmethod
    def _login_free(conn: sa.Connection, server_id: int, login: str) -> None:
        clash = conn.execute(
            sa.select(_U.c.id).where(_U.c.server_id == server_id, _U.c.login == login)
        ).first()
        if clash is not None:
            raise AlreadyExists(f"Database user {login!r} already exists")

    def purge(self, conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Domains.on_delete: the databases and users of the domains going (users of
        their databases, and of the whole subscriptions), with the users' rules."""
        going = sa.select(_D.c.id).where(_D.c.domain_id.in_(domain_ids))
        theirs = sa.or_(_U.c.database_id.in_(going), _U.c.domain_id.in_(domain_ids))
        self._drop_users(conn, theirs, None, record=False)
        conn.execute(_D.delete().where(_D.c.domain_id.in_(domain_ids)))


def _user_event(
    conn: sa.Connection, what: str, user_id: int, login: str, actor: Identity | None, **values: Any
) -> None:
    events.record(conn, "database_user", what, user_id, login, actor, **values)
