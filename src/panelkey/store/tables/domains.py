"""Domains (subscriptions, sites), their own settings, and the IP pool."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

domains = sa.Table(
    "domains",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(253), nullable=False, unique=True),
    sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("hosting_type", sa.String(32), nullable=False, server_default="virtual"),
    sa.Column("base_domain_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("www_root", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    sa.Column("ip_address", sa.Text, nullable=False, server_default=""),
    sa.Column("ftp_login", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_domains_owner", "owner_id"),  # 0014: reads by owner and webspace stay flat
    sa.Index("ix_domains_base", "base_domain_id"),
    sqlite_autoincrement=True,
)

# Settings set on a domain itself (a subscription's own limits, a site's prefs, ...).
domain_settings = sa.Table(
    "domain_settings",
    metadata,
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("block", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The server's addresses (Plesk's IP pool): the host's own at first start, then ip/add.
ip_addresses = sa.Table(
    "ip_addresses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("address", sa.String(45), nullable=False, unique=True),
    sa.Column("netmask", sa.String(45), nullable=False),
    sa.Column("interface", sa.String(64), nullable=False, server_default=""),
    sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
    sa.Column("public_address", sa.String(45), nullable=False, server_default=""),
    sa.Column("certificate_name", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# Which reseller has which address in its pool, shared or exclusive.
ip_pool = sa.Table(
    "ip_pool",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "ip_id", sa.Integer, sa.ForeignKey("ip_addresses.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
    sa.UniqueConstraint("account_id", "ip_id", name="uq_ip_pool_account_ip"),
    sqlite_autoincrement=True,
)
