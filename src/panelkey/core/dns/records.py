"""DNS zones: the records of each domain, hosts always absolute with a trailing dot.

Values are checked per type by `dns_rdata` (dnspython's parsers) and kept in Plesk's
`value`/`opt` shapes. Every write bumps the zone's SOA serial and is logged as a
`dns_zone_rec` event in the same transaction. Zone settings, the server-wide
template and `sync-with-template` live in `dns_zones`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.dns.rdata import TYPES, normalise
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import Write, built

__all__ = ["TYPES", "DEFAULT_TTL", "Record", "Dns", "absolute_host", "host_in_zone"]

DEFAULT_TTL = 86400
_R = tables.dns_records
RECORD_COLUMNS = (_R.c.id, _R.c.domain_id, _R.c.type, _R.c.host, _R.c.value, _R.c.opt, _R.c.ttl)
_Z = tables.dns_zones
_ROW = ("domain_id", "type", "host", "value", "opt", "ttl", "template_id")
# The statements of every record write, compiled once (store/prepared.py's Write).
_INSERT = Write(_R.insert().values({c: sa.bindparam(c) for c in _ROW}).returning(_R.c.id))
# The deleted row comes back with the delete: its event needs it, and no read goes first.
_DELETE = Write(_R.delete().where(_R.c.id == sa.bindparam("id")).returning(*RECORD_COLUMNS))
# The serial is Unix time and always grows: one statement, no read before it.
_NEXT_SERIAL = sa.case(
    (_Z.c.serial + 1 > sa.bindparam("now"), _Z.c.serial + 1), else_=sa.bindparam("now")
)
_BUMP = Write(_Z.update().where(_Z.c.domain_id == sa.bindparam("d")).values(serial=_NEXT_SERIAL))
_FIRST_SERIAL = Write(_Z.insert().values(domain_id=sa.bindparam("d"), serial=sa.bindparam("now")))


@dataclass(frozen=True, slots=True)
class Record:
    id: int
    domain_id: int
    type: str
    host: str
    value: str
    opt: str
    ttl: int

    def as_dict(self) -> dict[str, Any]:
        """The record as the faces answer it (its domain is the caller's to name)."""
        return {k: getattr(self, k) for k in ("id", "type", "host", "value", "opt", "ttl")}

    def event_values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("type", "host", "value", "opt")}


def absolute_host(host: str, zone: str) -> str:
    """`_acme-challenge` -> `_acme-challenge.example.com.`; `@` or empty -> the apex;
    a name already inside the zone, with or without its trailing dot, stays itself."""
    text = (host or "").strip().lower()
    if text in ("", "@"):
        return zone + "."
    if text.endswith("."):
        return text
    if text == zone or text.endswith("." + zone):
        return text + "."
    return f"{text}.{zone}."


def host_in_zone(host: str, zone: str) -> str:
    """`absolute_host`, refusing (InvalidValue) a name outside the zone or not a DNS name."""
    full = absolute_host(host, zone)
    if full != zone + "." and not full.endswith("." + zone + "."):
        raise InvalidValue(f"The host {host!r} is outside the zone {zone!r}")
    try:
        dns.name.from_text(full)
    except (dns.exception.DNSException, ValueError):
        raise InvalidValue(f"Invalid host: {host!r}") from None
    if " " in full or ".." in full:
        raise InvalidValue(f"Invalid host: {host!r}")
    return full


def check_record(type_: str, value: str, opt: str) -> tuple[str, str, str]:
    """(type, value, opt) checked and normalised; raises InvalidValue."""
    return normalise(type_, value, opt)


def _ttl(ttl: Any, default: int) -> int:
    if ttl is None:
        return default
    if not isinstance(ttl, int) or isinstance(ttl, bool) or not 0 <= ttl <= 2147483647:
        raise InvalidValue("Invalid TTL")
    return ttl


def touch_zone(conn: sa.Connection, domain_id: int) -> None:
    """Bump a zone's SOA serial (Unix time, always growing), in the writer's transaction."""
    now = int(time.time())
    if not _BUMP.run(conn, d=domain_id, now=now):
        _FIRST_SERIAL.run(conn, d=domain_id, now=now)


def insert_record(
    conn: sa.Connection,
    row: Mapping[str, Any],
    actor: Identity | None,
    template_id: int | None = None,
) -> Record:
    """Insert one checked record row and log it (no serial bump: callers do that once)."""
    new_id = _INSERT.returned(conn, **row, template_id=template_id)
    record = Record(id=int(new_id), **row)
    events.record(
        conn, "dns_zone_rec", events.CREATE, record.id, record.host, actor,
        new=record.event_values(),
    )  # fmt: skip
    return record


