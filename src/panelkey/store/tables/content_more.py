"""What else lives in a site: virtual directories (Plesk's `virtdir`)."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import ref, stamp, string, table, text

# A virtual directory of a site, or of one of its subdomains (`subdomain_id`); `name`
# its path (`/docs/v1`), unique per site or subdomain (checked in core). `properties`
# JSON: Plesk's element name -> value (text, a list of texts, or a nested object).
# Rows go with their site or subdomain (ON DELETE CASCADE; core purges sites' with events).
virtdirs = table(
    "virtdirs",
    ref("domain_id", "domains.id"),
    ref("subdomain_id", "subdomains.id", nullable=True),
    string("name", 255),
    text("properties", "{}"),
    stamp(),
    sa.Index("ix_virtdirs_domain", "domain_id"),
    sa.Index("ix_virtdirs_subdomain", "subdomain_id"),
)
