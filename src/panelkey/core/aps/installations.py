"""Applications installed on a site or a subdomain (aps/install): kept, never run.

A database password and any setting whose name says password are not kept: panelkey
writes no application, so it has nothing to give them to, and secrets are never stored
in clear. An installation goes with its site, its subdomain or its package.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from panelkey.core.aps.packages import Package
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import AlreadyExists, InvalidValue
from panelkey.core.identity import Identity, require_admin
from panelkey.core.owned import Owned, Row, exists
from panelkey.core.text import fits
from panelkey.store import tables

EVENT = "aps_application"
DATABASE_FIELDS = ("name", "login", "server", "prefix")
_SECRET = re.compile(r"pass(?:wd|word)?", re.I)
_LOCATION = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")


@dataclass(frozen=True, slots=True)
class Installation:
    id: int
    package_id: int
    domain_id: int
    subdomain_id: int | None
    location: str
    ssl: bool
    database: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    created: str = ""

    def event_values(self) -> dict[str, Any]:
        return {"location": self.location, "ssl": self.ssl}


def check_location(value: str | None) -> str:
    """A path under the site's root, without its slashes ('' for the root itself).
    Raises InvalidValue."""
    path = (value or "").strip().strip("/")
    if path and (
        not fits(path)
        or not _LOCATION.match(path)
        or any(part in (".", "..") for part in path.split("/"))
    ):
        raise InvalidValue(f"Invalid installation location {value!r}")
    return path


def is_secret(name: str) -> bool:
    return _SECRET.search(name) is not None


class Installations(Owned[Installation]):
    """Only the admin installs; an installation goes with its site without an event of
    its own, as with its subdomain or its package (the store's cascades)."""

    table = tables.aps_installations
    record = Installation
    event, not_found, name_column = EVENT, "Installation does not exist", "location"
    purge_events = False

    def _row(self, values: Row) -> Installation:
        m = dict(zip(self.columns, values, strict=True))
        m["database"], m["settings"] = json.loads(m["database"]), json.loads(m["settings"])
        return Installation(**m)

    def install(
        self,
        actor: Identity,
        domain: Domain,
        package: Package,
        *,
        subdomain_id: int | None = None,
        location: str | None = None,
        ssl: bool = False,
        database: Mapping[str, str] | None = None,
        settings: Iterable[tuple[str, str]] = (),
    ) -> Installation:
        """Record `package` installed at `location` of the site (or of its subdomain).
        Raises PermissionDenied, InvalidValue, AlreadyExists (something is installed
        there already)."""
        require_admin(actor)
        path = check_location(location)
        kept_db = {k: str(v).strip() for k, v in (database or {}).items() if k in DATABASE_FIELDS}
        kept = {}
        for name, value in settings:
            if not name.strip():
                raise InvalidValue("A setting has no name")
            if not is_secret(name):
                kept[name.strip()] = value
        t = self.table
        with self._db.begin() as conn:
            same = sa.and_(
                t.c.domain_id == domain.id,
                t.c.location == path,
                t.c.subdomain_id.is_(None)
                if subdomain_id is None
                else t.c.subdomain_id == subdomain_id,
            )
            if exists(conn, t, same):
                raise AlreadyExists(f"An application is already installed at /{path}")
            row = {
                "package_id": package.id,
                "domain_id": domain.id,
                "subdomain_id": subdomain_id,
                "location": path,
                "ssl": ssl,
                "database": json.dumps(kept_db, sort_keys=True),
                "settings": json.dumps(kept, sort_keys=True),
            }
            name = f"{package.name} on {domain.name}/{path}"
            told = {"package": package.name, "location": path, "ssl": ssl}
            return self._insert(conn, actor, row, name=name, new=told)

    def of_domains(self, domain_ids: Iterable[int]) -> builtins.list[Installation]:
        """The installations on these sites (and their subdomains), oldest first."""
        ids = builtins.list(domain_ids)
        if not ids:
            return []
        t = self.table
        q = sa.select(*(t.c[c] for c in self.columns)).where(t.c.domain_id.in_(ids))
        with self._db.read() as conn:
            return self._rows(conn.execute(q.order_by(t.c.id)).all())
