"""The server's IP pool: its addresses (shared or exclusive) and the resellers' shares.

At first start the pool holds the host's own addresses, read without root and
without the network (``ip -j addr`` when present, else the host name's addresses),
always with 127.0.0.1. The admin adds, changes and removes addresses; an address
that a domain uses or a reseller holds cannot be removed. A reseller's customers
draw on the reseller's share; the admin's customers on every address.
"""

from __future__ import annotations

import builtins
import functools
import ipaddress
import json
import shutil
import socket
import subprocess
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import iso
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    PanelkeyError,
)
from panelkey.core.identity import AccountType, Identity, require_admin
from panelkey.core.rows import insert
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

IP_TYPES = ("shared", "exclusive")
IP_NOT_FOUND = "IP address does not exist"
# Plesk's service node of an address (its Multi-Server node), by "id" or "external-id":
# panelkey runs one node, so it keeps the reference only to answer it back.
PROPERTY_KIND = "ip_address"
NODE_REFS = ("id", "external-id")
ServiceNode = tuple[str, str]
LOOPBACK = ("127.0.0.1", "255.0.0.0", "lo")


@dataclass(frozen=True, slots=True)
class IpAddress:
    id: int
    address: str
    netmask: str
    interface: str
    type: str
    public_address: str
    certificate_name: str
    created: str


@dataclass(frozen=True, slots=True)
class PoolEntry:
    """One address in a reseller's pool, with the type it has there."""

    account_id: int
    ip: IpAddress
    type: str


