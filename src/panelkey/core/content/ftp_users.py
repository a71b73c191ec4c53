"""Additional FTP accounts of a subscription: home, quota, read and write permissions.

An FTP user belongs to a subscription (a webspace) and is reached through it: whoever
may see the subscription may see and change its FTP users; any other is as if it did
not exist. Logins follow the FTP login rule of subscriptions (core/domains/logins.py),
are unique server-wide, and may not be a subscription's own system user. Only an argon2
digest of a password is kept; passwords are never answered, logged or put in an event.
`home` is a path inside the subscription (`/` its root). Each write is an
`ftpuser_<create|update|delete>` event; FTP users go with their subscription (`purge`,
run by `Domains.delete`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.access.passwords import hash_password
from panelkey.core.domains.domains import Domain
from panelkey.core.domains.logins import check_ftp_login
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.owned import Findable, Named
from panelkey.core.text import fits
from panelkey.store import tables

EVENT = "ftpuser"
NOT_FOUND = "FTP user does not exist"
_MAX_QUOTA = 2**62
_F = tables.ftp_users


@dataclass(frozen=True, slots=True)
class FtpUser(Named):
    home: str
    quota: int
    read: bool
    write: bool
    created: str

    def event_values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "home", "quota", "read", "write")}


def check_login(name: Any) -> str:
    """The FTP login rule, the subscriptions' own (core/domains/logins.py)."""
    return check_ftp_login(name, what="FTP user name")


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
    if not fits(password) or not password:
        raise InvalidValue("Invalid value for 'password' specified")
    if "\x00" in password:
        raise InvalidValue("Invalid value for 'password' specified")
    return password


class FtpUsers(Findable[FtpUser]):
    table = _F
    record = FtpUser
    columns = ("id", "domain_id", "name", "home", "quota", "can_read", "can_write", "created")
    event, not_found = EVENT, NOT_FOUND

    def _parent_id(self, domain: Domain) -> int:
        return domain.base_domain_id or domain.id  # a site's FTP users are its subscription's

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
        self._parent(actor, domain, NotFound("Webspace does not exist"))
        login = check_login(name)
        row = {
            "domain_id": self._parent_id(domain),
            "name": login,
            "home": check_home(home),
            "quota": check_quota(quota),
            "can_read": bool(read),
            "can_write": bool(write),
            "password_hash": hash_password(check_secret(password)),
        }
        with self._db.begin() as conn:
            if self._clash(conn, login):
                raise AlreadyExists(f"FTP user {login!r} already exists.")
            return self._insert(conn, actor, row)

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
        # a new password shows as changed, never as a value
        told = {"password": "changed"} if "password_hash" in row else {}  # noqa: S105
        with self._db.begin() as conn:
            if "name" in row and self._clash(conn, row["name"], user.id):
                raise AlreadyExists(f"FTP user {row['name']!r} already exists.")
            return self._update(conn, actor, user, row, extra=told)