def _record_reads() -> tuple[sa.Select[Any], sa.Select[Any]]:
    """A zone's records, and one record by id (built once per process)."""
    q = sa.select(*RECORD_COLUMNS)
    zone = q.where(_R.c.domain_id == sa.bindparam("v")).order_by(_R.c.id)
    return zone, q.where(_R.c.id == sa.bindparam("v"))


class Dns:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_delete(self.purge)
        zone, by_id = built(Dns, _record_reads)
        self._zone = db.prepare(zone)
        self._by_id = db.prepare(by_id)

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: list[int]) -> None:
        """Domains.on_delete: the zones' records go with their domains."""
        conn.execute(_R.delete().where(_R.c.domain_id.in_(domain_ids)))

    @staticmethod
    def _row(row: Any) -> Record:
        return Record(**dict(row._mapping))

    def records(self, actor: Identity, domain: Domain) -> list[Record]:
        """The zone of a domain the actor may see (else NotFound). The admin sees every
        domain: for it the check costs no read (a zone deleted meanwhile reads empty)."""
        if not actor.is_admin and self._domains.get(actor, domain.id) is None:
            raise NotFound("Site does not exist")
        return [Record(*r) for r in self._zone.all(v=domain.id)]

    def get(self, actor: Identity, record_id: int) -> Record | None:
        """A record of a domain the actor may see, else None (as if it did not exist)."""
        row = self._by_id.first(v=record_id)
        if row is None or not self._sees(actor, row[1]):
            return None
        return Record(*row)

    def _sees(self, actor: Identity, domain_id: int) -> bool:
        """Whether the actor may see the domain of an existing record. The admin sees
        every domain, and a record's domain exists (its foreign key): no read for it."""
        return actor.is_admin or self._domains.get(actor, domain_id) is not None

    def add(
        self, actor: Identity, domain: Domain, *, type: str, host: str, value: str,
        opt: str = "", ttl: int | None = None,
    ) -> Record:  # fmt: skip
        """Add a record to a zone the actor may see. Raises NotFound, InvalidValue; on
        InvalidValue nothing is written."""
        # The admin reaches every domain; one deleted meanwhile fails the record's foreign
        # key below. Any other actor's reach is read first.
        if not actor.is_admin and self._domains.get(actor, domain.id) is None:
            raise NotFound("Site does not exist")
        kind, text, opt = check_record(type, value, opt)
        if not isinstance(host, str):
            raise InvalidValue("Invalid host")
        row: dict[str, Any] = {
            "domain_id": domain.id,
            "type": kind,
            "host": host_in_zone(host, domain.ascii_name),
            "value": text,
            "opt": opt,
            "ttl": _ttl(ttl, DEFAULT_TTL),
        }
        try:
            with self._db.begin() as conn:
                record = insert_record(conn, row, actor)
                touch_zone(conn, domain.id)
        except sa.exc.IntegrityError:  # the only constraint a record can fail: its domain's
            raise NotFound("Site does not exist") from None
        return record

    def update(self, actor: Identity, record: Record, values: Mapping[str, Any]) -> Record:
        """Change a record; it is then user-modified (sync-with-template leaves it be)."""
        domain = self._domains.get(actor, record.domain_id)
        if domain is None:
            raise NotFound("DNS record does not exist")
        kind, text, opt = check_record(
            values.get("type") or record.type,
            values["value"] if values.get("value") is not None else record.value,
            values["opt"] if values.get("opt") is not None else record.opt,
        )
        host = values.get("host")
        if host is not None and not isinstance(host, str):
            raise InvalidValue("Invalid host")
        row: dict[str, Any] = {
            "type": kind,
            "value": text,
            "opt": opt,
            "ttl": _ttl(values.get("ttl"), record.ttl),
            "host": host_in_zone(host, domain.ascii_name) if host is not None else record.host,
        }
        new = Record(id=record.id, domain_id=record.domain_id, **row)
        with self._db.begin() as conn:
            conn.execute(_R.update().where(_R.c.id == record.id).values(**row, modified=True))
            events.record(
                conn, "dns_zone_rec", events.UPDATE, record.id, new.host, actor,
                old=record.event_values(), new=new.event_values(),
            )  # fmt: skip
            touch_zone(conn, record.domain_id)
        return new

    def delete(self, actor: Identity, record_id: int) -> Record:
        """Raises NotFound for an unknown record or one the actor may not see; then
        nothing is deleted. The record is deleted first and the actor's reach checked on
        what the delete returned, in its transaction: one statement, not a read before."""
        with self._db.begin() as conn:
            row = _DELETE.returned_row(conn, id=record_id)
            if row is None or not self._sees(actor, row[1]):
                raise NotFound("DNS record does not exist")  # rolls the delete back
            record = Record(*row)
            events.record(
                conn, "dns_zone_rec", events.DELETE, record.id, record.host, actor,
                old=record.event_values(),
            )  # fmt: skip
            touch_zone(conn, record.domain_id)
        return record