def check_address(value: str) -> str:
    """The canonical text of an IPv4 or IPv6 address; raises InvalidValue."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        raise InvalidValue(f"Invalid IP address: {value!r}") from None


def check_netmask(value: str, address: str) -> str:
    """A dotted IPv4 mask, or for IPv6 a prefix length / mask; raises InvalidValue."""
    text = str(value).strip()
    try:
        net = ipaddress.ip_network(f"{address}/{text}", strict=False)
    except ValueError:
        raise InvalidValue(f"Invalid netmask: {value!r}") from None
    return str(net.netmask) if net.version == 4 else text


def check_type(value: str) -> str:
    text = str(value).strip()
    if text not in IP_TYPES:
        raise InvalidValue(f"Invalid IP address type: {value!r}")
    return text


@functools.cache
def host_addresses() -> tuple[tuple[str, str, str], ...]:
    """(address, netmask, interface) of this host, loopback first; read once per process."""
    found: list[tuple[str, str, str]] = [LOOPBACK]
    tool = shutil.which("ip")
    if tool is not None:
        try:
            out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [tool, "-j", "addr"], capture_output=True, text=True, timeout=5, check=True
            ).stdout
            for link in json.loads(out or "[]"):
                for info in link.get("addr_info", ()):
                    if info.get("scope") == "link":
                        continue  # fe80:: and the like are not hosting addresses
                    addr = check_address(info["local"])
                    mask = check_netmask(str(info.get("prefixlen", 32)), addr)
                    found.append((addr, mask, str(link.get("ifname", ""))))
        except (OSError, ValueError, KeyError, subprocess.SubprocessError, PanelkeyError):
            pass
    if len(found) == 1:
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP)
        except OSError:
            infos = []
        for info in infos:
            addr = check_address(str(info[4][0]).split("%")[0])
            mask = "255.255.255.255" if info[0] == socket.AF_INET else "128"
            found.append((addr, mask, ""))
    seen: dict[str, tuple[str, str, str]] = {}
    for entry in found:
        seen.setdefault(entry[0], entry)
    return tuple(seen.values())


def _as_dict(ip: IpAddress) -> dict[str, Any]:
    return {
        "address": ip.address,
        "netmask": ip.netmask,
        "interface": ip.interface,
        "type": ip.type,
        "public_address": ip.public_address,
        "certificate_name": ip.certificate_name,
    }


def check_service_node(node: ServiceNode | None) -> dict[str, str]:
    """The properties that record `node` (("id" or "external-id", value)); {} for None.
    Raises InvalidValue."""
    if node is None:
        return {}
    ref, value = node[0], node[1].strip()
    if ref not in NODE_REFS or not value:
        raise InvalidValue(f"Invalid service node: {ref} {value!r}")
    # one reference at a time: the other is cleared
    return {f"service-node.{r}": (value if r == ref else "") for r in NODE_REFS}


class Ips:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._properties = Properties(db)

    # -- reading --------------------------------------------------------------------

    @staticmethod
    def _row(row: Any) -> IpAddress:
        return IpAddress(**dict(row._mapping))

    def list(self, conn: sa.Connection | None = None) -> builtins.list[IpAddress]:
        """Every address of the server, in the order they were added."""
        q = sa.select(tables.ip_addresses).order_by(tables.ip_addresses.c.id)
        if conn is not None:
            return [self._row(r) for r in conn.execute(q)]
        with self._db.read() as own:
            return [self._row(r) for r in own.execute(q)]

    def get(self, address: str, conn: sa.Connection | None = None) -> IpAddress | None:
        """The address (any spelling of it), or None when the pool has no such address."""
        try:
            text = check_address(address)
        except InvalidValue:
            return None
        return next((ip for ip in self.list(conn) if ip.address == text), None)

    def pool(self, account_id: int, conn: sa.Connection | None = None) -> builtins.list[PoolEntry]:
        """A reseller's share of the pool."""
        p, i = tables.ip_pool, tables.ip_addresses
        q = (
            sa.select(i, p.c.type.label("pool_type"))
            .select_from(p.join(i, p.c.ip_id == i.c.id))
            .where(p.c.account_id == account_id)
            .order_by(i.c.id)
        )

        def entry(row: Any) -> PoolEntry:
            m = dict(row._mapping)
            kind = m.pop("pool_type")
            return PoolEntry(account_id, IpAddress(**m), kind)

        if conn is not None:
            return [entry(r) for r in conn.execute(q)]
        with self._db.read() as own:
            return [entry(r) for r in own.execute(q)]

    def available_to(self, account: Account) -> builtins.list[IpAddress]:
        """The addresses an account may host on: a reseller's pool; a reseller's
        customer, its reseller's pool; the admin and the admin's customers, all."""
        if account.type == AccountType.RESELLER.value:
            return [e.ip for e in self.pool(account.id)]
        if account.type == AccountType.CUSTOMER.value and account.owner_id is not None:
            with self._db.read() as conn:
                owner_type = conn.execute(
                    sa.select(tables.accounts.c.type).where(
                        tables.accounts.c.id == account.owner_id
                    )
                ).scalar()
            if owner_type == AccountType.RESELLER.value:
                return [e.ip for e in self.pool(account.owner_id)]
        return self.list()

    def service_node(self, ip: IpAddress) -> ServiceNode | None:
        """The service node given for the address (("id"|"external-id", value)), if any."""
        props = self._properties.get(PROPERTY_KIND, ip.id)
        for ref in NODE_REFS:
            if props.get(f"service-node.{ref}"):
                return ref, props[f"service-node.{ref}"]
        return None

    def is_available(self, account: Account, address: str) -> bool:
        """True when `address` is in the pool `account` may host on (see available_to)."""
        try:
            text = check_address(address)
        except InvalidValue:
            return False
        return any(ip.address == text for ip in self.available_to(account))

    def uses(self, ip: IpAddress, conn: sa.Connection | None = None) -> tuple[int, int]:
        """(domains hosted on the address, resellers holding it)."""
        d, p = tables.domains, tables.ip_pool
        domains_q = sa.select(sa.func.count()).where(d.c.ip_address == ip.address)
        pool_q = sa.select(sa.func.count()).where(p.c.ip_id == ip.id)
        if conn is None:
            with self._db.read() as own:
                return int(own.execute(domains_q).scalar() or 0), int(
                    own.execute(pool_q).scalar() or 0
                )
        return int(conn.execute(domains_q).scalar() or 0), int(conn.execute(pool_q).scalar() or 0)

    # -- writing --------------------------------------------------------------------

    def seed(self) -> int:
        """Fill an empty pool with the host's addresses (once per store); how many were added.
        Processes starting at once on a new store race here; the loser adds none."""
        try:
            with self._db.begin() as conn:
                if conn.execute(
                    sa.select(tables.meta.c.value).where(tables.meta.c.name == "ips_seeded")
                ).first():
                    return 0
                conn.execute(tables.meta.insert().values(name="ips_seeded", value=iso()))
                have = {ip.address for ip in self.list(conn)}
                rows = [
                    {"address": a, "netmask": m, "interface": i, "type": "shared", "created": iso()}
                    for a, m, i in host_addresses()
                    if a not in have
                ]
                if rows:
                    conn.execute(tables.ip_addresses.insert(), rows)
        except sa.exc.IntegrityError:
            return 0  # another process marked the store seeded first, in its own transaction
        return len(rows)

    def add(
        self,
        actor: Identity,
        *,
        address: str,
        netmask: str,
        type: str = "shared",
        interface: str = "",
        public_address: str = "",
        certificate_name: str = "",
        service_node: ServiceNode | None = None,
    ) -> IpAddress:
        """A new address of the server, on `service_node` when given (kept to answer
        back). Raises PermissionDenied (not the admin), InvalidValue, AlreadyExists."""
        require_admin(actor)
        text = check_address(address)
        node = check_service_node(service_node)
        values = {
            "address": text,
            "netmask": check_netmask(netmask, text),
            "type": check_type(type),
            "interface": str(interface).strip(),
            "public_address": check_address(public_address) if public_address.strip() else "",
            "certificate_name": certificate_name,
        }
        with self._db.begin() as conn:
            if self.get(text, conn) is not None:
                raise AlreadyExists(f"IP address {text} already exists.")
            new_id = insert(conn, tables.ip_addresses, **values)
            self._properties.set(PROPERTY_KIND, new_id, node, conn)
            events.record(
                conn, "ip_address", events.CREATE, new_id, text, actor,
                new={**values, **{k: v for k, v in node.items() if v}},
            )  # fmt: skip
            made = self.get(text, conn)
        assert made is not None
        return made

    def update(
        self, actor: Identity, ip: IpAddress, *, type: str | None = None,
        certificate_name: str | None = None, public_address: str | None = None,
        service_node: ServiceNode | None = None,
    ) -> IpAddress:  # fmt: skip
        """Change the type, certificate, public address or service node. An address
        several resellers hold cannot become exclusive. Raises PermissionDenied,
        InvalidValue, NotFound."""
        require_admin(actor)
        node = check_service_node(service_node)
        row: dict[str, Any] = {}
        if type is not None:
            row["type"] = check_type(type)
        if certificate_name is not None:
            row["certificate_name"] = certificate_name
        if public_address is not None:
            row["public_address"] = check_address(public_address) if public_address.strip() else ""
        with self._db.begin() as conn:
            current = self.get(ip.address, conn)
            if current is None:
                raise NotFound(IP_NOT_FOUND)
            if row.get("type") == "exclusive" and self.uses(current, conn)[1] > 1:
                raise PanelkeyError(
                    f"IP address {ip.address} is held by several resellers: it cannot be exclusive"
                )
            if not row and not node:
                return current
            if row:
                conn.execute(
                    tables.ip_addresses.update()
                    .where(tables.ip_addresses.c.id == current.id)
                    .values(**row)
                )
            old = _as_dict(current)
            old_node = self._properties.get(PROPERTY_KIND, current.id, conn)
            self._properties.set(PROPERTY_KIND, current.id, node, conn)
            events.record(
                conn, "ip_address", events.UPDATE, current.id, current.address, actor,
                old={**{k: old[k] for k in row}, **{k: old_node.get(k, "") for k in node}},
                new={**row, **node},
            )  # fmt: skip
            updated = self.get(ip.address, conn)
        assert updated is not None
        return updated

    def delete(self, actor: Identity, ip: IpAddress) -> None:
        """Remove an address no domain uses and no reseller holds, other than 127.0.0.1.
        Raises PermissionDenied, NotFound, PanelkeyError (1023, in use)."""
        require_admin(actor)
        with self._db.begin() as conn:
            current = self.get(ip.address, conn)
            if current is None:
                raise NotFound(IP_NOT_FOUND)
            if current.address == LOOPBACK[0]:
                raise PanelkeyError("The loopback address cannot be removed.")
            domains, resellers = self.uses(current, conn)
            if domains or resellers:
                raise PanelkeyError(
                    f"IP address {current.address} is in use "
                    f"({domains} domain(s), {resellers} reseller pool(s))."
                )
            conn.execute(tables.ip_addresses.delete().where(tables.ip_addresses.c.id == current.id))
            self._properties.purge(PROPERTY_KIND, current.id, conn)
            events.record(
                conn, "ip_address", events.DELETE, current.id, current.address, actor,
                old=_as_dict(current),
            )  # fmt: skip

    # -- a reseller's share ------------------------------------------------------------

    def pool_put(
        self, actor: Identity, reseller: Account, address: str, type: str | None = None
    ) -> PoolEntry:
        """Add an address to a reseller's pool, or change its type there (`type` None on
        add = the address's own type). An exclusive address goes to one reseller only.
        Raises PermissionDenied, InvalidValue, NotFound (no such address)."""
        require_admin(actor)
        if reseller.type != AccountType.RESELLER.value:
            raise InvalidValue(f"Account {reseller.login!r} is not a reseller")
        with self._db.begin() as conn:
            ip = self.get(address, conn)
            if ip is None:
                raise NotFound(IP_NOT_FOUND)
            kind = check_type(type) if type is not None else ip.type
            p = tables.ip_pool
            others = conn.execute(
                sa.select(p.c.account_id).where(p.c.ip_id == ip.id, p.c.account_id != reseller.id)
            ).all()
            if kind == "exclusive" and others:
                raise PanelkeyError(f"IP address {ip.address} is already in another pool.")
            held = [e for e in self.pool(reseller.id, conn) if e.ip.id == ip.id]
            if held:
                conn.execute(
                    p.update()
                    .where(p.c.account_id == reseller.id, p.c.ip_id == ip.id)
                    .values(type=kind)
                )
            else:
                conn.execute(p.insert().values(account_id=reseller.id, ip_id=ip.id, type=kind))
            events.record(
                conn, "reseller_ip_pool", events.UPDATE if held else events.CREATE, reseller.id,
                reseller.login, actor,
                old={"ip_address": ip.address, "type": held[0].type} if held else None,
                new={"ip_address": ip.address, "type": kind},
            )  # fmt: skip
        return PoolEntry(reseller.id, ip, kind)

    def pool_remove(self, actor: Identity, reseller: Account, address: str) -> None:
        """Take an address out of a reseller's pool; refused while a domain of the
        reseller or its customers is hosted on it. Raises PermissionDenied, NotFound."""
        require_admin(actor)
        with self._db.begin() as conn:
            ip = self.get(address, conn)
            held = ip is not None and any(e.ip.id == ip.id for e in self.pool(reseller.id, conn))
            if ip is None or not held:
                raise NotFound(IP_NOT_FOUND)
            a, d = tables.accounts, tables.domains
            owners = sa.select(a.c.id).where(
                sa.or_(a.c.id == reseller.id, a.c.owner_id == reseller.id)
            )
            used = conn.execute(
                sa.select(sa.func.count()).where(
                    d.c.ip_address == ip.address, d.c.owner_id.in_(owners)
                )
            ).scalar()
            if used:
                raise PanelkeyError(f"IP address {ip.address} is used by the reseller's domains.")
            conn.execute(
                tables.ip_pool.delete().where(
                    tables.ip_pool.c.account_id == reseller.id, tables.ip_pool.c.ip_id == ip.id
                )
            )
            events.record(
                conn, "reseller_ip_pool", events.DELETE, reseller.id, reseller.login, actor,
                old={"ip_address": ip.address},
            )  # fmt: skip
