"""DNS: zone records, the server-wide template, zones' status and SOA."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

dns_records = sa.Table(
    "dns_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("opt", sa.Text, nullable=False, server_default=""),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    # The template record this one was made from (no foreign key: it outlives its
    # source, so that sync-with-template can remove it), and whether a user changed it.
    sa.Column("template_id", sa.Integer, nullable=True),
    sa.Column("modified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_dns_records_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# The server-wide DNS template: hosts and values hold <domain> and <ip> placeholders.
dns_template = sa.Table(
    "dns_template",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("opt", sa.Text, nullable=False, server_default=""),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    sqlite_autoincrement=True,
)

# One row per zone (domain): its status and SOA values. A domain without a row has
# an enabled zone with the template's SOA values.
dns_zones = sa.Table(
    "dns_zones",
    metadata,
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domains.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("status", sa.String(16), nullable=False, server_default="enabled"),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    sa.Column("refresh", sa.Integer, nullable=False, server_default="10800"),
    sa.Column("retry", sa.Integer, nullable=False, server_default="3600"),
    sa.Column("expire", sa.Integer, nullable=False, server_default="604800"),
    sa.Column("minimum", sa.Integer, nullable=False, server_default="10800"),
    sa.Column("serial", sa.BigInteger, nullable=False, server_default="1"),
)

# Primary (master) name servers of a zone switched to secondary (dns/add_master_server).
dns_master_servers = sa.Table(
    "dns_master_servers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("ip_address", sa.String(45), nullable=False),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_dns_master_servers_domain", "domain_id"),
    sqlite_autoincrement=True,
)
