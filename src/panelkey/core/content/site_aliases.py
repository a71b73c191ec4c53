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

from panelkey.core.domains.domains import Domain, normalise_name, taken
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.owned import Findable, Named
from panelkey.core.text import fits
from panelkey.store import tables

EVENT = "domain_alias"
NOT_FOUND = "Site alias does not exist"
# Plesk's alias status: 0 enabled, 1 or 8 disabled, 2 and 3 the site disabled too.
STATUSES = (0, 1, 2, 3, 8)
PREFS = ("web", "mail", "tomcat", "seo_redirect")
ICP = ("icp_status", "icp_permit")
KIND = "site_alias"  # of its rows in panel.properties
_A = tables.site_aliases


@dataclass(frozen=True, slots=True)
class Icp:
    """An alias's ICP permit as set (never set: not approved, no number)."""

    status: bool = False
    permit: str = ""


@dataclass(frozen=True, slots=True)
class SiteAlias(Named):
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
        if not fits(permit) or "\x00" in permit:
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


class SiteAliases(Findable[SiteAlias]):
    table = _A
    record = SiteAlias
    event, not_found, name_column, kind = EVENT, NOT_FOUND, "ascii_name", KIND

    def _key(self, name: str) -> str | None:
        try:
            return normalise_name(name)[1]
        except InvalidValue:
            return None

    def of_sites(self, site_ids: builtins.set[int]) -> dict[int, builtins.list[SiteAlias]]:
        """The aliases of these sites, by site, oldest first: for a listing of domains the
        caller has read already (and so may see), in one read."""
        found: dict[int, builtins.list[SiteAlias]] = {}
        for row in self._all.all():
            if row[self._parent_at] in site_ids:
                found.setdefault(row[self._parent_at], []).append(self._row(row))
        return found

    def icp(self, alias: SiteAlias) -> Icp:
        """The ICP permit as set on an alias the caller has read already."""
        kept = self._properties.get(KIND, alias.id)
        return Icp(kept.get("icp_status") == "true", kept.get("icp_permit", ""))

    def create(
        self, actor: Identity, site: Domain, name: str, values: Mapping[str, Any] | None = None
    ) -> SiteAlias:
        """A new alias of a site the actor may see; `values` as `update` takes them, and
        `ascii_name` (checked against the name's ASCII form). Raises NotFound (the
        site), InvalidValue (name, status, ICP), AlreadyExists (the name is taken)."""
        site = self._parent(actor, site, NotFound("Site does not exist"))
        text, ascii_name = normalise_name(name)
        check_ascii_name(text, ascii_name, (values or {}).get("ascii_name"))
        row, icp = _values(values or {}), _icp(values or {})
        with self._db.begin() as conn:
            if taken(conn, ascii_name):
                raise AlreadyExists(f"Domain {text!r} already exists.")
            row.update(domain_id=site.id, name=text, ascii_name=ascii_name)
            made = self._insert(conn, actor, row)
            self._properties.set(KIND, made.id, icp, conn)
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
            self._properties.set(KIND, alias.id, icp, conn)
            return self._update(conn, actor, alias, row)
