"""Domains: subscriptions ("webspaces", base_domain_id 0) and the sites inside them; who
may see which (`find`), and what goes with them (`on_create`, `on_delete`). A domain and
the rules of its values are core/domains/models.py's (named here too, for the faces)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account, Accounts
from panelkey.core.domains.logins import check_ftp_login
from panelkey.core.domains.models import (
    DEFAULT_IP,
    HOSTING_TYPES,
    PROPERTY_KIND,
    STATUSES,
    Domain,
    check_choice,
    check_ip,
    check_www_root,
    checked_changes,
    default_www_root,
    event_class,
    normalise_name,
)
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    PermissionDenied,
)
from panelkey.core.identity import AccountType, Identity
from panelkey.core.refs import Ref, resolve
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import Prepared, built

# Deletes what belongs to the given domains, in the caller's transaction.
Purger = Callable[[sa.Connection, "builtins.list[int]"], None]
# Refuses a domain name for an actor by raising (core/server/domain_restrictions.py).
NameCheck = Callable[[Identity, str], None]

# Run inside the write's transaction with the new or changed domain's id, so that
# settings and plans kept elsewhere (core/plans/subscriptions.py) change with it or not at all.
Within = Callable[[sa.Connection, int], None]
# What every new domain gets made with it (its DNS zone: core/dns/zones.py), in its
# create's transaction, after the domain's own event.
Made = Callable[[sa.Connection, Domain, Identity], None]
__all__ = ["PROPERTY_KIND", "Domain", "Domains", "check_www_root", "normalise_name", "taken"]


_domain = Domain._make  # a domain from its row, the columns in field order
_ACTOR_KINDS = frozenset(t.value for t in AccountType)
_CUSTOMER = AccountType.CUSTOMER.value  # read once: an enum member's value is a property
_REFS = ("id", "name", "guid", "external-id")
SITE_NOT_FOUND = "Site does not exist"
WEBSPACE_NOT_FOUND = "Webspace does not exist"


def _kind_of(actor: Identity) -> str:
    """The kind of actor a domain read is compiled for (an unknown one reads as a customer)."""
    kind = actor.type
    return kind if kind in _ACTOR_KINDS else _CUSTOMER


def _properties_read() -> sa.Select[Any]:
    """A domain's properties, by name."""
    p = tables.properties
    return (
        sa.select(p.c.name, p.c.value)
        .where(p.c.kind == PROPERTY_KIND, p.c.object_id == sa.bindparam("v"))
        .order_by(p.c.name)
    )


