"""Plesk's additional administrator accounts (server/add-admin-alias, set-admin-alias,
del-admin-alias): a login of their own, a password (kept as a hash), an e-mail, contact
name, comment and status.

Plesk lets such a login into its UI as the admin; panelkey serves no UI, and its API
logins stay the accounts and secret keys, so an alias is kept and checked (a login no
account or alias has, a valid e-mail) but logs in nowhere.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.access.passwords import hash_password
from panelkey.core.accounts.accounts import EMAIL_RE, Accounts, check_login
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.core.owned import Stored, exists
from panelkey.core.text import fits
from panelkey.store import tables
from panelkey.store.database import Database

ALIAS_NOT_FOUND = "Administrator alias does not exist"
EVENT_CLASS = "admin_alias"
FIELDS = ("login", "password", "email", "contact", "comment", "status")


@dataclass(frozen=True, slots=True)
class AdminAlias:
    id: int
    login: str
    email: str
    contact: str
    comment: str
    active: bool
    created: str

    def event_values(self) -> dict[str, str]:
        """What an event may show of an alias: never the password."""
        shown = {f: getattr(self, f) for f in ("login", "email", "contact", "comment")}
        return {**shown, "status": "true" if self.active else "false"}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise InvalidValue(f"Invalid status: {value!r}")
    return text in ("true", "1")


class AdminAliases(Stored[AdminAlias]):
    table = tables.admin_aliases
    record = AdminAlias
    event, not_found, name_column = EVENT_CLASS, ALIAS_NOT_FOUND, "login"

    def __init__(self, db: Database, accounts: Accounts) -> None:
        super().__init__(db)
        self._accounts = accounts

    def list(self, actor: Identity) -> builtins.list[AdminAlias]:
        """Every alias, oldest first. Raises PermissionDenied (not the admin)."""
        require_admin(actor)
        return self._rows(self._all.all())

    def add(self, actor: Identity, values: Mapping[str, Any]) -> AdminAlias:
        """A new alias from `login` and `password` (both required), `email`, `contact`,
        `comment`, `status`. Raises PermissionDenied, InvalidValue, AlreadyExists."""
        require_admin(actor)
        if not values.get("login") or not values.get("password"):
            raise InvalidValue("An administrator alias needs its login and password")
        row = self._checked(values)
        with self._db.begin() as conn:
            self._free(conn, row["login"], None)
            return self._insert(conn, actor, {"active": True, **row})

    def update(self, actor: Identity, login: str, values: Mapping[str, Any]) -> AdminAlias:
        """Change an alias (any of FIELDS). Raises PermissionDenied, NotFound,
        InvalidValue, AlreadyExists (a new login taken)."""
        require_admin(actor)
        row = self._checked(values)
        with self._db.begin() as conn:
            found = self._find(conn, login)
            if "login" in row:
                self._free(conn, row["login"], found.id)
            if row:
                conn.execute(self.table.update().where(self.table.c.id == found.id).values(**row))
            changed = self._fresh(conn, found.id)
            # the whole alias before and after, as a password change shows nothing else
            self._record(
                conn, events.UPDATE, changed, actor,
                old=found.event_values(), new=changed.event_values(),
            )  # fmt: skip
        return changed

    def delete(self, actor: Identity, login: str) -> None:
        """Remove an alias. Raises PermissionDenied, NotFound."""
        require_admin(actor)
        with self._db.begin() as conn:
            found = self._find(conn, login)
            self._remove(conn, actor, found, old=found.event_values())

    def _find(self, conn: sa.Connection, login: str) -> AdminAlias:
        t = self.table
        row = conn.execute(self._select.where(sa.func.lower(t.c.login) == login.lower())).first()
        if row is None:
            raise NotFound(ALIAS_NOT_FOUND)
        return self._row(row)

    def _free(self, conn: sa.Connection, login: str, own_id: int | None) -> None:
        """AlreadyExists when an account or another alias has `login`."""
        t = self.table
        same = sa.func.lower(t.c.login) == login.lower()
        taken = exists(conn, t, same, t.c.id != (own_id or 0))
        if taken or self._accounts.by_login(login, conn) is not None:
            raise AlreadyExists(f"Login {login!r} is already taken.")

    @staticmethod
    def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in ("email", "contact", "comment"):
            value = values.get(name)
            if value is not None:
                if not fits(value):
                    raise InvalidValue(f"Invalid value of {name}")
                row[name] = value
        if row.get("email") and not EMAIL_RE.match(row["email"]):
            raise InvalidValue(f"Invalid email address: {row['email']!r}")
        if values.get("login") is not None:
            row["login"] = check_login(values["login"])
        if values.get("password") is not None:
            password = values["password"]
            if not fits(password) or not password:
                raise InvalidValue("Invalid password")
            row["password"] = hash_password(password)
        if values.get("status") is not None:
            row["active"] = _flag(values["status"])
        return row
