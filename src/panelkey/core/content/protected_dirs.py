"""Password-protected directories of a site, and the users who may enter them.

A directory is reached through its site: whoever may see the site may see and change
its protected directories and their users; any other is as if it did not exist. A
directory has a `header` (the realm shown to visitors) and where it applies (`ssl`,
`nonssl`, `cgi`; at least one). A user's password is kept only as an argon2 digest
(or, for Plesk's `password-type` `crypt`, as the crypt hash given); never answered,
logged or put in an event. Writes are `protected_dir_*` and `protected_dir_user_*`
events; directories go with their site (`purge`, run by `Domains.delete`).
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
from panelkey.core.content.ftp_users import check_secret
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, OwnerNotFound
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database

EVENT, USER_EVENT = "protected_dir", "protected_dir_user"
NOT_FOUND = "Protected URL is not found"
USER_NOT_FOUND = "User is not found"
SITE_NOT_FOUND = "site is not found"
LOCATION = ("ssl", "nonssl", "cgi")
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,59}$")
_CRYPT = re.compile(r"^[A-Za-z0-9./$=+-]{2,255}$")
_P, _U = tables.protected_dirs, tables.protected_dir_users


@dataclass(frozen=True, slots=True)
class ProtectedDir:
    id: int
    domain_id: int
    name: str
    header: str
    ssl: bool
    nonssl: bool
    cgi: bool
    created: str

    def event_values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "header", *LOCATION)}


@dataclass(frozen=True, slots=True)
class DirUser:
    id: int
    dir_id: int
    login: str
    created: str


ROOT = "/"


def check_name(name: Any) -> str:
    """A directory of the site: `private`, `/docs/internal/` -> `docs/internal`; `/`
    is the site's root (`ROOT`), as in Plesk. An empty name is InvalidValue (1019)."""
    if not isinstance(name, str) or len(name) > 1024 or "\x00" in name or "\\" in name:
        raise InvalidValue(f"Invalid directory name: {name!r}")
    text = name.strip()
    if not text:
        raise InvalidValue("Invalid directory name: the name is empty")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InvalidValue(f"Invalid directory name: {name!r}")
    if not parts:
        if "/" not in text:  # `.` alone names nothing
            raise InvalidValue(f"Invalid directory name: {name!r}")
        return ROOT
    return "/".join(parts)


def check_login(login: Any) -> str:
    if not isinstance(login, str) or not _LOGIN.match(login.strip()):
        raise InvalidValue(f"Invalid value for 'login' specified: {login!r}")
    return login.strip()


def digest_of(password: Any, password_type: str | None) -> str:
    """What is kept of a password: an argon2 digest, or a crypt hash as given."""
    if password_type not in (None, "plain", "crypt"):
        raise InvalidValue(f"Invalid password type: {password_type!r}")
    secret = check_secret(password)
    if password_type == "crypt":  # noqa: S105 - a type name
        if not _CRYPT.match(secret):
            raise InvalidValue("Invalid value for 'password' specified")
        return "{crypt}" + secret
    return hash_password(secret)


