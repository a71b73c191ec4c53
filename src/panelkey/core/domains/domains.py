"""Domains: subscriptions ("webspaces", base_domain_id 0) and the sites inside them."""

from __future__ import annotations

import builtins
import dataclasses
import ipaddress
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account, Accounts
from panelkey.core.clock import iso
from panelkey.core.domains.logins import check_ftp_login
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import Prepared

# Deletes what belongs to the given domains, in the caller's transaction.
Purger = Callable[[sa.Connection, "builtins.list[int]"], None]

HOSTING_TYPES = ("virtual", "standard_forwarding", "frame_forwarding", "none")
STATUSES = ("active", "suspended", "disabled")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
DEFAULT_IP = "127.0.0.1"
# The `properties` kind of what a domain keeps only to answer back (its external id,
# notes, forwarding target, parent site, ...): purged with the domain.
PROPERTY_KIND = "domain"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Run inside the write's transaction with the new or changed domain's id, so that
# settings and plans kept elsewhere (core/plans/subscriptions.py) change with it or not at all.
Within = Callable[[sa.Connection, int], None]
# What every new domain gets made with it (its DNS zone: core/dns/zones.py), in its
# create's transaction, after the domain's own event.
Made = Callable[[sa.Connection, "Domain", Identity], None]


_ACTOR_KINDS = frozenset(t.value for t in AccountType)


def event_class(domain_or_base: int) -> str:
    """Plesk's event class: ``domain`` for a subscription, ``site`` for a site in one."""
    return "domain" if domain_or_base == 0 else "site"


@dataclass(frozen=True, slots=True)
class Domain:
    id: int
    guid: str
    name: str
    ascii_name: str
    owner_id: int
    owner_login: str
    hosting_type: str
    base_domain_id: int
    www_root: str
    status: str
    ip_address: str
    ftp_login: str
    description: str
    created: str

    @property
    def is_webspace(self) -> bool:
        return self.base_domain_id == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "ascii_name": self.ascii_name,
            "hosting_type": self.hosting_type,
            "base_domain_id": self.base_domain_id,
            "www_root": self.www_root,
            "guid": self.guid,
            "created": self.created,
            "description": self.description,
        }


def normalise_name(name: str) -> tuple[str, str]:
    """(name in lower case, its ASCII form); raises InvalidValue for a non-DNS name."""
    if not isinstance(name, str):
        raise InvalidValue("Invalid domain name")
    text = name.strip().rstrip(".").lower()
    if text.isascii():
        ascii_name = text  # IDNA leaves ASCII as it is; the label checks below still run
    else:
        try:
            ascii_name = text.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            raise InvalidValue(f"Invalid domain name: {name!r}") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        raise InvalidValue(f"Invalid domain name: {name!r}")
    if labels[-1].isdigit():
        raise InvalidValue(f"Invalid domain name: {name!r}")
    return text, ascii_name


