"""Additional FTP accounts of a subscription: home, quota, read and write permissions.

An FTP user belongs to a subscription (a webspace) and is reached through it: whoever
may see the subscription may see and change its FTP users; any other is as if it did
not exist. Logins are unique server-wide, and may not be a subscription's own system
user. Only an argon2 digest of a password is kept; passwords are never answered,
logged or put in an event. `home` is a path inside the subscription (`/` its root).
Each write is an `ftpuser_<create|update|delete>` event; FTP users go with their
subscription (`purge`, run by `Domains.delete`).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.access.passwords import hash_password
from panelkey.core.clock import iso
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database

EVENT = "ftpuser"
NOT_FOUND = "FTP user does not exist"
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,59}$")
_MAX_QUOTA = 2**62
_F = tables.ftp_users
_COLUMNS = (
    _F.c.id,
    _F.c.domain_id,
    _F.c.name,
    _F.c.home,
    _F.c.quota,
    _F.c.can_read,
    _F.c.can_write,
    _F.c.created,
)


@dataclass(frozen=True, slots=True)
class FtpUser:
    id: int
    domain_id: int
    name: str
    home: str
    quota: int
    read: bool
    write: bool
    created: str

    def event_values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "home", "quota", "read", "write")}


def check_login(name: Any) -> str:
    if not isinstance(name, str) or not _LOGIN.match(name.strip()):
        raise InvalidValue(f"Invalid FTP user name: {name!r}")
    return name.strip()


def check_home(home: Any) -> str:
    """`/`, or a path below the subscription's root (no `..`, no NUL)."""
    if home is None:
        return "/"
    if not isinstance(home, str) or len(home) > 1024 or "\x00" in home or "\\" in home:
        raise InvalidValue(f"Invalid home directory: {home!r}")
    parts = [p for p in home.strip().split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InvalidValue(f"Invalid home directory: {home!r}")
    return "/" + "/".join(parts)


def check_quota(quota: Any) -> int:
    """Bytes; -1 (and 0) mean unlimited."""
    if isinstance(quota, str) and re.fullmatch(r"\s*-?\d{1,20}\s*", quota):
        quota = int(quota)
    if not isinstance(quota, int) or isinstance(quota, bool) or not -1 <= quota <= _MAX_QUOTA:
        raise InvalidValue(f"Invalid quota: {quota!r}")
    return quota


def check_secret(password: Any) -> str:
    if not isinstance(password, str) or not password or len(password) > 255:
        raise InvalidValue("Invalid value for 'password' specified")
    if "\x00" in password:
        raise InvalidValue("Invalid value for 'password' specified")
    return password


class FtpUsers:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_delete(self.purge)

    @staticmethod
    def _row(row: Any) -> FtpUser:
        values = list(row)
        values[5], values[6] = bool(values[5]), bool(values[6])
        return FtpUser(*values)

    def list(self, actor: Identity, webspace: Domain | None = None) -> list[FtpUser]:
        """FTP users of subscriptions the actor may see (of `webspace` only), by id."""
        visible = {d.id for d in self._domains.list(actor)}
        q = sa.select(*_COLUMNS).order_by(_F.c.id)
        if webspace is not None:
            q = q.where(_F.c.domain_id == (webspace.base_domain_id or webspace.id))
        with self._db.read() as conn:
            return [u for u in map(self._row, conn.execute(q)) if u.domain_id in visible]

    def _one(self, actor: Identity, where: Any) -> FtpUser | None:
        with self._db.read() as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(where)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def get(self, actor: Identity, user_id: int) -> FtpUser | None:
        return self._one(actor, _F.c.id == user_id)

    def by_name(self, actor: Identity, name: str) -> FtpUser | None:
        return self._one(actor, _F.c.name == name.strip())

    @staticmethod
    def _clash(conn: sa.Connection, name: str, user_id: int | None = None) -> bool:
        q = sa.select(_F.c.id).where(sa.func.lower(_F.c.name) == name.lower())
        if user_id is not None:
            q = q.where(_F.c.id != user_id)
        if conn.execute(q).first() is not None:
            return True
        d = tables.domains
        system = sa.select(d.c.id).where(sa.func.lower(d.c.ftp_login) == name.lower())
        return conn.execute(system).first() is not None

    def create(
        self,
        actor: Identity,
        domain: Domain,
        *,
        name: str,
        password: str,
        home: str | None = None,
        quota: int | str = -1,
        read: bool = True,
        write: bool = False,
    ) -> FtpUser:
        """An FTP user of the subscription of `domain` (a site names its subscription).
        Raises NotFound (a domain the actor may not see), InvalidValue, AlreadyExists;
        on any of them nothing is written."""
        if self._domains.get(actor, domain.id) is None:
            raise NotFound("Webspace does not exist")
        login = check_login(name)
        row = {
            "domain_id": domain.base_domain_id or domain.id,
            "name": login,
            "home": check_home(home),
            "quota": check_quota(quota),
            "can_read": bool(read),
            "can_write": bool(write),
        }
        digest = hash_password(check_secret(password))
        with self._db.begin() as conn:
            if self._clash(conn, login):
                raise AlreadyExists(f"FTP user {login!r} already exists.")
            new_id = conn.execute(
                _F.insert().values(**row, password_hash=digest, created=iso())
            ).inserted_primary_key[0]  # type: ignore[index]
            made = self._row(conn.execute(sa.select(*_COLUMNS).where(_F.c.id == new_id)).one())
            events.record(
                conn,
                EVENT,
                events.CREATE,
                obj_id=made.id,
                obj_name=made.name,
                actor=actor,
                new=made.event_values(),
            )
        return made

    def update(self, actor: Identity, user: FtpUser, values: Mapping[str, Any]) -> FtpUser:
        """Change any of `name`, `password`, `home`, `quota`, `read`, `write`. Raises
        NotFound, InvalidValue, AlreadyExists; on any of them nothing is written."""
        if self.get(actor, user.id) is None:
            raise NotFound(NOT_FOUND)
        row: dict[str, Any] = {}
        if values.get("name") is not None:
            row["name"] = check_login(values["name"])
        if values.get("home") is not None:
            row["home"] = check_home(values["home"])
        if values.get("quota") is not None:
            row["quota"] = check_quota(values["quota"])
        for key, column in (("read", "can_read"), ("write", "can_write")):
            if values.get(key) is not None:
                if not isinstance(values[key], bool):
                    raise InvalidValue(f"Invalid value of {key}")
                row[column] = values[key]
        if values.get("password") is not None:
            row["password_hash"] = hash_password(check_secret(values["password"]))
        if not row:
            return user
        with self._db.begin() as conn:
            if "name" in row and self._clash(conn, row["name"], user.id):
                raise AlreadyExists(f"FTP user {row['name']!r} already exists.")
            conn.execute(_F.update().where(_F.c.id == user.id).values(**row))
            out = self._row(conn.execute(sa.select(*_COLUMNS).where(_F.c.id == user.id)).one())
            old, new = user.event_values(), out.event_values()
            changed = {k for k in new if old[k] != new[k]}
            events.record(
                conn,
                EVENT,
                events.UPDATE,
                obj_id=out.id,
                obj_name=out.name,
                actor=actor,
                old={k: old[k] for k in changed},
                # a new password shows as changed, never as a value
                new={
                    **{k: new[k] for k in changed},
                    **({"password": "changed"} if "password_hash" in row else {}),  # noqa: S105
                },
            )
        return out

    def delete(self, actor: Identity, user: FtpUser) -> FtpUser:
        if self.get(actor, user.id) is None:
            raise NotFound(NOT_FOUND)
        with self._db.begin() as conn:
            if not conn.execute(_F.delete().where(_F.c.id == user.id)).rowcount:
                raise NotFound(NOT_FOUND)
            events.record(
                conn, EVENT, events.DELETE, obj_id=user.id, obj_name=user.name, actor=actor
            )
        return user

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete the FTP users of these subscriptions, in their delete transaction."""
        where = _F.c.domain_id.in_(domain_ids)
        gone = conn.execute(sa.select(_F.c.id, _F.c.name).where(where)).all()
        conn.execute(_F.delete().where(where))
        for user_id, name in gone:
            events.record(conn, EVENT, events.DELETE, obj_id=user_id, obj_name=name)
