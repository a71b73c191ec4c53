"""Site aliases (Plesk's domain aliases): other names of a site, with what they serve.

An alias belongs to one site and is reached through it: whoever may see the site may
see and change its aliases (the admin all, a reseller its customers', a customer its
own); any other alias is as if it did not exist. A name is one name server-wide:
an alias may not take a domain's, a subdomain's or another alias's name (`taken`).
Each write is a `domain_alias_<create|update|delete>` event in its transaction; an
alias goes with its site (`purge`, run by `Domains.delete`).

An alias's ICP permit (China's licence for a site: `icp_status`, approved or not, and
`icp_permit`, its number) is kept only to be answered back, in `panel.properties`
(kind `site_alias`): panelkey serves no licence check.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.domains.domains import Domain, Domains, normalise_name
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

EVENT = "domain_alias"
NOT_FOUND = "Site alias does not exist"
# Plesk's alias status: 0 enabled, 1 or 8 disabled, 2 and 3 the site disabled too.
STATUSES = (0, 1, 2, 3, 8)
PREFS = ("web", "mail", "tomcat", "seo_redirect")
ICP = ("icp_status", "icp_permit")
KIND = "site_alias"  # of its rows in panel.properties
_MAX_PERMIT = 255
_A = tables.site_aliases


@dataclass(frozen=True, slots=True)
class Icp:
    """An alias's ICP permit as set (never set: not approved, no number)."""

    status: bool = False
    permit: str = ""


@dataclass(frozen=True, slots=True)
class SiteAlias:
    id: int
    domain_id: int
    name: str
    ascii_name: str
    status: int
    web: bool
    mail: bool
    tomcat: bool
    seo_redirect: bool
    manage_dns: bool
    created: str

    def event_values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "status", *PREFS, "manage_dns")}


def taken(conn: sa.Connection, ascii_name: str, *, alias_id: int | None = None) -> bool:
    """Whether a domain, a subdomain or another alias already has this name."""
    d, s = tables.domains, tables.subdomains
    if conn.execute(sa.select(d.c.id).where(d.c.ascii_name == ascii_name)).first():
        return True
    if conn.execute(sa.select(s.c.id).where(s.c.ascii_name == ascii_name)).first():
        return True
    q = sa.select(_A.c.id).where(_A.c.ascii_name == ascii_name)
    if alias_id is not None:
        q = q.where(_A.c.id != alias_id)
    return conn.execute(q).first() is not None


def _icp(values: Mapping[str, Any]) -> dict[str, str]:
    """The properties a change sets: `icp_status` (a boolean) and `icp_permit` (text).
    Raises InvalidValue."""
    out: dict[str, str] = {}
    status, permit = values.get("icp_status"), values.get("icp_permit")
    if status is not None:
        if not isinstance(status, bool):
            raise InvalidValue("Invalid value of icp_status")
        out["icp_status"] = "true" if status else "false"
    if permit is not None:
        if not isinstance(permit, str) or len(permit) > _MAX_PERMIT or "\x00" in permit:
            raise InvalidValue("Invalid value of icp_permit")
        out["icp_permit"] = permit.strip()
    return out


def check_ascii_name(text: str, ascii_name: str, asked: Any) -> None:
    """`asked` (Plesk's `ascii-name`, when given) must be the name's ASCII form.
    Raises InvalidValue."""
    if asked is None:
        return
    if not isinstance(asked, str) or asked.strip().rstrip(".").lower() != ascii_name:
        raise InvalidValue(f"The ASCII name {asked!r} is not the ASCII form of {text!r}")