class Domains:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._base = built((Domains, "base"), self._build_select)
        self._accounts = accounts
        self._purgers: builtins.list[Purger] = []
        self._name_checks: builtins.list[NameCheck] = []
        self._makers: builtins.list[Made] = []
        # The reads by filter, compiled once per (filter, kind of actor): prepared.py.
        self._prepared: dict[tuple[str, str], Prepared] = {}
        self._props = db.prepare(built((Domains, "properties"), _properties_read))

    def on_delete(self, purge: Purger) -> None:
        """Run `purge(conn, domain_ids)` inside every delete's transaction, before the
        domains go: how what lives in a subscription (mail, databases, ...) goes with it."""
        self._purgers.append(purge)

    def on_name(self, check: NameCheck) -> None:
        """Run `check(actor, ascii_name)` before a domain is made or renamed."""
        self._name_checks.append(check)

    def on_create(self, make: Made) -> None:
        """Run `make(conn, domain, actor)` inside every create's transaction, after the
        domain's own event: how a new domain gets its DNS zone, with no import of dns."""
        self._makers.append(make)

    @staticmethod
    def _build_select() -> sa.Select[Any]:
        # Columns in Domain's field order: a row becomes a Domain positionally.
        d, a = tables.domains, tables.accounts
        columns = [
            a.c.login.label("owner_login") if f == "owner_login" else d.c[f] for f in Domain._fields
        ]
        return sa.select(*columns).select_from(d.join(a, d.c.owner_id == a.c.id)).order_by(d.c.id)

    @staticmethod
    def _row(row: Any) -> Domain:
        return _domain(row)

    def list(self, actor: Identity, where: Any = None) -> list[Domain]:
        """Every domain the actor may see (and `where` selects), oldest first."""
        if where is None:
            return self._find(actor, "all")
        seen = self._visible_to(_kind_of(actor))
        q = self._base.where(where if seen is None else sa.and_(seen, where))
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q, {"actor": actor.account_id})]

    # -- finders: who may see which domain, decided here ----------------------------

    def find(self, actor: Identity, ref: Ref, *, webspace: bool | None = None) -> Domain | None:
        """The domain `ref` names (core/refs.py: by id, name, guid or external id) when
        the actor may see it, and is a subscription (`webspace` True) or a site in one
        (False) when asked; else None, as if it did not exist."""
        found = resolve(ref, _REFS)
        if found is None:
            return None
        kind, value = found
        if kind == "external-id":
            held = self.with_property(actor, "external-id", value)
            domain = held[0] if held else None
        else:
            by: dict[str, Callable[[Identity, Any], Domain | None]] = {
                "id": self.get,
                "name": self.by_name,
                "guid": self.by_guid,
            }
            domain = by[kind](actor, value)
        if domain is None or (webspace is not None and domain.is_webspace != webspace):
            return None
        return domain

    def require(self, actor: Identity, ref: Ref, *, webspace: bool | None = None) -> Domain:
        """`find`, or raise NotFound: "Webspace does not exist" when a subscription was
        asked for, else "Site does not exist"."""
        found = self.find(actor, ref, webspace=webspace)
        if found is None:
            raise NotFound(WEBSPACE_NOT_FOUND if webspace else SITE_NOT_FOUND)
        return found

    def get(self, actor: Identity, domain_id: int) -> Domain | None:
        found = self._find(actor, "id", v=domain_id)
        return found[0] if found else None

    def by_name(self, actor: Identity, name: str) -> Domain | None:
        try:
            text, ascii_name = normalise_name(name)
        except InvalidValue:
            return None
        # Every stored ascii_name is the IDNA form of its name, so the ASCII form finds a
        # domain asked for by either form, with one index.
        found = self._find(actor, "ascii", v=ascii_name)
        return found[0] if found else None

    def by_guid(self, actor: Identity, guid: str) -> Domain | None:
        found = self._find(actor, "guid", v=guid.lower())
        return found[0] if found else None

    def of_owner(self, actor: Identity, owner_id: int) -> builtins.list[Domain]:
        """The domains of one owner that the actor may see, oldest first."""
        return self._find(actor, "owner", v=owner_id)

    def in_webspace(self, actor: Identity, webspace_id: int) -> builtins.list[Domain]:
        """The sites in one webspace (not the webspace itself) the actor may see."""
        return self._find(actor, "base", v=webspace_id)

    def with_property(self, actor: Identity, name: str, value: str) -> builtins.list[Domain]:
        """The domains the actor may see whose property `name` is `value`, oldest first
        (an external id, a parent site)."""
        return self._find(actor, "property", n=name, v=value)

    def props_of(self, domain_id: int) -> dict[str, str]:
        """What the domain keeps only to answer back, by name (a read every webspace
        answer makes: compiled once, where Properties.get builds its statement per call)."""
        return dict(self._props.all(v=domain_id))

    def _find(self, actor: Identity, by: str, **params: Any) -> builtins.list[Domain]:
        kind = _kind_of(actor)
        prepared = self._prepared.get((by, kind))
        if prepared is None:
            q = built((Domains, "find", by, kind), lambda: self._find_read(by, kind))
            prepared = self._prepared[(by, kind)] = self._db.prepare(q)
        return [_domain(r) for r in prepared.all(actor=actor.account_id, **params)]

    def _find_read(self, by: str, kind: str) -> sa.Select[Any]:
        """The read `_find` prepares for a filter `by` and a kind of actor."""
        d, p = tables.domains, tables.properties
        v: sa.BindParameter[Any] = sa.bindparam("v")
        held = sa.select(p.c.object_id).where(
            p.c.kind == PROPERTY_KIND, p.c.name == sa.bindparam("n"), p.c.value == v
        )
        where = {
            "all": None,
            "id": d.c.id == v,
            "ascii": d.c.ascii_name == v,
            "guid": d.c.guid == v,
            "owner": d.c.owner_id == v,
            "base": d.c.base_domain_id == v,
            "property": d.c.id.in_(held),
        }[by]
        q = self._base
        seen = self._visible_to(kind)
        if seen is not None:
            q = q.where(seen)
        if where is not None:
            q = q.where(where)
        return q

    @staticmethod
    def _visible_to(kind: str) -> Any:
        """Which domains an actor of `kind` sees (the admin all, a reseller its own and
        its customers', a customer its own), its id the bind `actor`; None: all."""
        d, a = tables.domains, tables.accounts
        me: sa.BindParameter[Any] = sa.bindparam("actor")
        if kind == AccountType.ADMIN.value:
            return None
        if kind == AccountType.RESELLER.value:
            return sa.or_(
                d.c.owner_id == me,
                d.c.owner_id.in_(sa.select(a.c.id).where(a.c.owner_id == me)),
            )
        return d.c.owner_id == me

    def create(
        self,
        actor: Identity,
        *,
        name: str,
        owner: Account | None = None,
        hosting_type: str = "virtual",
        base_domain: Domain | None = None,
        status: str = "active",
        ip_address: str = "",
        ftp_login: str = "",
        description: str = "",
        www_root: str | None = None,
        within: Within | None = None,
    ) -> Domain:
        """A webspace (no base_domain) or a site inside one, with what `on_create` makes
        (its default DNS zone).
        `www_root` defaults to httpdocs under the domain's folder for hosted domains;
        `within` runs in the same transaction with the new id.

        Raises InvalidValue, AlreadyExists, PermissionDenied (owner not manageable).
        """
        text, ascii_name = normalise_name(name)
        for check in self._name_checks:
            check(actor, ascii_name)
        check_choice(hosting_type, HOSTING_TYPES, "hosting type")
        check_choice(status, STATUSES, "status")
        if not isinstance(description, str):
            raise InvalidValue("Invalid value")
        if base_domain is None or ftp_login != base_domain.ftp_login:
            # a site's files belong to its subscription's system user, already checked
            ftp_login = check_ftp_login(ftp_login, empty=True)
        if base_domain is not None:
            owner_id = base_domain.owner_id
            base_id = base_domain.base_domain_id or base_domain.id
        else:
            target = owner or self._accounts.get(actor.account_id)
            if target is None or not self._accounts.can_manage(actor, target):
                raise PermissionDenied("Permission denied.")
            owner_id, base_id = target.id, 0
        ip = check_ip(ip_address) or DEFAULT_IP
        if www_root is None:
            www_root = default_www_root(ascii_name) if hosting_type == "virtual" else ""
        www_root = check_www_root(www_root)
        with self._db.begin() as conn:
            if taken(conn, ascii_name):
                raise AlreadyExists(f"Domain {text!r} already exists.")
            new_id = insert(
                conn,
                tables.domains,
                name=text,
                ascii_name=ascii_name,
                owner_id=owner_id,
                hosting_type=hosting_type,
                base_domain_id=base_id,
                www_root=www_root,
                status=status,
                ip_address=ip,
                ftp_login=ftp_login,
                description=description,
            )
            row = conn.execute(self._base.where(tables.domains.c.id == new_id)).one()
            created = self._row(row)
            # The domain's own event first, then those of what is made inside it.
            events.record(
                conn, event_class(base_id), events.CREATE, created.id, created.name, actor,
                new=created.event_values(),
            )  # fmt: skip
            for make in self._makers:
                make(conn, created, actor)
            if within is not None:
                within(conn, new_id)
        return created

    def update(
        self,
        actor: Identity,
        domain: Domain,
        values: Mapping[str, Any],
        within: Within | None = None,
    ) -> Domain:
        """Change `status`, `description`, `hosting_type`, `ip_address`, `ftp_login`,
        `www_root`, `guid` or the name (zone not renamed), each checked as
        `checked_changes` does; `within` runs in the same transaction."""
        row = checked_changes(domain, values)
        if row.get("ascii_name") not in (None, domain.ascii_name):
            for check in self._name_checks:
                check(actor, row["ascii_name"])
        if not row and within is None:
            return domain
        with self._db.begin() as conn:
            if "name" in row and taken(conn, row["ascii_name"], domain_id=domain.id):
                raise AlreadyExists(f"Domain {row['name']!r} already exists.")
            if "guid" in row and row["guid"] != domain.guid:
                d = tables.domains
                if conn.execute(sa.select(d.c.id).where(d.c.guid == row["guid"])).first():
                    raise AlreadyExists(f"GUID {row['guid']!r} is already in use.")
            if row:
                conn.execute(
                    tables.domains.update().where(tables.domains.c.id == domain.id).values(**row)
                )
            if within is not None:
                within(conn, domain.id)
            out = self._row(conn.execute(self._base.where(tables.domains.c.id == domain.id)).one())
            if row:
                events.record(
                    conn, event_class(domain.base_domain_id), events.UPDATE, domain.id, out.name,
                    actor,
                    old={k: v for k, v in domain.event_values().items() if k in row},
                    new={k: v for k, v in out.event_values().items() if k in row},
                )  # fmt: skip
        return out

    def delete(self, actor: Identity, domain: Domain) -> builtins.list[int]:
        """Delete a domain with what lives in it (`on_delete`: its zone, mail, ...); a
        webspace takes its sites along. Returns ids."""
        if self.get(actor, domain.id) is None:
            raise NotFound("Domain does not exist")
        d = tables.domains
        with self._db.begin() as conn:
            gone = [(domain.id, domain.name, domain.base_domain_id)]
            if domain.is_webspace:
                q = sa.select(d.c.id, d.c.name, d.c.base_domain_id).where(
                    d.c.base_domain_id == domain.id
                )
                gone += [(r.id, r.name, r.base_domain_id) for r in conn.execute(q)]
            ids = [g[0] for g in gone]
            for purge in self._purgers:
                purge(conn, ids)
            p = tables.properties
            conn.execute(p.delete().where(p.c.kind == PROPERTY_KIND, p.c.object_id.in_(ids)))
            conn.execute(d.delete().where(d.c.id.in_(ids)))
            for gone_id, name, base in reversed(gone):
                events.record(conn, event_class(base), events.DELETE, gone_id, name, actor)
        return ids


def taken(
    conn: sa.Connection,
    ascii_name: str,
    *,
    domain_id: int | None = None,
    alias_id: int | None = None,
) -> bool:
    """Whether a domain, a subdomain or a site alias (other than `domain_id`, `alias_id`)
    has this name: a name is one object's server-wide, as in Plesk."""
    for table, other in (
        (tables.domains, domain_id),
        (tables.subdomains, None),
        (tables.site_aliases, alias_id),
    ):
        q = sa.select(table.c.id).where(table.c.ascii_name == ascii_name)
        if other is not None:
            q = q.where(table.c.id != other)
        if conn.execute(q).first() is not None:
            return True
    return False
