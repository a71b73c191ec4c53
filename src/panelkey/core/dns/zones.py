"""Zone settings, the server-wide DNS template, and sync-with-template.

The template is a list of records whose hosts and values hold Plesk's placeholders
`<domain>` (the zone's name), `<ip>` (the domain's address) and `<ipv6>`. A new zone
is made from it (`new_zone`). The template's own SOA values and zone status (in
`meta`) are what a new zone starts with.

Sync follows Plesk: records a user changed (or added) are never touched; records made
from the template are updated to what the template now renders, removed when their
template record is gone; template records missing from the zone are added.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.dns.answering import answered
from panelkey.core.dns.rdata import normalise
from panelkey.core.dns.records import DEFAULT_TTL, RECORD_COLUMNS, Record, insert_record, touch_zone
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.store import tables
from panelkey.store.database import Database

STATUSES = ("enabled", "disabled")
SOA_FIELDS = ("ttl", "refresh", "retry", "expire", "minimum")
_DEFAULT_SOA = {"ttl": 86400, "refresh": 10800, "retry": 3600, "expire": 604800, "minimum": 10800}
_META_SOA, _META_STATUS = "dns.template.soa", "dns.template.status"
_ADMIN_ONLY = "Only the administrator manages the DNS template."
# Stand-ins that survive dnspython's normalising, so a template value is checked as a
# real one and stored with its placeholders back in place.
_MARKS = {"<domain>": "pk-domain.invalid", "<ip>": "192.0.2.254", "<ipv6>": "2001:db8::254"}
_T, _Z, _R = tables.dns_template, tables.dns_zones, tables.dns_records


@dataclass(frozen=True, slots=True)
class Soa:
    ttl: int
    refresh: int
    retry: int
    expire: int
    minimum: int


@dataclass(frozen=True, slots=True)
class Zone:
    domain_id: int
    name: str
    status: str
    soa: Soa
    serial: int


@dataclass(frozen=True, slots=True)
class TemplateRecord:
    id: int
    type: str
    host: str
    value: str
    opt: str
    ttl: int


def _mark(text: str) -> str:
    for placeholder, mark in _MARKS.items():
        text = text.replace(placeholder, mark).replace(placeholder.upper(), mark)
    return text


def _unmark(text: str) -> str:
    for placeholder, mark in _MARKS.items():
        text = text.replace(mark, placeholder)
    return text


def template_host(host: str) -> str:
    """`www` -> `www.<domain>.`; empty or `@` -> `<domain>.`; must end in `<domain>`."""
    text = (host or "").strip().lower()
    if text in ("", "@", "<domain>", "<domain>."):
        return "<domain>."
    if not text.endswith("."):
        text = text if text.endswith("<domain>") else f"{text}.<domain>"
        text += "."
    if not text.endswith(".<domain>."):
        raise InvalidValue(f"A template host must lie inside <domain>: {host!r}")
    return text


def check_template(type_: str, host: str, value: str, opt: str) -> tuple[str, str, str, str]:
    """(type, host, value, opt) of a template record, checked as a real record would be."""
    from panelkey.core.dns.records import host_in_zone

    full = template_host(host)
    host_in_zone(_mark(full), _MARKS["<domain>"])
    kind, text, opt = normalise(type_, _mark(value), _mark(opt))
    return kind, full, _unmark(text), _unmark(opt)


def render(t: TemplateRecord, zone: str, ip: str) -> tuple[str, str, str, str] | None:
    """The zone record a template record makes, or None when it needs an absent address."""
    v6 = ":" in ip
    kind = t.type
    if "<ipv6>" in t.value and not v6:
        return None
    if kind == "A" and "<ip>" in t.value and v6:
        kind = "AAAA"
    values = {"<domain>": zone, "<ip>": ip, "<ipv6>": ip}

    def fill(text: str) -> str:
        for placeholder, real in values.items():
            text = text.replace(placeholder, real)
        return text

    checked = normalise(kind, fill(t.value), fill(t.opt))
    return checked[0], fill(t.host), checked[1], checked[2]


def _template(conn: sa.Connection) -> list[TemplateRecord]:
    return [
        TemplateRecord(**dict(r._mapping)) for r in conn.execute(sa.select(_T).order_by(_T.c.id))
    ]


def _meta(conn: sa.Connection, name: str) -> str | None:
    value = conn.execute(sa.select(tables.meta.c.value).where(tables.meta.c.name == name)).scalar()
    return None if value is None else str(value)


def _set_meta(conn: sa.Connection, name: str, value: str) -> None:
    m = tables.meta
    if conn.execute(m.update().where(m.c.name == name).values(value=value)).rowcount == 0:
        conn.execute(m.insert().values(name=name, value=value))


def _template_soa(conn: sa.Connection) -> Soa:
    stored = json.loads(_meta(conn, _META_SOA) or "{}")
    return Soa(**{k: int(stored.get(k, v)) for k, v in _DEFAULT_SOA.items()})


def _template_status(conn: sa.Connection) -> str:
    return _meta(conn, _META_STATUS) or "enabled"


def new_zone(
    conn: sa.Connection, domain_id: int, zone: str, ip: str, actor: Identity | None = None
) -> None:
    """Make a new domain's zone from the template, in the domain's own transaction."""
    soa = _template_soa(conn)
    conn.execute(
        _Z.insert().values(domain_id=domain_id, status=_template_status(conn), **asdict(soa))
    )
    touch_zone(conn, domain_id)
    for t in _template(conn):
        made = render(t, zone, ip)
        if made is None:
            continue
        kind, host, value, opt = made
        row = {"domain_id": domain_id, "type": kind, "host": host, "value": value}
        insert_record(conn, {**row, "opt": opt, "ttl": t.ttl}, actor, template_id=t.id)


def _soa_values(values: Mapping[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in SOA_FIELDS:
        given = values.get(name)
        if given is None:
            continue
        if isinstance(given, str):
            given = int(given.strip()) if given.strip().isdigit() else -1
        if not isinstance(given, int) or isinstance(given, bool) or not 0 <= given <= 2**31 - 1:
            raise InvalidValue(f"Invalid SOA {name}: {values.get(name)!r}")
        out[name] = given
    return out


class DnsZones:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_create(self._made)

    @staticmethod
    def _made(conn: sa.Connection, domain: Domain, actor: Identity) -> None:
        """Domains.on_create: a new domain's zone, from the template."""
        new_zone(conn, domain.id, domain.ascii_name, domain.ip_address, actor)

    # -- zones ----------------------------------------------------------------------

    def _visible(self, actor: Identity, domain: Domain) -> None:
        if self._domains.get(actor, domain.id) is None:
            raise NotFound("Site does not exist")

    def zone(self, actor: Identity, domain: Domain) -> Zone:
        """A zone's status and SOA values; NotFound when the actor may not see it."""
        self._visible(actor, domain)
        with self._db.read() as conn:
            row = conn.execute(sa.select(_Z).where(_Z.c.domain_id == domain.id)).first()
            soa = _template_soa(conn)
        if row is None:
            return Zone(domain.id, domain.ascii_name, "enabled", soa, 1)
        m = row._mapping
        return Zone(
            domain.id,
            domain.ascii_name,
            m["status"],
            Soa(**{k: int(m[k]) for k in SOA_FIELDS}),
            int(m["serial"]),
        )

    def _change(self, actor: Identity, domain: Domain, values: dict[str, Any]) -> Zone:
        old = self.zone(actor, domain)
        with self._db.begin() as conn:
            if conn.execute(sa.select(_Z.c.domain_id).where(_Z.c.domain_id == domain.id)).first():
                conn.execute(_Z.update().where(_Z.c.domain_id == domain.id).values(**values))
            else:
                conn.execute(_Z.insert().values(domain_id=domain.id, **values))
            touch_zone(conn, domain.id)
            events.record(
                conn, "dns_zone", events.UPDATE, domain.id, domain.ascii_name, actor,
                old={k: getattr(old.soa, k, None) or getattr(old, k, "") for k in values},
                new=values,
            )  # fmt: skip
        return self.zone(actor, domain)

    def set_soa(self, actor: Identity, domain: Domain, values: Mapping[str, Any]) -> Zone:
        """Change some of ttl/refresh/retry/expire/minimum. Raises InvalidValue, NotFound."""
        return self._change(actor, domain, _soa_values(values))

    def set_status(self, actor: Identity, domain: Domain, status: str) -> Zone:
        """`enabled` (answered by the DNS listener) or `disabled` (refused)."""
        if status not in STATUSES:
            raise InvalidValue(f"Invalid zone status: {status!r}")
        return self._change(actor, domain, {"status": status})

    # -- the template ---------------------------------------------------------------

    def template(self) -> list[TemplateRecord]:
        with self._db.read() as conn:
            return _template(conn)

    def template_soa(self) -> tuple[str, Soa]:
        """(status, SOA values) a new zone starts with."""
        with self._db.read() as conn:
            return _template_status(conn), _template_soa(conn)

    def set_template(
        self, actor: Identity, *, soa: Mapping[str, Any] | None = None, status: str | None = None
    ) -> None:
        require_admin(actor, _ADMIN_ONLY)
        if status is not None and status not in STATUSES:
            raise InvalidValue(f"Invalid zone status: {status!r}")
        with self._db.begin() as conn:
            if soa is not None:
                merged = {**asdict(_template_soa(conn)), **_soa_values(soa)}
                _set_meta(conn, _META_SOA, json.dumps(merged))
            if status is not None:
                _set_meta(conn, _META_STATUS, status)
            events.record(conn, "dns_zone", events.UPDATE, 0, "<template>", actor)

    def add_template(
        self, actor: Identity, *, type: str, host: str, value: str, opt: str = ""
    ) -> TemplateRecord:
        """Add a template record (admin only). Raises PermissionDenied, InvalidValue."""
        require_admin(actor, _ADMIN_ONLY)
        kind, full, text, opt = check_template(type, host, value, opt)
        row: dict[str, Any] = {
            "type": kind,
            "host": full,
            "value": text,
            "opt": opt,
            "ttl": DEFAULT_TTL,
        }
        with self._db.begin() as conn:
            new_id = conn.execute(_T.insert().values(**row)).inserted_primary_key[0]  # type: ignore[index]
            events.record(
                conn, "dns_zone_rec", events.CREATE, int(new_id), full, actor,
                new={**row, "template": "true"},
            )  # fmt: skip
        return TemplateRecord(id=int(new_id), **row)

    def delete_template(self, actor: Identity, record_id: int) -> TemplateRecord:
        require_admin(actor, _ADMIN_ONLY)
        with self._db.begin() as conn:
            row = conn.execute(sa.select(_T).where(_T.c.id == record_id)).first()
            if row is None:
                raise NotFound("DNS record does not exist")
            conn.execute(_T.delete().where(_T.c.id == record_id))
            gone = TemplateRecord(**dict(row._mapping))
            events.record(
                conn, "dns_zone_rec", events.DELETE, gone.id, gone.host, actor,
                old={"type": gone.type, "value": gone.value, "template": "true"},
            )  # fmt: skip
        return gone

    # -- sync -----------------------------------------------------------------------

    def sync(self, actor: Identity, domain: Domain) -> None:
        """Re-apply the template to one zone (admin only), in one transaction."""
        require_admin(actor, _ADMIN_ONLY)
        self._visible(actor, domain)
        zone, ip = domain.ascii_name, domain.ip_address or "127.0.0.1"
        with self._db.begin() as conn:
            template = {t.id: t for t in _template(conn)}
            rows = conn.execute(
                sa.select(*RECORD_COLUMNS, _R.c.template_id, _R.c.modified).where(
                    _R.c.domain_id == domain.id, _R.c.template_id.is_not(None)
                )
            ).all()
            present = {int(r.template_id) for r in rows}
            for r in rows:
                record = Record(*r[:7])
                if r.modified:
                    continue
                source = template.get(int(r.template_id))
                made = render(source, zone, ip) if source is not None else None
                if source is None or made is None:
                    conn.execute(_R.delete().where(_R.c.id == record.id))
                    events.record(
                        conn, "dns_zone_rec", events.DELETE, record.id, record.host, actor,
                        old=record.event_values(),
                    )  # fmt: skip
                    continue
                kind, host, value, opt = made
                now = {"type": kind, "host": host, "value": value, "opt": opt}
                if now != record.event_values() or record.ttl != source.ttl:
                    conn.execute(
                        _R.update().where(_R.c.id == record.id).values(**now, ttl=source.ttl)
                    )
                    events.record(
                        conn, "dns_zone_rec", events.UPDATE, record.id, host, actor,
                        old=record.event_values(), new=now,
                    )  # fmt: skip
            for t in template.values():
                made = render(t, zone, ip) if t.id not in present else None
                if made is None:
                    continue
                kind, host, value, opt = made
                row = {"domain_id": domain.id, "type": kind, "host": host, "value": value}
                insert_record(conn, {**row, "opt": opt, "ttl": t.ttl}, actor, template_id=t.id)
            touch_zone(conn, domain.id)

    def domains_using_ip(self, actor: Identity, ip: str) -> list[Domain]:
        """The domains (the actor sees) whose zone is made for address `ip`."""
        return [d for d in self._domains.list(actor) if (d.ip_address or "127.0.0.1") == ip]

    # -- answering (the DNS listener) ------------------------------------------------

    def lookup(self, qname: str) -> tuple[Zone, list[Record]] | None:
        """The enabled zone holding `qname` (longest match) and all its records, read
        from the store now; None when no enabled zone holds the name."""
        labels = qname.lower().rstrip(".").split(".")
        names = [".".join(labels[i:]) for i in range(len(labels) - 1)]
        if not names:
            return None
        d, a = tables.domains, tables.site_aliases
        q = (
            sa.select(d.c.id, d.c.ascii_name, _Z)
            .select_from(d.outerjoin(_Z, _Z.c.domain_id == d.c.id))
            .where(d.c.ascii_name.in_(names))
        )
        with self._db.read() as conn:
            rows = sorted(conn.execute(q).all(), key=lambda r: -len(r.ascii_name))
            # A site alias with a zone answers its site's zone under its own name.
            alias = conn.execute(
                sa.select(a.c.ascii_name, a.c.domain_id)
                .where(a.c.ascii_name.in_(names), a.c.manage_dns == sa.true())
                .order_by(sa.func.length(a.c.ascii_name).desc())
            ).first()
            if alias is not None and (not rows or len(alias.ascii_name) > len(rows[0].ascii_name)):
                site = (
                    sa.select(d.c.id, d.c.ascii_name, _Z)
                    .select_from(d.outerjoin(_Z, _Z.c.domain_id == d.c.id))
                    .where(d.c.id == alias.domain_id)
                )
                rows = list(conn.execute(site).all())
            else:
                alias = None
            if not rows:
                return None
            best = rows[0]
            if best.status == "disabled" or not answered(conn, int(best.id)):
                return None
            soa = (
                _template_soa(conn)
                if best.domain_id is None
                else Soa(**{k: int(getattr(best, k)) for k in SOA_FIELDS})
            )
            records = [
                Record(**dict(r._mapping))
                for r in conn.execute(
                    sa.select(*RECORD_COLUMNS).where(_R.c.domain_id == best.id).order_by(_R.c.id)
                )
            ]
        serial = int(best.serial) if best.serial is not None else 1
        name = best.ascii_name
        if alias is not None:
            records, name = mirrored(records, best.ascii_name, alias.ascii_name), alias.ascii_name
        return Zone(int(best.id), name, best.status or "enabled", soa, serial), records


_NAME_VALUES = ("CNAME", "MX", "NS", "PTR", "SRV")


def mirrored(records: list[Record], site: str, alias: str) -> list[Record]:
    """A site's records as its alias's zone holds them: every name inside the site's
    zone (hosts, and the targets of CNAME, MX, NS, PTR, SRV) moved under the alias."""

    def move(name: str) -> str:
        if name == site + ".":
            return alias + "."
        if name.endswith("." + site + "."):
            return name[: -len(site) - 1] + alias + "."
        return name

    return [
        dataclasses.replace(
            r, host=move(r.host), value=move(r.value) if r.type in _NAME_VALUES else r.value
        )
        for r in records
    ]
