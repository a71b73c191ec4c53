"""Subdomains, site aliases, FTP users, protected directories (tier 2, part one).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _domain_id(name: str = "domain_id") -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "subdomains",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_id(),
        _domain_id("webspace_id"),
        sa.Column("name", sa.String(253), nullable=False),
        sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
        sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Index("ix_subdomains_domain", "domain_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "site_aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_id(),
        sa.Column("name", sa.String(253), nullable=False, unique=True),
        sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
        sa.Column("status", sa.Integer, nullable=False, server_default="0"),
        sa.Column("web", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("mail", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("tomcat", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("seo_redirect", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("manage_dns", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Index("ix_site_aliases_domain", "domain_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "ftp_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_id(),
        sa.Column("name", sa.String(60), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("home", sa.Text, nullable=False, server_default="/"),
        sa.Column("quota", sa.BigInteger, nullable=False, server_default="-1"),
        sa.Column("can_read", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("can_write", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Index("ix_ftp_users_domain", "domain_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "protected_dirs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_id(),
        sa.Column("name", sa.String(1024), nullable=False),
        sa.Column("header", sa.Text, nullable=False, server_default=""),
        sa.Column("ssl", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("nonssl", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("cgi", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("domain_id", "name", name="uq_protected_dirs_domain_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "protected_dir_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "dir_id",
            sa.Integer,
            sa.ForeignKey("protected_dirs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("login", sa.String(60), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("dir_id", "login", name="uq_protected_dir_users_dir_login"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    for table in (
        "protected_dir_users",
        "protected_dirs",
        "ftp_users",
        "site_aliases",
        "subdomains",
    ):
        op.drop_table(table)
