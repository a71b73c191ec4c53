"""The schema, as SQLAlchemy Core tables. Migrations create it; code queries it.

Timestamps are ISO 8601 UTC strings (`2026-11-22T14:03:11Z`): they sort, compare and
print the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("login", sa.String(60), nullable=False),
    sa.Column("login_key", sa.String(60), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    sa.Column("company", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("fax", sa.Text, nullable=False, server_default=""),
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("city", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.Text, nullable=False, server_default=""),
    sa.Column("pcode", sa.Text, nullable=False, server_default=""),
    sa.Column("country", sa.Text, nullable=False, server_default=""),
    sa.Column("locale", sa.Text, nullable=False, server_default="en-US"),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("external_id", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Integer, nullable=False, server_default="0"),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=True),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

secret_keys = sa.Table(
    "secret_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("addresses", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Column("last_used", sa.String(20), nullable=True),
    sa.Column("last_used_ip", sa.String(45), nullable=True),
    sqlite_autoincrement=True,
)

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
    sqlite_autoincrement=True,
)

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
    sa.Index("ix_dns_records_domain", "domain_id"),
    sqlite_autoincrement=True,
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("face", sa.String(8), nullable=False),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("actor", sa.Text, nullable=False, server_default=""),
    sa.Column("source_ip", sa.String(45), nullable=False, server_default=""),
    sa.Column("key_id", sa.Integer, nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_audit_at", "at"),
    sqlite_autoincrement=True,
)

# One row per write that can change who may authenticate; servers watch it to drop caches.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sqlite_autoincrement=True,
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