class Domains:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._base = self._build_select()
        self._accounts = accounts
        self._purgers: builtins.list[Purger] = []
        self._makers: builtins.list[Made] = []
        # The reads by filter, compiled once per (filter, kind of actor): prepared.py.
        self._prepared: dict[tuple[str, str], Prepared] = {}

    def on_delete(self, purge: Purger) -> None:
        """Run `purge(conn, domain_ids)` inside every delete's transaction, before the
        domains go: how what lives in a subscription (mail, databases, ...) goes with it."""
        self._purgers.append(purge)

    def on_create(self, make: Made) -> None:
        """Run `make(conn, domain, actor)` inside every create's transaction, after the
        domain's own event: how a new domain gets its DNS zone, with no import of dns."""
        self._makers.append(make)

    @staticmethod
    def _build_select() -> sa.Select[Any]:
        # Columns in Domain's field order: a row becomes a Domain positionally.
        d, a = tables.domains, tables.accounts
        columns = [
            a.c.login.label("owner_login") if f.name == "owner_login" else d.c[f.name]
            for f in dataclasses.fields(Domain)
        ]
        return sa.select(*columns).select_from(d.join(a, d.c.owner_id == a.c.id)).order_by(d.c.id)

    @staticmethod
    def _row(row: Any) -> Domain:
        return Domain(*row)

    def list(self, actor: Identity, where: Any = None) -> list[Domain]:
        """Every domain the actor may see, oldest first."""
        if where is None:
            return self._find(actor, "all")
        q = self._base.where(self._visible(actor))
        q = q.where(where)
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q)]

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
        p = tables.properties
        held = sa.select(p.c.object_id).where(
            p.c.kind == PROPERTY_KIND, p.c.name == name, p.c.value == value
        )
        return self.list(actor, tables.domains.c.id.in_(held))

    def props_of(self, domain_id: int) -> dict[str, str]:
        """What the domain keeps only to answer back, by name."""
        return Properties(self._db).get(PROPERTY_KIND, domain_id)

    def _find(self, actor: Identity, by: str, **params: Any) -> builtins.list[Domain]:
        kind = actor.type if actor.type in _ACTOR_KINDS else AccountType.CUSTOMER.value
        prepared = self._prepared.get((by, kind))
        if prepared is None:
            d = tables.domains
            v: sa.BindParameter[Any] = sa.bindparam("v")
            where = {
                "all": None,
                "id": d.c.id == v,
                "ascii": d.c.ascii_name == v,
                "guid": d.c.guid == v,
                "owner": d.c.owner_id == v,
                "base": d.c.base_domain_id == v,
            }[by]
            q = self._base
            seen = self._visible_to(kind)
            if seen is not None:
                q = q.where(seen)
            if where is not None:
                q = q.where(where)
            prepared = self._prepared[(by, kind)] = self._db.prepare(q)
        return [Domain(*r) for r in prepared.all(actor=actor.account_id, **params)]

    @staticmethod
    def _visible_to(kind: str) -> Any:
        """`_visible` with the actor's id as the bind `actor`; None: sees everything."""
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

    @staticmethod
    def _visible(actor: Identity) -> Any:
        d, a = tables.domains, tables.accounts
        if actor.is_admin:
            return sa.true()
        if actor.type == AccountType.RESELLER.value:
            return sa.or_(
                d.c.owner_id == actor.account_id,
                d.c.owner_id.in_(sa.select(a.c.id).where(a.c.owner_id == actor.account_id)),
            )
        return d.c.owner_id == actor.account_id

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
        if hosting_type not in HOSTING_TYPES:
            raise InvalidValue(f"Invalid hosting type: {hosting_type!r}")
        if status not in STATUSES:
            raise InvalidValue(f"Invalid status: {status!r}")
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
            www_root = f"/var/www/vhosts/{ascii_name}/httpdocs" if hosting_type == "virtual" else ""
        www_root = check_www_root(www_root)
        with self._db.begin() as conn:
            clash = conn.execute(
                sa.select(tables.domains.c.id).where(
                    sa.or_(tables.domains.c.name == text, tables.domains.c.ascii_name == ascii_name)
                )
            ).first()
            if clash is not None or _held_by_alias_or_subdomain(conn, ascii_name):
                raise AlreadyExists(f"Domain {text!r} already exists.")
            new_id = conn.execute(
                tables.domains.insert().values(
                    guid=str(uuid.uuid4()),
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
                    created=iso(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            row = conn.execute(self._base.where(tables.domains.c.id == new_id)).one()
            created = self._row(row)
            # The domain's own event first, then those of what is made inside it.
            events.record(
                conn,
                event_class(base_id),
                events.CREATE,
                obj_id=created.id,
                obj_name=created.name,
                actor=actor,
                new=_public(created),
            )
            for make in self._makers:
                make(conn, created, actor)
            if within is not None:
                within(conn, int(new_id))
        return created

    def update(
        self,
        actor: Identity,
        domain: Domain,
        values: Mapping[str, Any],
        within: Within | None = None,
    ) -> Domain:
        """Change `status`, `description`, `hosting_type`, `ip_address`, `ftp_login`,
        `www_root`, `guid` or the name (zone not renamed); `within` runs in the same
        transaction. A domain given physical hosting gets its default document root."""
        row: dict[str, Any] = {}
        if values.get("guid") is not None:
            guid = str(values["guid"]).strip().lower()
            if not _GUID.match(guid):
                raise InvalidValue(f"Invalid GUID: {values['guid']!r}")
            row["guid"] = guid
        if values.get("ip_address"):
            row["ip_address"] = check_ip(values["ip_address"])
        if values.get("ftp_login") is not None:
            row["ftp_login"] = check_ftp_login(values["ftp_login"], empty=True)
        if values.get("www_root") is not None:
            row["www_root"] = check_www_root(values["www_root"])
        if values.get("status") is not None:
            if values["status"] not in STATUSES:
                raise InvalidValue(f"Invalid status: {values['status']!r}")
            row["status"] = values["status"]
        if values.get("description") is not None:
            if not isinstance(values["description"], str):
                raise InvalidValue("Invalid description")
            row["description"] = values["description"]
        if values.get("hosting_type") is not None:
            if values["hosting_type"] not in HOSTING_TYPES:
                raise InvalidValue(f"Invalid hosting type: {values['hosting_type']!r}")
            row["hosting_type"] = values["hosting_type"]
            if row["hosting_type"] == "virtual" and not domain.www_root and "www_root" not in row:
                row["www_root"] = f"/var/www/vhosts/{domain.ascii_name}/httpdocs"
        if values.get("name") is not None:
            row["name"], row["ascii_name"] = normalise_name(values["name"])
        if not row and within is None:
            return domain
        with self._db.begin() as conn:
            if "name" in row:
                clash = conn.execute(
                    sa.select(tables.domains.c.id).where(
                        tables.domains.c.ascii_name == row["ascii_name"],
                        tables.domains.c.id != domain.id,
                    )
                ).first()
                if clash is not None or _held_by_alias_or_subdomain(conn, row["ascii_name"]):
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
                    conn,
                    event_class(domain.base_domain_id),
                    events.UPDATE,
                    obj_id=domain.id,
                    obj_name=out.name,
                    actor=actor,
                    old={k: v for k, v in _public(domain).items() if k in row},
                    new={k: v for k, v in _public(out).items() if k in row},
                )
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
                events.record(
                    conn,
                    event_class(base),
                    events.DELETE,
                    obj_id=gone_id,
                    obj_name=name,
                    actor=actor,
                )
        return ids


def _held_by_alias_or_subdomain(conn: sa.Connection, ascii_name: str) -> bool:
    """A name is one object's across domains, subdomains and site aliases, as in Plesk."""
    for table in (tables.subdomains, tables.site_aliases):
        if conn.execute(sa.select(table.c.id).where(table.c.ascii_name == ascii_name)).first():
            return True
    return False


def check_ip(value: str) -> str:
    """The canonical form of an IP address, '' for none; raises InvalidValue."""
    if not value or not value.strip():
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise InvalidValue(f"Invalid IP address: {value!r}") from None


def check_www_root(value: str) -> str:
    if (
        not isinstance(value, str)
        or len(value) > 1024
        or "\x00" in value
        or ".." in value.split("/")
    ):
        raise InvalidValue(f"Invalid document root: {value!r}")
    return value


def _public(d: Domain) -> dict[str, Any]:
    return {
        "name": d.name,
        "owner_id": d.owner_id,
        "hosting_type": d.hosting_type,
        "status": d.status,
        "ip_address": d.ip_address,
        "www_root": d.www_root,
        "description": d.description,
    }
