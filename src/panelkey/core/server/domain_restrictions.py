"""Domain names only the admin may take (server/domain-restriction-*): Plesk's list of
restricted names, and whether it applies.

While the list applies, a reseller or customer may not create a subscription or site
named by it, or a name under it (`shop.example.com` under `example.com`), nor rename one
to such a name: Domains asks `check` before it writes (core/domains/domains.py). The
admin is not restricted.
"""

from __future__ import annotations

import builtins

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.domains.domains import normalise_name
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import Identity, require_admin
from panelkey.core.owned import exists
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

KIND, OBJECT, ENABLED = "server", 0, "domain_restriction.enabled"
RESTRICTION_NOT_FOUND = "Domain restriction does not exist"
EVENT_CLASS = "domain_restriction"
_R = tables.domain_restrictions


def restricted(name: str) -> str:
    return f"The domain name {name} is restricted by the administrator"


class DomainRestrictions:
    def __init__(self, db: Database, properties: Properties) -> None:
        self._db = db
        self._properties = properties

    def enabled(self) -> bool:
        return self._properties.get(KIND, OBJECT).get(ENABLED) == "true"

    def list(self, actor: Identity) -> builtins.list[str]:
        """The restricted names (ASCII form), sorted. Raises PermissionDenied."""
        require_admin(actor)
        return self._names()

    def _names(self) -> builtins.list[str]:
        with self._db.read() as conn:
            return [r.name for r in conn.execute(sa.select(_R.c.name).order_by(_R.c.name))]

    def add(self, actor: Identity, name: str) -> str:
        """Restrict a name: its ASCII form. Raises PermissionDenied, InvalidValue,
        AlreadyExists."""
        require_admin(actor)
        _, ascii_name = normalise_name(name)
        with self._db.begin() as conn:
            if self._has(conn, ascii_name):
                raise AlreadyExists(f"Domain restriction {ascii_name!r} already exists.")
            conn.execute(_R.insert().values(name=ascii_name, created=iso()))
            self._event(conn, actor, events.CREATE, ascii_name)
        return ascii_name

    def remove(self, actor: Identity, name: str) -> None:
        """Raises PermissionDenied, NotFound."""
        require_admin(actor)
        with self._db.begin() as conn:
            ascii_name = self._known(conn, name)
            conn.execute(_R.delete().where(_R.c.name == ascii_name))
            self._event(conn, actor, events.DELETE, ascii_name)

    def rename(self, actor: Identity, name: str, new_name: str) -> str:
        """Raises PermissionDenied, NotFound, InvalidValue, AlreadyExists."""
        require_admin(actor)
        _, new_ascii = normalise_name(new_name)
        with self._db.begin() as conn:
            ascii_name = self._known(conn, name)
            if new_ascii != ascii_name and self._has(conn, new_ascii):
                raise AlreadyExists(f"Domain restriction {new_ascii!r} already exists.")
            conn.execute(_R.update().where(_R.c.name == ascii_name).values(name=new_ascii))
            self._event(conn, actor, events.UPDATE, new_ascii, ascii_name)
        return new_ascii

    def enable(self, actor: Identity, on: bool) -> None:
        """Make the list apply, or not. Raises PermissionDenied."""
        require_admin(actor)
        with self._db.begin() as conn:
            self._properties.set(KIND, OBJECT, {ENABLED: "true" if on else "false"}, conn)
            self._event(conn, actor, events.UPDATE, "", None, {"enabled": str(on).lower()})

    def check(self, actor: Identity, ascii_name: str) -> None:
        """Before a domain is made or renamed: PermissionDenied when the list applies,
        the actor is not the admin and the name is restricted or under a restricted name."""
        if actor.is_admin or not self.enabled():
            return
        labels = ascii_name.lower().split(".")
        wanted = {".".join(labels[i:]) for i in range(len(labels) - 1)}
        with self._db.read() as conn:
            hit = conn.execute(sa.select(_R.c.name).where(_R.c.name.in_(wanted))).first()
        if hit is not None:
            raise PermissionDenied(restricted(ascii_name))

    @staticmethod
    def _has(conn: sa.Connection, ascii_name: str) -> bool:
        return exists(conn, _R, _R.c.name == ascii_name)

    def _known(self, conn: sa.Connection, name: str) -> str:
        try:
            _, ascii_name = normalise_name(name)
        except InvalidValue:  # a name that is no domain name is restricted by nothing
            raise NotFound(RESTRICTION_NOT_FOUND) from None
        if not self._has(conn, ascii_name):
            raise NotFound(RESTRICTION_NOT_FOUND)
        return ascii_name

    @staticmethod
    def _event(
        conn: sa.Connection,
        actor: Identity,
        what: str,
        name: str,
        old: str | None = None,
        new: dict[str, str] | None = None,
    ) -> None:
        shown = new if new is not None else ({"name": name} if what != events.DELETE else None)
        events.record(
            conn,
            EVENT_CLASS,
            what,
            obj_name=name,
            actor=actor,
            old={"name": old} if old else None,
            new=shown,
        )
