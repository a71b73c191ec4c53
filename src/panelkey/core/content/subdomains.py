"""Subdomains: `forum` of site `example.com` is `forum.example.com`, in its subscription.

A subdomain is reached through its parent site: whoever may see the site may see and
change its subdomains; any other is as if it did not exist. Its full name is one name
server-wide (`domains.taken`). Hosting properties are a settings block
(`PROPERTIES`, as data): unknown names and bad values are InvalidValue. Each write is a
`subdomain_<create|update|delete>` event in its transaction; subdomains go with their
site or subscription (`purge`, run by `Domains.delete`).
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from panelkey.core.domains.domains import Domain, check_www_root, normalise_name, taken
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PanelkeyError,
)
from panelkey.core.identity import Identity
from panelkey.core.owned import Findable, Row
from panelkey.core.plans.settings import HOSTING, Block
from panelkey.store import tables

EVENT = "subdomain"
NOT_FOUND = "Subdomain does not exist"
PARENT_NOT_FOUND = "Parent site/subdomain is not found"
# A subdomain's hosting properties: the site's, but for what belongs to a subscription.
PROPERTIES = Block(
    "subdomain",
    tuple(
        s
        for s in HOSTING.settings
        if s.name not in ("ftp_login", "ftp_password", "ftp_quota", "shell", "certificate_name")
    ),
)
_S = tables.subdomains


@dataclass(frozen=True, slots=True)
class Subdomain:
    id: int
    domain_id: int
    webspace_id: int
    name: str
    ascii_name: str
    created: str
    properties: dict[str, str] = field(default_factory=dict)

    def event_values(self) -> dict[str, Any]:
        return {"name": self.ascii_name, **self.properties}


def check_properties(values: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Canonical property values; `www_root` is a path inside the subscription."""
    out = PROPERTIES.check(values)
    if "www_root" in out:
        root = check_www_root(out["www_root"].strip())
        out["www_root"] = root if root.startswith("/") else "/" + root
    return out


def _label(text: str, parent: Domain) -> str:
    """The labels of a full name that are the subdomain's own."""
    return text.removesuffix("." + parent.name).removesuffix("." + parent.ascii_name)


def _full_name(label: str, parent: Domain) -> tuple[str, str]:
    text = (label or "").strip().rstrip(".").lower()
    if not text or text.endswith("." + parent.ascii_name) or text == parent.ascii_name:
        raise InvalidValue(f"Invalid subdomain name: {label!r}")
    return normalise_name(f"{text}.{parent.ascii_name}")


class Subdomains(Findable[Subdomain]):
    table = _S
    columns = ("id", "domain_id", "webspace_id", "name", "ascii_name", "created", "properties")
    event, not_found, name_column = EVENT, NOT_FOUND, "ascii_name"

    def _row(self, values: Row) -> Subdomain:
        sub_id, site_id, webspace_id, name, ascii_name, created, kept = values
        props = json.loads(kept or "{}")
        return Subdomain(sub_id, site_id, webspace_id, name, ascii_name, created, props)

    def _key(self, name: str) -> str | None:
        """By full name (`forum.example.com`), in either form."""
        try:
            return normalise_name(name)[1]
        except InvalidValue:
            return None

    def _purged(self, domain_ids: builtins.list[int]) -> Any:
        # a subscription takes along the subdomains of every site in it
        return sa.or_(_S.c.domain_id.in_(domain_ids), _S.c.webspace_id.in_(domain_ids))

    def create(
        self,
        actor: Identity,
        parent: Domain | None,
        name: str,
        properties: Iterable[tuple[str, str]] = (),
    ) -> Subdomain:
        """`name` (one or more labels) under a site the actor may see. Raises
        OwnerNotFound (1015, the parent, as Plesk), InvalidValue (name, property),
        AlreadyExists, PanelkeyError (a parent without physical hosting)."""
        parent = self._parent(actor, parent, OwnerNotFound(PARENT_NOT_FOUND))
        if parent.hosting_type != "virtual":
            raise PanelkeyError("Subdomains are not supported on sites without physical hosting")
        text, ascii_name = _full_name(name, parent)
        props = check_properties(properties)
        props.setdefault("www_root", "/" + ascii_name)
        with self._db.begin() as conn:
            if taken(conn, ascii_name):
                raise AlreadyExists(f"Subdomain {text!r} already exists.")
            row = {
                "domain_id": parent.id,
                "webspace_id": parent.base_domain_id or parent.id,
                "name": _label(text, parent),
                "ascii_name": ascii_name,
                "properties": json.dumps(props),
            }
            return self._insert(conn, actor, row)

    def update(
        self,
        actor: Identity,
        subdomain: Subdomain,
        *,
        properties: Iterable[tuple[str, str]] = (),
        name: str | None = None,
    ) -> Subdomain:
        """Set properties, or rename (`name`: the new labels, without the parent).
        Raises NotFound, InvalidValue, AlreadyExists; on any of them nothing is written."""
        if self.get(actor, subdomain.id) is None:
            raise NotFound(NOT_FOUND)
        row: dict[str, Any] = {}
        changed = check_properties(properties)
        if changed:
            row["properties"] = json.dumps({**subdomain.properties, **changed})
        if name is not None:
            parent = self._parent(actor, subdomain.domain_id, NotFound(NOT_FOUND))
            text, row["ascii_name"] = _full_name(name, parent)
            row["name"] = _label(text, parent)
        if not row:
            return subdomain
        with self._db.begin() as conn:
            renamed = "ascii_name" in row and row["ascii_name"] != subdomain.ascii_name
            if renamed and taken(conn, row["ascii_name"]):
                raise AlreadyExists(f"Subdomain {row['ascii_name']!r} already exists.")
            return self._update(conn, actor, subdomain, row)


def property_values(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """Stored properties in the block's order (unknown names last)."""
    order = {s.name: i for i, s in enumerate(PROPERTIES.settings)}
    return sorted(values.items(), key=lambda kv: order.get(kv[0], len(order)))
