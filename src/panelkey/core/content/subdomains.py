"""Subdomains: `forum` of site `example.com` is `forum.example.com`, in its subscription.

A subdomain is reached through its parent site: whoever may see the site may see and
change its subdomains; any other is as if it did not exist. Its full name is one name
server-wide (`site_aliases.taken`). Hosting properties are a settings block
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

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.content.site_aliases import taken
from panelkey.core.domains.domains import Domain, Domains, check_www_root, normalise_name
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PanelkeyError,
)
from panelkey.core.identity import Identity
from panelkey.core.plans.settings import HOSTING, Block
from panelkey.store import tables
from panelkey.store.database import Database

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


def _full_name(label: str, parent: Domain) -> tuple[str, str]:
    text = (label or "").strip().rstrip(".").lower()
    if not text or text.endswith("." + parent.ascii_name) or text == parent.ascii_name:
        raise InvalidValue(f"Invalid subdomain name: {label!r}")
    return normalise_name(f"{text}.{parent.ascii_name}")


class Subdomains:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_delete(self.purge)

    @staticmethod
    def _row(row: Any) -> Subdomain:
        m = dict(row._mapping)
        m["properties"] = json.loads(m["properties"] or "{}")
        return Subdomain(**m)

    def list(self, actor: Identity, parent: Domain | None = None) -> list[Subdomain]:
        """Subdomains of sites the actor may see (of `parent` only, when given), by id."""
        visible = {d.id for d in self._domains.list(actor)}
        q = sa.select(_S).order_by(_S.c.id)
        if parent is not None:
            q = q.where(_S.c.domain_id == parent.id)
        with self._db.read() as conn:
            return [s for s in map(self._row, conn.execute(q)) if s.domain_id in visible]

    def get(self, actor: Identity, subdomain_id: int) -> Subdomain | None:
        with self._db.read() as conn:
            row = conn.execute(sa.select(_S).where(_S.c.id == subdomain_id)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def by_name(self, actor: Identity, name: str) -> Subdomain | None:
        """By full name (`forum.example.com`)."""
        try:
            _text, ascii_name = normalise_name(name)
        except InvalidValue:
            return None
        with self._db.read() as conn:
            row = conn.execute(sa.select(_S).where(_S.c.ascii_name == ascii_name)).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def count(self, webspace_id: int) -> int:
        """Subdomains in a subscription (webspace `stat`)."""
        q = sa.select(sa.func.count()).select_from(_S).where(_S.c.webspace_id == webspace_id)
        with self._db.read() as conn:
            return int(conn.execute(q).scalar() or 0)

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
        if parent is None or self._domains.get(actor, parent.id) is None:
            raise OwnerNotFound(PARENT_NOT_FOUND)
        if parent.hosting_type != "virtual":
            raise PanelkeyError("Subdomains are not supported on sites without physical hosting")
        text, ascii_name = _full_name(name, parent)
        props = check_properties(properties)
        props.setdefault("www_root", "/" + ascii_name)
        label = text.removesuffix("." + parent.name).removesuffix("." + parent.ascii_name)
        with self._db.begin() as conn:
            if taken(conn, ascii_name):
                raise AlreadyExists(f"Subdomain {text!r} already exists.")
            new_id = conn.execute(
                _S.insert().values(
                    domain_id=parent.id,
                    webspace_id=parent.base_domain_id or parent.id,
                    name=label,
                    ascii_name=ascii_name,
                    properties=json.dumps(props),
                    created=iso(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            made = self._row(conn.execute(sa.select(_S).where(_S.c.id == new_id)).one())
            events.record(
                conn,
                EVENT,
                events.CREATE,
                obj_id=made.id,
                obj_name=made.ascii_name,
                actor=actor,
                new=made.event_values(),
            )
        return made

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
            parent = self._domains.get(actor, subdomain.domain_id)
            if parent is None:
                raise NotFound(NOT_FOUND)
            text, row["ascii_name"] = _full_name(name, parent)
            row["name"] = text.removesuffix("." + parent.name).removesuffix("." + parent.ascii_name)
        if not row:
            return subdomain
        with self._db.begin() as conn:
            renamed = "ascii_name" in row and row["ascii_name"] != subdomain.ascii_name
            if renamed and taken(conn, row["ascii_name"]):
                raise AlreadyExists(f"Subdomain {row['ascii_name']!r} already exists.")
            conn.execute(_S.update().where(_S.c.id == subdomain.id).values(**row))
            out = self._row(conn.execute(sa.select(_S).where(_S.c.id == subdomain.id)).one())
            old, new = subdomain.event_values(), out.event_values()
            events.record(
                conn,
                EVENT,
                events.UPDATE,
                obj_id=out.id,
                obj_name=out.ascii_name,
                actor=actor,
                old={k: v for k, v in old.items() if new.get(k) != v},
                new={k: v for k, v in new.items() if old.get(k) != v},
            )
        return out

    def delete(self, actor: Identity, subdomain: Subdomain) -> Subdomain:
        if self.get(actor, subdomain.id) is None:
            raise NotFound(NOT_FOUND)
        with self._db.begin() as conn:
            if not conn.execute(_S.delete().where(_S.c.id == subdomain.id)).rowcount:
                raise NotFound(NOT_FOUND)
            events.record(
                conn,
                EVENT,
                events.DELETE,
                obj_id=subdomain.id,
                obj_name=subdomain.ascii_name,
                actor=actor,
            )
        return subdomain

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete the subdomains of these sites or subscriptions, in their transaction."""
        where = sa.or_(_S.c.domain_id.in_(domain_ids), _S.c.webspace_id.in_(domain_ids))
        gone = conn.execute(sa.select(_S.c.id, _S.c.ascii_name).where(where)).all()
        conn.execute(_S.delete().where(where))
        for sub_id, name in gone:
            events.record(conn, EVENT, events.DELETE, obj_id=sub_id, obj_name=name)


def property_values(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """Stored properties in the block's order (unknown names last)."""
    order = {s.name: i for i, s in enumerate(PROPERTIES.settings)}
    return sorted(values.items(), key=lambda kv: order.get(kv[0], len(order)))
