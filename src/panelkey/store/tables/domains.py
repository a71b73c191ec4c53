"""Domains (subscriptions, sites), their own settings, and the IP pool."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import (
    number,
    ref,
    settings_of,
    stamp,
    string,
    table,
    text,
    texts,
)

domains = table(
    "domains",
    string("guid", 36, unique=True),
    string("name", 253, unique=True),
    string("ascii_name", 253, unique=True),
    ref("owner_id", "accounts.id", ondelete=None),
    string("hosting_type", 32, "virtual"),
    number("base_domain_id", 0),
    text("www_root"),
    string("status", 16, "active"),
    *texts("ip_address", "ftp_login", "description"),
    stamp(),
    sa.Index("ix_domains_owner", "owner_id"),  # 0014: reads by owner and webspace stay flat
    sa.Index("ix_domains_base", "base_domain_id"),
)

# Settings set on a domain itself (a subscription's own limits, a site's prefs, ...).
domain_settings = settings_of("domain_settings", ref("domain_id", "domains.id", primary_key=True))

# The server's addresses (Plesk's IP pool): the host's own at first start, then ip/add.
ip_addresses = table(
    "ip_addresses",
    string("address", 45, unique=True),
    string("netmask", 45),
    string("interface", 64, ""),
    string("type", 16, "shared"),
    string("public_address", 45, ""),
    text("certificate_name"),
    stamp(),
)

# Which reseller has which address in its pool, shared or exclusive.
ip_pool = table(
    "ip_pool",
    ref("account_id", "accounts.id"),
    ref("ip_id", "ip_addresses.id"),
    string("type", 16, "shared"),
    sa.UniqueConstraint("account_id", "ip_id", name="uq_ip_pool_account_ip"),
)
