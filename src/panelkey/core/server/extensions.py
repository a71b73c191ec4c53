"""Extensions: a fixed catalogue of what can be installed, and the installed ones with
their on/off state, kept in the store.

Installing needs no network: panelkey runs no extension code, it keeps the state
Plesk's API shows (`GET /extensions`, enable, disable, uninstall).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database

# id -> (name, version, release): what `POST /extensions` can install.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "letsencrypt": ("Let's Encrypt", "3.2.4", "1"),
    "sslit": ("SSL It!", "1.17.2", "1"),
    "wp-toolkit": ("WordPress Toolkit", "6.6.0", "1"),
    "git": ("Git", "2.5.4", "1"),
    "docker": ("Docker", "3.6.0", "1"),
    "firewall": ("Firewall", "2.2.1", "1"),
    "security-advisor": ("Security Advisor", "1.12.0", "1"),
    "nodejs": ("Node.js Toolkit", "2.5.0", "1"),
}
NOT_INSTALLED = "Extension does not exist"


@dataclass(frozen=True, slots=True)
class Extension:
    id: str
    name: str
    version: str
    release: str
    active: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _of(row: Any) -> Extension:
    name, version, release = CATALOGUE.get(row.id, (row.id, "", ""))
    return Extension(row.id, name, version, release, bool(row.active))


class Extensions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Extension]:
        """The installed extensions, in the order they were installed."""
        t = tables.extensions
        with self._db.read() as conn:
            return [_of(r) for r in conn.execute(sa.select(t).order_by(t.c.installed, t.c.id))]

    def get(self, ext_id: str) -> Extension | None:
        """The installed extension `ext_id`, or None."""
        t = tables.extensions
        with self._db.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == ext_id)).first()
        return None if row is None else _of(row)

    def install(self, actor: Identity, ext_id: str) -> Extension:
        """Install (and enable) `ext_id` from the catalogue; installing an installed one
        changes nothing. Raises InvalidValue (not in the catalogue), PermissionDenied."""
        if not actor.is_admin:
            raise PermissionDenied()
        if ext_id not in CATALOGUE:
            raise InvalidValue(f"Extension {ext_id!r} is not in the catalogue")
        with self._db.begin() as conn:
            t = tables.extensions
            if conn.execute(sa.select(t.c.id).where(t.c.id == ext_id)).first() is None:
                conn.execute(t.insert().values(id=ext_id, active=True, installed=iso()))
                events.record(conn, "extension", events.CREATE, 0, ext_id, actor)
        found = self.get(ext_id)
        assert found is not None
        return found

    def uninstall(self, actor: Identity, ext_id: str) -> None:
        """Raises NotFound (not installed), PermissionDenied."""
        if not actor.is_admin:
            raise PermissionDenied()
        with self._db.begin() as conn:
            t = tables.extensions
            if conn.execute(t.delete().where(t.c.id == ext_id)).rowcount == 0:
                raise NotFound(NOT_INSTALLED)
            events.record(conn, "extension", events.DELETE, 0, ext_id, actor)

    def set_active(self, actor: Identity, ext_id: str, active: bool) -> Extension:
        """Enable or disable an installed extension. Raises NotFound, PermissionDenied."""
        if not actor.is_admin:
            raise PermissionDenied()
        with self._db.begin() as conn:
            t = tables.extensions
            old = conn.execute(sa.select(t.c.active).where(t.c.id == ext_id)).scalar()
            if old is None:
                raise NotFound(NOT_INSTALLED)
            if bool(old) != active:
                conn.execute(t.update().where(t.c.id == ext_id).values(active=active))
                events.record(
                    conn, "extension", events.UPDATE, 0, ext_id, actor,
                    old={"active": bool(old)}, new={"active": active},
                )  # fmt: skip
        found = self.get(ext_id)
        assert found is not None
        return found
