"""The initial schema: accounts, secret keys, domains, DNS records, audit, changes, meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables(metadata: sa.MetaData) -> list[sa.Table]:
    # Written out, not read from store/tables/: a revision must not change when the code's
    # tables do. These are the tables as they stood when 0001 stopped reading tables.py
    # (revision 0015); the later revisions that alter them check what a store has, so a
    # store made by either form of 0001 ends the same.
    return [
        sa.Table(
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
            sa.Index("ix_accounts_owner", "owner_id"),
            sa.Index("ix_accounts_external_id", "external_id"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "secret_keys",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column(
                "owner_id",
                sa.Integer,
                sa.ForeignKey("accounts.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("addresses", sa.Text, nullable=False, server_default=""),
            sa.Column("description", sa.Text, nullable=False, server_default=""),
            sa.Column("created", sa.String(20), nullable=False),
            sa.Column("last_used", sa.String(20), nullable=True),
            sa.Column("last_used_ip", sa.String(45), nullable=True),
            sa.Column("expires", sa.String(20), nullable=True),
            sa.Column("scope", sa.Text, nullable=False, server_default=""),
            sa.Column("rate", sa.String(16), nullable=False, server_default=""),
            sa.Column("requests", sa.Integer, nullable=False, server_default="0"),
            sa.Column("refusals", sa.Integer, nullable=False, server_default="0"),
            sa.Index("ix_secret_keys_owner", "owner_id"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
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
            sa.Index("ix_domains_owner", "owner_id"),
            sa.Index("ix_domains_base", "base_domain_id"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "dns_records",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column(
                "domain_id",
                sa.Integer,
                sa.ForeignKey("domains.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("type", sa.String(8), nullable=False),
            sa.Column("host", sa.Text, nullable=False),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("opt", sa.Text, nullable=False, server_default=""),
            sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
            sa.Column("template_id", sa.Integer, nullable=True),
            sa.Column("modified", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Index("ix_dns_records_domain", "domain_id"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
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
            sa.Column("count", sa.Integer, nullable=False, server_default="1"),
            sa.Index("ix_audit_at", "at"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "changes",
            metadata,
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("at", sa.String(20), nullable=False),
            sa.Column("kind", sa.String(32), nullable=False),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "meta",
            metadata,
            sa.Column("name", sa.String(64), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    for table in _tables(sa.MetaData()):
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(_tables(sa.MetaData())):
        table.drop(bind)
