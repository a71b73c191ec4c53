"""DNS zones: the records of each domain, hosts always absolute with a trailing dot."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database

if TYPE_CHECKING:
    from panelkey.core.domains import Domain, Domains

TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "CAA")
_NAME_VALUED = ("CNAME", "MX", "NS", "PTR", "SRV")
DEFAULT_TTL = 86400


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
        return {
            "id": self.id,
            "type": self.type,
            "host": self.host,
            "value": self.value,
            "opt": self.opt,
            "ttl": self.ttl,
        }


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
    """`absolute_host`, refusing (InvalidValue) a name outside the zone."""
    full = absolute_host(host, zone)
    if full != zone + "." and not full.endswith("." + zone + "."):
        raise InvalidValue(f"The host {host!r} is outside the zone {zone!r}")
    return full


def default_records(zone: str, ip: str) -> list[dict[str, Any]]:
    """The zone a new Plesk domain starts with."""
    apex = zone + "."

    def rec(type_: str, host: str, value: str, opt: str = "") -> dict[str, Any]:
        return {"type": type_, "host": host, "value": value, "opt": opt, "ttl": DEFAULT_TTL}

    a_type = "AAAA" if ":" in ip else "A"
    return [
        rec("NS", apex, f"ns.{apex}"),
        rec(a_type, f"ns.{apex}", ip),
        rec(a_type, apex, ip),
        rec(a_type, f"www.{apex}", ip),
        rec(a_type, f"mail.{apex}", ip),
        rec(a_type, f"webmail.{apex}", ip),
        rec("CNAME", f"ftp.{apex}", apex),
        rec("MX", apex, f"mail.{apex}", "10"),
        rec("TXT", apex, "v=spf1 +a +mx -all"),
        rec("TXT", f"_dmarc.{apex}", "v=DMARC1; p=none"),
    ]


def check_record(type_: str, value: str, opt: str) -> tuple[str, str, str]:
    """(type, value, opt) checked and normalised; raises InvalidValue."""
    if not isinstance(type_, str) or type_.upper() not in TYPES:
        raise InvalidValue(f"Invalid DNS record type: {type_!r}")
    kind = type_.upper()
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("A DNS record needs a value")
    if not isinstance(opt, str):
        raise InvalidValue("Invalid opt")
    text = value.strip()
    try:
        if kind == "A":
            text = str(ipaddress.IPv4Address(text))
        elif kind == "AAAA":
            text = str(ipaddress.IPv6Address(text))
    except ValueError:
        raise InvalidValue(f"Invalid IP address for a {kind} record: {value!r}") from None
    if kind in _NAME_VALUED and not text.endswith("."):
        text += "."
    opt = opt.strip()
    if kind == "MX":
        opt = opt or "10"
        if not opt.isdigit() or int(opt) > 65535:
            raise InvalidValue(f"Invalid MX priority: {opt!r}")
    return kind, text, opt


class Dns:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains

    @staticmethod
    def _row(row: Any) -> Record:
        return Record(**dict(row._mapping))

    def records(self, actor: Identity, domain: Domain) -> list[Record]:
        """The zone of a domain the actor may see (else NotFound)."""
        if self._domains.get(actor, domain.id) is None:
            raise NotFound("Site does not exist")
        q = (
            sa.select(tables.dns_records)
            .where(tables.dns_records.c.domain_id == domain.id)
            .order_by(tables.dns_records.c.id)
        )
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q)]

    def get(self, actor: Identity, record_id: int) -> Record | None:
        """A record of a domain the actor may see, else None (as if it did not exist)."""
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(tables.dns_records).where(tables.dns_records.c.id == record_id)
            ).first()
        if row is None or self._domains.get(actor, row.domain_id) is None:
            return None
        return self._row(row)

    def add(
        self,
        actor: Identity,
        domain: Domain,
        *,
        type: str,
        host: str,
        value: str,
        opt: str = "",
        ttl: int | None = None,
    ) -> Record:
        if self._domains.get(actor, domain.id) is None:
            raise NotFound("Site does not exist")
        kind, text, opt = check_record(type, value, opt)
        if not isinstance(host, str):
            raise InvalidValue("Invalid host")
        if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0):
            raise InvalidValue("Invalid TTL")
        row: dict[str, Any] = {
            "domain_id": domain.id,
            "type": kind,
            "host": host_in_zone(host, domain.ascii_name),
            "value": text,
            "opt": opt,
            "ttl": DEFAULT_TTL if ttl is None else ttl,
        }
        with self._db.begin() as conn:
            new_id = conn.execute(tables.dns_records.insert().values(**row)).inserted_primary_key[0]  # type: ignore[index]
        return Record(id=int(new_id), **row)

    def update(self, actor: Identity, record: Record, values: Mapping[str, Any]) -> Record:
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
        ttl = values.get("ttl", record.ttl)
        if ttl is None:
            ttl = record.ttl
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
            raise InvalidValue("Invalid TTL")
        row: dict[str, Any] = {
            "type": kind,
            "value": text,
            "opt": opt,
            "ttl": ttl,
            "host": host_in_zone(host, domain.ascii_name) if host is not None else record.host,
        }
        with self._db.begin() as conn:
            conn.execute(
                tables.dns_records.update()
                .where(tables.dns_records.c.id == record.id)
                .values(**row)
            )
        return Record(id=record.id, domain_id=record.domain_id, **row)

    def delete(self, actor: Identity, record_id: int) -> Record:
        """Raises NotFound for an unknown record or one the actor may not see."""
        record = self.get(actor, record_id)
        if record is None:
            raise NotFound("DNS record does not exist")
        with self._db.begin() as conn:
            conn.execute(tables.dns_records.delete().where(tables.dns_records.c.id == record_id))
        return record
