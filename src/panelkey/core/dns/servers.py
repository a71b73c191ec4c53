"""The name server's own settings and a zone's role in it: the ACL of hosts allowed
zone transfers (``get_acl``, ``add_to_acl``, ``remove_from_acl``), recursion
(``set-recursion``, ``get-recursion``), remote DNS (``enable-remote-dns``, ...), a
zone's type (``switch``: master or slave) and a slave zone's primary servers
(``add_master_server``, ...).

Server-wide values are the administrator's and live in `properties` under kind
``dns_server`` (object 0); a zone's type under kind ``dns_zone``. What panelkey's DNS
listener honours (`answered`): a slave zone is not answered (panelkey holds no
transferred copy: REFUSED, as for a disabled zone), and with remote DNS on the local
server answers no zone. The ACL and recursion are kept and shown only: the listener
refuses every transfer and never recurses.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.dns.answering import SERVER, ZONE
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.core.identity import Identity, require_admin
from panelkey.core.owned import exists
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

ACL_PREFIX = "acl:"
RECURSION = ("on", "off", "local", "localnets")
DEFAULT_RECURSION = "localnets"
ZONE_TYPES = ("master", "slave")
MASTER_NOT_FOUND = "Master DNS server does not exist"
SITE_NOT_FOUND = "Site does not exist"
_ADMIN_ONLY = "Only the administrator manages the DNS server."
_M, _P = tables.dns_master_servers, tables.properties
_HOSTNAME = re.compile(
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)


def _acl_host(text: str) -> str:
    """An address, a network (CIDR) or a host name; InvalidValue otherwise."""
    value = text.strip().lower()
    try:
        return (
            str(ipaddress.ip_network(value, strict=False))
            if "/" in value
            else str(ipaddress.ip_address(value))
        )
    except ValueError:
        pass
    if len(value) <= 253 and _HOSTNAME.match(value):
        return value
    raise InvalidValue(f"Invalid host: {text!r}")


class DnsServer:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        self._properties = Properties(db)
        domains.on_delete(self.purge)

    def _server(self) -> dict[str, str]:
        return self._properties.get(SERVER, 0)

    def _write(
        self, actor: Identity, values: dict[str, str], drop: list[str] | None = None
    ) -> None:
        drop = drop or []
        with self._db.begin() as conn:
            if drop:
                conn.execute(
                    _P.delete().where(_P.c.kind == SERVER, _P.c.object_id == 0, _P.c.name.in_(drop))
                )
            self._properties.set(SERVER, 0, values, conn=conn)
            events.record(
                conn, "dns_server", events.UPDATE, actor=actor,
                new={**values, **{n: None for n in drop}},
            )  # fmt: skip

    # -- ACL -------------------------------------------------------------------------

    def acl(self, actor: Identity) -> list[str]:
        require_admin(actor, _ADMIN_ONLY)
        return [n[len(ACL_PREFIX) :] for n in self._server() if n.startswith(ACL_PREFIX)]

    def add_to_acl(self, actor: Identity, host: str) -> str:
        require_admin(actor, _ADMIN_ONLY)
        value = _acl_host(host)
        if value in self.acl(actor):
            raise PanelkeyError(f"The host {value} is already in the ACL.")
        self._write(actor, {ACL_PREFIX + value: ""})
        return value

    def remove_from_acl(self, actor: Identity, host: str) -> str:
        require_admin(actor, _ADMIN_ONLY)
        value = host.strip().lower()
        with contextlib.suppress(InvalidValue):
            value = _acl_host(value)
        if value not in self.acl(actor):
            raise NotFound(f"The host {host.strip()} is not in the ACL.")
        self._write(actor, {}, [ACL_PREFIX + value])
        return value

    # -- recursion and remote DNS ----------------------------------------------------

    def recursion(self, actor: Identity) -> str:
        require_admin(actor, _ADMIN_ONLY)
        return self._server().get("recursion", DEFAULT_RECURSION)

    def set_recursion(self, actor: Identity, value: str) -> None:
        require_admin(actor, _ADMIN_ONLY)
        if value.strip() not in RECURSION:
            raise InvalidValue(f"Unsupported recursion type: {value!r}")
        self._write(actor, {"recursion": value.strip()})

    def remote_dns(self, actor: Identity) -> bool:
        require_admin(actor, _ADMIN_ONLY)
        return self._server().get("remote-dns") == "true"

    def set_remote_dns(self, actor: Identity, on: bool) -> None:
        require_admin(actor, _ADMIN_ONLY)
        self._write(actor, {"remote-dns": "true" if on else "false"})

    # -- a zone's type and its primary servers ----------------------------------------

    def _zone(self, actor: Identity, domain: Domain) -> Domain:
        found = self._domains.get(actor, domain.id)
        if found is None:
            raise NotFound(SITE_NOT_FOUND)
        return found

    def zone_type(self, actor: Identity, domain: Domain) -> str:
        return self._properties.get(ZONE, self._zone(actor, domain).id).get("type", "master")

    def switch(self, actor: Identity, domain: Domain, zone_type: str) -> None:
        zone = self._zone(actor, domain)
        if zone_type.strip() not in ZONE_TYPES:
            raise InvalidValue(f"Invalid zone type: {zone_type!r}")
        with self._db.begin() as conn:
            self._properties.set(ZONE, zone.id, {"type": zone_type.strip()}, conn=conn)
            events.record(
                conn,
                "dns_zone",
                events.UPDATE,
                zone.id,
                zone.ascii_name,
                actor,
                new={"zone_type": zone_type.strip()},
            )

    def masters(self, actor: Identity, domain: Domain | None = None) -> list[tuple[int, int, str]]:
        """(id, domain id, address) of the zones' primary servers the actor sees."""
        seen = [d.id for d in self._domains.list(actor)]
        q = sa.select(_M.c.id, _M.c.domain_id, _M.c.ip_address).where(_M.c.domain_id.in_(seen))
        if domain is not None:
            q = q.where(_M.c.domain_id == self._zone(actor, domain).id)
        with self._db.read() as conn:
            return [
                (int(r.id), int(r.domain_id), r.ip_address)
                for r in conn.execute(q.order_by(_M.c.id))
            ]

    def master(self, actor: Identity, master_id: int) -> tuple[int, int, str]:
        found = [m for m in self.masters(actor) if m[0] == master_id]
        if not found:
            raise NotFound(MASTER_NOT_FOUND)
        return found[0]

    def add_master(self, actor: Identity, domain: Domain, address: str) -> int:
        zone = self._zone(actor, domain)
        try:
            ip = str(ipaddress.ip_address(address.strip()))
        except ValueError:
            raise InvalidValue(f"Invalid IP address: {address!r}") from None
        with self._db.begin() as conn:
            if exists(conn, _M, _M.c.domain_id == zone.id, _M.c.ip_address == ip):
                raise PanelkeyError(f"The master DNS server {ip} already exists for the zone.")
            made = conn.execute(
                _M.insert().values(domain_id=zone.id, ip_address=ip, created=iso())
            ).inserted_primary_key[0]  # type: ignore[index]
            events.record(
                conn,
                "dns_master_server",
                events.CREATE,
                int(made),
                ip,
                actor,
                new={"zone": zone.ascii_name, "ip_address": ip},
            )
        return int(made)

    def delete_master(self, actor: Identity, master_id: int) -> None:
        found_id, _domain_id, ip = self.master(actor, master_id)
        with self._db.begin() as conn:
            conn.execute(_M.delete().where(_M.c.id == found_id))
            events.record(conn, "dns_master_server", events.DELETE, found_id, ip, actor)

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: list[int]) -> None:
        """Domains.on_delete: the zones' types (their master servers cascade)."""
        conn.execute(_P.delete().where(_P.c.kind == ZONE, _P.c.object_id.in_(domain_ids)))
