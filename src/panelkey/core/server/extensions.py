"""Extensions: a fixed catalogue of what can be installed, and the installed ones with
their on/off state, kept in the store.

Installing needs no network: panelkey runs no extension code, it keeps the state
Plesk's API shows (`GET /extensions`, enable, disable, uninstall; XML `extension`).
The one exception is panelkey's own test extension, `panelkey-test`: its XML API
operations (`extension/call`) answer with their own arguments, so that a client can
try a call end to end.
"""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.core.identity import Identity, require_admin
from panelkey.store import tables
from panelkey.store.database import Database

TEST_EXTENSION = "panelkey-test"
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
    TEST_EXTENSION: ("panelkey test extension", "1.0.0", "1"),
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

    def installed(self, actor: Identity) -> builtins.list[Extension]:
        """`list` for a caller: the admin only. Raises PermissionDenied."""
        require_admin(actor)
        return self.list()

    def get(self, ext_id: str) -> Extension | None:
        """The installed extension `ext_id`, or None."""
        t = tables.extensions
        with self._db.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == ext_id)).first()
        return None if row is None else _of(row)

    def install(self, actor: Identity, ext_id: str) -> Extension:
        """Install (and enable) `ext_id` from the catalogue; installing an installed one
        changes nothing. Raises InvalidValue (not in the catalogue), PermissionDenied."""
        require_admin(actor)
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
        require_admin(actor)
        with self._db.begin() as conn:
            t = tables.extensions
            if conn.execute(t.delete().where(t.c.id == ext_id)).rowcount == 0:
                raise NotFound(NOT_INSTALLED)
            events.record(conn, "extension", events.DELETE, 0, ext_id, actor)

    def set_active(self, actor: Identity, ext_id: str, active: bool) -> Extension:
        """Enable or disable an installed extension. Raises NotFound, PermissionDenied."""
        require_admin(actor)
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

    def id_of_url(self, url: str) -> str:
        """The catalogue extension a download URL names: its file name less `.zip`
        (`https://example.com/ext/letsencrypt.zip` is `letsencrypt`); panelkey fetches
        nothing. Raises InvalidValue for a URL naming none."""
        path = url.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
        name = path.rsplit("/", 1)[-1].removesuffix(".zip")
        if "://" not in url or name not in CATALOGUE:
            raise InvalidValue(
                f"Unable to install the extension from {url.strip()!r}: "
                "the URL must name a file of the catalogue (<id>.zip)"
            )
        return name

    def call(self, actor: Identity, ext_id: str) -> Extension:
        """The installed, enabled extension a call names, when panelkey runs its code:
        TEST_EXTENSION only. Raises PermissionDenied, NotFound (not installed),
        PanelkeyError (disabled, or an extension whose code panelkey does not run)."""
        require_admin(actor)
        found = self.get(ext_id)
        if found is None:
            raise NotFound(NOT_INSTALLED)
        if not found.active:
            raise PanelkeyError(f"Extension {ext_id} is disabled")
        if ext_id != TEST_EXTENSION:
            raise PanelkeyError(f"Extension {ext_id} has no XML API operations in panelkey")
        return found
