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

from panelkey.core import events, patterns
from panelkey.core.access.passwords import hash_password
from panelkey.core.content.ftp_users import check_secret
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, OwnerNotFound
from panelkey.core.identity import Identity
from panelkey.core.owned import Findable, Ids, Named
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

EVENT, USER_EVENT = "protected_dir", "protected_dir_user"
NOT_FOUND = "Protected URL is not found"
USER_NOT_FOUND = "User is not found"
SITE_NOT_FOUND = "site is not found"
LOCATION = ("ssl", "nonssl", "cgi")
_LOGIN = patterns.compiled(patterns.LOGIN)
_CRYPT = re.compile(r"^[A-Za-z0-9./$=+-]{2,255}$")
_P, _U = tables.protected_dirs, tables.protected_dir_users


@dataclass(frozen=True, slots=True)
class ProtectedDir(Named):
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


def _header(header: Any) -> str:
    if not isinstance(header, str) or len(header) > 1024 or "\x00" in header:
        raise InvalidValue("Invalid header")
    return header


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


def _user_reads() -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """The users of every directory, of one, and one by id."""
    v: sa.BindParameter[Any] = sa.bindparam("v")
    users = sa.select(_U.c.id, _U.c.dir_id, _U.c.login, _U.c.created).order_by(_U.c.id)
    return users, users.where(_U.c.dir_id == v), users.where(_U.c.id == v)


class ProtectedDirs(Findable[ProtectedDir]):
    table = _P
    record = ProtectedDir
    event, not_found = EVENT, NOT_FOUND

    def __init__(self, db: Database, domains: Domains) -> None:
        super().__init__(db, domains)
        # the users' reads, built and compiled once as the directories' are
        users, users_of, user_by_id = built((ProtectedDirs, "users"), _user_reads)
        self._users = db.prepare(users)
        self._users_of = db.prepare(users_of)
        self._user_by_id = db.prepare(user_by_id)

    def _children(self, conn: sa.Connection, actor: Identity | None, ids: Ids) -> None:
        conn.execute(_U.delete().where(_U.c.dir_id.in_(ids)))

    # -- directories ----------------------------------------------------------------

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
        site = self._parent(actor, site, OwnerNotFound(SITE_NOT_FOUND))
        path = check_name(name)
        row = {"domain_id": site.id, "name": path, "header": _header(header)}
        row.update(_location(location or {}, {"ssl": True, "nonssl": True, "cgi": False}))
        with self._db.begin() as conn:
            self._free(conn, site.id, path)
            return self._insert(conn, actor, row)

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
            row["header"] = _header(values["header"])
        if values.get("name") is not None:
            row["name"] = check_name(values["name"])
        if not row:
            return pdir
        with self._db.begin() as conn:
            if row.get("name", pdir.name) != pdir.name:
                self._free(conn, pdir.domain_id, row["name"])
            return self._update(conn, actor, pdir, row)

    @staticmethod
    def _free(conn: sa.Connection, site_id: int, path: str) -> None:
        clash = sa.select(_P.c.id).where(_P.c.domain_id == site_id, _P.c.name == path)
        if conn.execute(clash).first() is not None:
            raise AlreadyExists(f"Protected directory {path!r} already exists.")

    # -- users ----------------------------------------------------------------------

    def users(self, actor: Identity, pdir: ProtectedDir | None = None) -> builtins.list[DirUser]:
        """Users of directories the actor may see (of `pdir` only, when given), by id."""
        if pdir is not None:
            rows = self._users_of.all(v=pdir.id) if self.get(actor, pdir.id) else []
        else:
            dirs = {p.id for p in self.list(actor)}
            rows = [r for r in self._users.all() if r[1] in dirs]
        return [DirUser(*r) for r in rows]

    def user(self, actor: Identity, user_id: int) -> DirUser | None:
        """A user of a directory the actor may see, else None."""
        row = self._user_by_id.first(v=user_id)
        return None if row is None or self.get(actor, row[1]) is None else DirUser(*row)

    @staticmethod
    def _user_free(conn: sa.Connection, dir_id: int, login: str) -> None:
        clash = sa.select(_U.c.id).where(_U.c.dir_id == dir_id, _U.c.login == login)
        if conn.execute(clash).first() is not None:
            raise AlreadyExists(f"User {login!r} already exists.")

    @staticmethod
    def _user_event(
        conn: sa.Connection, what: str, user: DirUser, actor: Identity, **values: Any
    ) -> None:
        events.record(conn, USER_EVENT, what, user.id, user.login, actor, **values)

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
            self._user_free(conn, pdir.id, name)
            new_id = insert(conn, _U, dir_id=pdir.id, login=name, password_hash=digest)
            made = DirUser(*(self._user_by_id.first(conn, v=new_id) or ()))
            self._user_event(
                conn, events.CREATE, made, actor, new={"login": name, "directory": pdir.name}
            )
        return made

    def update_user(
        self, actor: Identity, user: DirUser, *, login: str | None = None,
        password: str | None = None, password_type: str | None = None,
    ) -> DirUser:  # fmt: skip
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
        renamed = "login" in row
        told = {"login": row["login"]} if renamed else {}
        if "password_hash" in row:
            told["password"] = "changed"  # noqa: S105 - a marker
        with self._db.begin() as conn:
            if renamed and row["login"] != user.login:
                self._user_free(conn, user.dir_id, row["login"])
            conn.execute(_U.update().where(_U.c.id == user.id).values(**row))
            out = DirUser(*(self._user_by_id.first(conn, v=user.id) or ()))
            old = {"login": user.login} if renamed else {}
            self._user_event(conn, events.UPDATE, out, actor, old=old, new=told)
        return out

    def delete_user(self, actor: Identity, user: DirUser) -> DirUser:
        if self.user(actor, user.id) is None:
            raise NotFound(USER_NOT_FOUND)
        with self._db.begin() as conn:
            if not conn.execute(_U.delete().where(_U.c.id == user.id)).rowcount:
                raise NotFound(USER_NOT_FOUND)
            self._user_event(conn, events.DELETE, user, actor)
        return user
