"""What else lives in a site: virtual directories (Plesk's `virtdir`)."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

# A virtual directory of a site, or of one of its subdomains (`subdomain_id`); `name`
# its path (`/docs/v1`), unique per site or subdomain (checked in core). `properties`
# JSON: Plesk's element name -> value (text, a list of texts, or a nested object).
# Rows go with their site or subdomain (ON DELETE CASCADE; core purges sites' with events).
virtdirs = sa.Table(
    "virtdirs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "subdomain_id",
        sa.Integer,
        sa.ForeignKey("subdomains.id", ondelete="CASCADE"),
        nullable=True,
    ),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_virtdirs_domain", "domain_id"),
    sa.Index("ix_virtdirs_subdomain", "subdomain_id"),
    sqlite_autoincrement=True,
)
