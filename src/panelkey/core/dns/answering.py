"""Whether panelkey's DNS listener answers a zone, beyond its status: read by
`DnsZones.lookup`, written by core/dns/servers.py (apart, so that zones.py needs
nothing that needs the domains)."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store import tables

SERVER, ZONE = "dns_server", "dns_zone"  # properties kinds
_P = tables.properties


def answered(conn: sa.Connection, domain_id: int) -> bool:
    """Whether the local name server answers this (enabled) zone: not when the zone is
    a slave, nor when remote DNS is on."""
    q = sa.select(_P.c.kind).where(
        sa.or_(
            sa.and_(_P.c.kind == ZONE, _P.c.object_id == domain_id, _P.c.name == "type",
                    _P.c.value == "slave"),
            sa.and_(_P.c.kind == SERVER, _P.c.object_id == 0, _P.c.name == "remote-dns",
                    _P.c.value == "true"),
        )
    )  # fmt: skip
    return conn.execute(q.limit(1)).first() is None