def _values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a change sets: `status` (a Plesk code) and booleans for the prefs
    and `manage_dns`. Raises InvalidValue."""
    row: dict[str, Any] = {}
    if values.get("status") is not None:
        status = values["status"]
        if isinstance(status, str) and status.strip().isdigit():
            status = int(status.strip())
        if not isinstance(status, int) or isinstance(status, bool) or status not in STATUSES:
            raise InvalidValue(f"Invalid site alias status: {values['status']!r}")
        row["status"] = status
    for name in (*PREFS, "manage_dns"):
        if values.get(name) is not None:
            if not isinstance(values[name], bool):
                raise InvalidValue(f"Invalid value of {name}")
            row[name] = values[name]
    return row


class SiteAliases:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        self._properties = Properties(db)
        domains.on_delete(self.purge)
        # The reads of every domain listing, compiled once (store/prepared.py).
        self._all = db.prepare(sa.select(_A).order_by(_A.c.id))
        self._of_site = db.prepare(
            sa.select(_A).where(_A.c.domain_id == sa.bindparam("v")).order_by(_A.c.id)
        )

    @staticmethod
    def _row(row: Any) -> SiteAlias:
        m = (
            dict(zip(_A.c.keys(), row, strict=True))
            if isinstance(row, tuple)
            else dict(row._mapping)
        )
        for name in (*PREFS, "manage_dns"):
            m[name] = bool(m[name])
        return SiteAlias(**m)

    def list(self, actor: Identity, site: Domain | None = None) -> list[SiteAlias]:
        """The aliases of sites the actor may see (of `site` only, when given), by id."""
        if site is not None:
            # One site: one indexed read for the right to see it, not a list of them all.
            if self._domains.get(actor, site.id) is None:
                return []
            return [self._row(r) for r in self._of_site.all(v=site.id)]
        visible = {d.id for d in self._domains.list(actor)}
        return [self._row(r) for r in self._all.all() if r[1] in visible]

    def of_sites(self, site_ids: builtins.set[int]) -> dict[int, builtins.list[SiteAlias]]:
        """The aliases of these sites, by site, oldest first: for a listing of domains the
        caller has read already (and so may see), in one read."""
        found: dict[int, builtins.list[SiteAlias]] = {}
        for row in self._all.all():
            if row[1] in site_ids:
                found.setdefault(row[1], []).append(self._row(row))
        return found

    def icp(self, alias: SiteAlias) -> Icp:
        """The ICP permit as set on an alias the caller has read already."""
        kept = self._properties.get(KIND, alias.id)
        return Icp(kept.get("icp_status") == "true", kept.get("icp_permit", ""))

    def get(self, actor: Identity, alias_id: int) -> SiteAlias | None:
        """An alias of a site the actor may see, else None."""
        with self._db.read() as conn:
            row = conn.execute(sa.select(_A).where(_A.c.id == alias_id)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def by_name(self, actor: Identity, name: str) -> SiteAlias | None:
        try:
            _text, ascii_name = normalise_name(name)
        except InvalidValue:
            return None
        with self._db.read() as conn:
            row = conn.execute(sa.select(_A).where(_A.c.ascii_name == ascii_name)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def create(
        self, actor: Identity, site: Domain, name: str, values: Mapping[str, Any] | None = None
    ) -> SiteAlias:
        """A new alias of a site the actor may see; `values` as `update` takes them, and
        `ascii_name` (checked against the name's ASCII form). Raises NotFound (the
        site), InvalidValue (name, status, ICP), AlreadyExists (the name is taken)."""
        if self._domains.get(actor, site.id) is None:
            raise NotFound("Site does not exist")
        text, ascii_name = normalise_name(name)
        check_ascii_name(text, ascii_name, (values or {}).get("ascii_name"))
        row, icp = _values(values or {}), _icp(values or {})
        with self._db.begin() as conn:
            if taken(conn, ascii_name):
                raise AlreadyExists(f"Domain {text!r} already exists.")
            new_id = conn.execute(
                _A.insert().values(
                    domain_id=site.id, name=text, ascii_name=ascii_name, created=iso(), **row
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            made = self._row(conn.execute(sa.select(_A).where(_A.c.id == new_id)).one())
            self._properties.set(KIND, made.id, icp, conn)
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

    def update(self, actor: Identity, alias: SiteAlias, values: Mapping[str, Any]) -> SiteAlias:
        """Change `status`, the prefs (`web`, `mail`, `tomcat`, `seo_redirect`),
        `manage_dns`, the ICP permit (`icp_status`, `icp_permit`) or the name (`name`).
        Raises NotFound, InvalidValue, AlreadyExists; on any of them nothing is written."""
        if self.get(actor, alias.id) is None:
            raise NotFound(NOT_FOUND)
        row, icp = _values(values), _icp(values)
        if values.get("name") is not None:
            row["name"], row["ascii_name"] = normalise_name(values["name"])
        if not row and not icp:
            return alias
        with self._db.begin() as conn:
            if "ascii_name" in row and taken(conn, row["ascii_name"], alias_id=alias.id):
                raise AlreadyExists(f"Domain {row['name']!r} already exists.")
            if row:
                conn.execute(_A.update().where(_A.c.id == alias.id).values(**row))
            self._properties.set(KIND, alias.id, icp, conn)
            out = self._row(conn.execute(sa.select(_A).where(_A.c.id == alias.id)).one())
            old, new = alias.event_values(), out.event_values()
            events.record(
                conn,
                EVENT,
                events.UPDATE,
                obj_id=alias.id,
                obj_name=out.name,
                actor=actor,
                old={k: v for k, v in old.items() if new[k] != v},
                new={k: v for k, v in new.items() if old[k] != v},
            )
        return out

    def delete(self, actor: Identity, alias: SiteAlias) -> SiteAlias:
        """Raises NotFound for an alias the actor may not see or that is gone."""
        if self.get(actor, alias.id) is None:
            raise NotFound(NOT_FOUND)
        with self._db.begin() as conn:
            if not conn.execute(_A.delete().where(_A.c.id == alias.id)).rowcount:
                raise NotFound(NOT_FOUND)
            self._properties.purge(KIND, alias.id, conn)
            events.record(
                conn, EVENT, events.DELETE, obj_id=alias.id, obj_name=alias.name, actor=actor
            )
        return alias

    def purge(self, conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete the aliases of these domains, in the domains' delete transaction."""
        gone = conn.execute(
            sa.select(_A.c.id, _A.c.name).where(_A.c.domain_id.in_(domain_ids))
        ).all()
        conn.execute(_A.delete().where(_A.c.domain_id.in_(domain_ids)))
        for alias_id, name in gone:
            self._properties.purge(KIND, alias_id, conn)
            events.record(conn, EVENT, events.DELETE, obj_id=alias_id, obj_name=name)