def _location(values: Mapping[str, Any], current: Mapping[str, bool]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in LOCATION:
        if values.get(name) is not None:
            if not isinstance(values[name], bool):
                raise InvalidValue(f"Invalid value of {name}")
            out[name] = values[name]
    if not any({**current, **out}.values()):
        raise InvalidValue("At least one of ssl, nonssl and cgi must be true")
    return out


class ProtectedDirs:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_delete(self.purge)

    @staticmethod
    def _dir(row: Any) -> ProtectedDir:
        m = dict(row._mapping)
        for name in LOCATION:
            m[name] = bool(m[name])
        return ProtectedDir(**m)

    # -- directories ----------------------------------------------------------------

    def list(self, actor: Identity, site: Domain | None = None) -> list[ProtectedDir]:
        """Directories of sites the actor may see (of `site` only, when given), by id."""
        visible = {d.id for d in self._domains.list(actor)}
        q = sa.select(_P).order_by(_P.c.id)
        if site is not None:
            q = q.where(_P.c.domain_id == site.id)
        with self._db.read() as conn:
            return [p for p in map(self._dir, conn.execute(q)) if p.domain_id in visible]

    def get(self, actor: Identity, dir_id: int) -> ProtectedDir | None:
        with self._db.read() as conn:
            row = conn.execute(sa.select(_P).where(_P.c.id == dir_id)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._dir(row)

    def create(
        self,
        actor: Identity,
        site: Domain | None,
        name: str,
        *,
        header: str = "",
        location: Mapping[str, Any] | None = None,
    ) -> ProtectedDir:
        """Protect a directory of a site the actor may see. Raises OwnerNotFound
        (1015 `site is not found`, as Plesk), InvalidValue, AlreadyExists."""
        if site is None or self._domains.get(actor, site.id) is None:
            raise OwnerNotFound(SITE_NOT_FOUND)
        path = check_name(name)
        if not isinstance(header, str) or len(header) > 1024 or "\x00" in header:
            raise InvalidValue("Invalid header")
        where = _location(location or {}, {"ssl": True, "nonssl": True, "cgi": False})
        with self._db.begin() as conn:
            clash = sa.select(_P.c.id).where(_P.c.domain_id == site.id, _P.c.name == path)
            if conn.execute(clash).first() is not None:
                raise AlreadyExists(f"Protected directory {path!r} already exists.")
            new_id = conn.execute(
                _P.insert().values(
                    domain_id=site.id, name=path, header=header, created=iso(), **where
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            made = self._dir(conn.execute(sa.select(_P).where(_P.c.id == new_id)).one())
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

    def update(
        self, actor: Identity, pdir: ProtectedDir, values: Mapping[str, Any]
    ) -> ProtectedDir:
        """Change `name`, `header` and any of `ssl`, `nonssl`, `cgi`. Raises NotFound,
        InvalidValue (also when all three would be false), AlreadyExists."""
        if self.get(actor, pdir.id) is None:
            raise NotFound(NOT_FOUND)
        current = {name: bool(getattr(pdir, name)) for name in LOCATION}
        row: dict[str, Any] = dict(_location(values, current))
        if values.get("header") is not None:
            header = values["header"]
            if not isinstance(header, str) or len(header) > 1024 or "\x00" in header:
                raise InvalidValue("Invalid header")
            row["header"] = header
        if values.get("name") is not None:
            row["name"] = check_name(values["name"])
        if not row:
            return pdir
        with self._db.begin() as conn:
            if row.get("name", pdir.name) != pdir.name:
                clash = sa.select(_P.c.id).where(
                    _P.c.domain_id == pdir.domain_id, _P.c.name == row["name"]
                )
                if conn.execute(clash).first() is not None:
                    raise AlreadyExists(f"Protected directory {row['name']!r} already exists.")
            conn.execute(_P.update().where(_P.c.id == pdir.id).values(**row))
            out = self._dir(conn.execute(sa.select(_P).where(_P.c.id == pdir.id)).one())
            old, new = pdir.event_values(), out.event_values()
            events.record(
                conn,
                EVENT,
                events.UPDATE,
                obj_id=out.id,
                obj_name=out.name,
                actor=actor,
                old={k: v for k, v in old.items() if new[k] != v},
                new={k: v for k, v in new.items() if old[k] != v},
            )
        return out

    def delete(self, actor: Identity, pdir: ProtectedDir) -> ProtectedDir:
        """The directory and its users. Raises NotFound."""
        if self.get(actor, pdir.id) is None:
            raise NotFound(NOT_FOUND)
        with self._db.begin() as conn:
            conn.execute(_U.delete().where(_U.c.dir_id == pdir.id))
            if not conn.execute(_P.delete().where(_P.c.id == pdir.id)).rowcount:
                raise NotFound(NOT_FOUND)
            events.record(
                conn, EVENT, events.DELETE, obj_id=pdir.id, obj_name=pdir.name, actor=actor
            )
        return pdir

    # -- users ----------------------------------------------------------------------

    @staticmethod
    def _user(row: Any) -> DirUser:
        return DirUser(int(row.id), int(row.dir_id), str(row.login), str(row.created))

    def users(self, actor: Identity, pdir: ProtectedDir | None = None) -> builtins.list[DirUser]:
        """Users of directories the actor may see (of `pdir` only, when given)."""
        dirs = {p.id for p in self.list(actor)}
        q = sa.select(_U.c.id, _U.c.dir_id, _U.c.login, _U.c.created).order_by(_U.c.id)
        if pdir is not None:
            q = q.where(_U.c.dir_id == pdir.id)
        with self._db.read() as conn:
            return [u for u in map(self._user, conn.execute(q)) if u.dir_id in dirs]

    def user(self, actor: Identity, user_id: int) -> DirUser | None:
        found = [u for u in self.users(actor) if u.id == user_id]
        return found[0] if found else None

    def add_user(
        self,
        actor: Identity,
        pdir: ProtectedDir | None,
        login: str,
        password: str,
        password_type: str | None = None,
    ) -> DirUser:
        """Raises NotFound (the directory), InvalidValue, AlreadyExists."""
        if pdir is None or self.get(actor, pdir.id) is None:
            raise NotFound(NOT_FOUND)
        name = check_login(login)
        digest = digest_of(password, password_type)
        with self._db.begin() as conn:
            clash = sa.select(_U.c.id).where(_U.c.dir_id == pdir.id, _U.c.login == name)
            if conn.execute(clash).first() is not None:
                raise AlreadyExists(f"User {name!r} already exists.")
            new_id = conn.execute(
                _U.insert().values(dir_id=pdir.id, login=name, password_hash=digest, created=iso())
            ).inserted_primary_key[0]  # type: ignore[index]
            events.record(
                conn,
                USER_EVENT,
                events.CREATE,
                obj_id=int(new_id),
                obj_name=name,
                actor=actor,
                new={"login": name, "directory": pdir.name},
            )
        made = self.user(actor, int(new_id))
        assert made is not None
        return made

    def update_user(
        self,
        actor: Identity,
        user: DirUser,
        *,
        login: str | None = None,
        password: str | None = None,
        password_type: str | None = None,
    ) -> DirUser:
        """Raises NotFound, InvalidValue, AlreadyExists; nothing is written on any."""
        if self.user(actor, user.id) is None:
            raise NotFound(USER_NOT_FOUND)
        row: dict[str, Any] = {}
        if login is not None:
            row["login"] = check_login(login)
        if password is not None or password_type is not None:
            row["password_hash"] = digest_of(password, password_type)
        if not row:
            return user
        with self._db.begin() as conn:
            if "login" in row and row["login"] != user.login:
                clash = sa.select(_U.c.id).where(
                    _U.c.dir_id == user.dir_id, _U.c.login == row["login"]
                )
                if conn.execute(clash).first() is not None:
                    raise AlreadyExists(f"User {row['login']!r} already exists.")
            conn.execute(_U.update().where(_U.c.id == user.id).values(**row))
            changed = {"login": row["login"]} if "login" in row else {}
            if "password_hash" in row:
                changed["password"] = "changed"  # noqa: S105 - a marker
            events.record(
                conn,
                USER_EVENT,
                events.UPDATE,
                obj_id=user.id,
                obj_name=row.get("login", user.login),
                actor=actor,
                old={"login": user.login} if "login" in row else {},
                new=changed,
            )
        out = self.user(actor, user.id)
        assert out is not None
        return out

    def delete_user(self, actor: Identity, user: DirUser) -> DirUser:
        if self.user(actor, user.id) is None:
            raise NotFound(USER_NOT_FOUND)
        with self._db.begin() as conn:
            if not conn.execute(_U.delete().where(_U.c.id == user.id)).rowcount:
                raise NotFound(USER_NOT_FOUND)
            events.record(
                conn, USER_EVENT, events.DELETE, obj_id=user.id, obj_name=user.login, actor=actor
            )
        return user

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete the directories (and users) of these sites, in their transaction."""
        dirs = conn.execute(
            sa.select(_P.c.id, _P.c.name).where(_P.c.domain_id.in_(domain_ids))
        ).all()
        ids = [d.id for d in dirs]
        if not ids:
            return
        conn.execute(_U.delete().where(_U.c.dir_id.in_(ids)))
        conn.execute(_P.delete().where(_P.c.id.in_(ids)))
        for dir_id, name in dirs:
            events.record(conn, EVENT, events.DELETE, obj_id=dir_id, obj_name=name)
