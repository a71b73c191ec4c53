"""DNS: zone records, the server-wide template, zones' status and SOA."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, number, ref, stamp, string, table, text

dns_records = table(
    "dns_records",
    ref("domain_id", "domains.id"),
    string("type", 8),
    text("host", None),
    text("value", None),
    text("opt"),
    number("ttl", 86400),
    # The template record this one was made from (no foreign key: it outlives its
    # source, so that sync-with-template can remove it), and whether a user changed it.
    sa.Column("template_id", sa.Integer, nullable=True),
    flag("modified", False),
    sa.Index("ix_dns_records_domain", "domain_id"),
)

# The server-wide DNS template: hosts and values hold <domain> and <ip> placeholders.
dns_template = table(
    "dns_template",
    string("type", 8),
    text("host", None),
    text("value", None),
    text("opt"),
    number("ttl", 86400),
)

# One row per zone (domain): its status and SOA values. A domain without a row has
# an enabled zone with the template's SOA values.
dns_zones = table(
    "dns_zones",
    ref("domain_id", "domains.id", primary_key=True, autoincrement=False),
    string("status", 16, "enabled"),
    number("ttl", 86400),
    number("refresh", 10800),
    number("retry", 3600),
    number("expire", 604800),
    number("minimum", 10800),
    number("serial", 1, big=True),
    key=None,
)

# Primary (master) name servers of a zone switched to secondary (dns/add_master_server).
dns_master_servers = table(
    "dns_master_servers",
    ref("domain_id", "domains.id"),
    string("ip_address", 45),
    stamp(),
    sa.Index("ix_dns_master_servers_domain", "domain_id"),
)
