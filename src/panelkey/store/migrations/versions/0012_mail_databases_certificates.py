"""Mail names, database servers, databases and their users, certificates (tier 2, part two).

The two local database servers Plesk has from its installation (MySQL on 3306 and
PostgreSQL on 5432, each the default of its type) are made here, so that a new store
and an old one migrated to this revision both have them.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = (
    "certificates",
    "db_users",
    "databases",
    "db_servers",
    "mail_aliases",
    "mail_forwards",
    "mail_names",
    "mail_services",
)


def _domain_fk(nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domains.id", ondelete="CASCADE"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "mail_services",
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "mail_names",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_fk(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False, server_default=""),
        sa.Column("mailbox", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("quota", sa.BigInteger, nullable=False, server_default="-1"),
        sa.Column("forwarding", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("domain_id", "name", name="uq_mail_names_domain_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "mail_forwards",
        sa.Column(
            "mail_id",
            sa.Integer,
            sa.ForeignKey("mail_names.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("address", sa.String(320), primary_key=True),
    )
    op.create_table(
        "mail_aliases",
        sa.Column(
            "mail_id",
            sa.Integer,
            sa.ForeignKey("mail_names.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _domain_fk(),
        sa.Column("alias", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("domain_id", "alias", name="pk_mail_aliases"),
    )
    op.create_index("ix_mail_aliases_mail", "mail_aliases", ["mail_id"])
    servers = op.create_table(
        "db_servers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("host", sa.String(253), nullable=False),
        sa.Column("port", sa.Integer, nullable=False),
        sa.Column("admin_login", sa.String(64), nullable=False, server_default=""),
        sa.Column("is_local", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    assert servers is not None
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    op.bulk_insert(
        servers,
        [
            {
                "type": "mysql",
                "host": "localhost",
                "port": 3306,
                "admin_login": "admin",
                "is_local": True,
                "is_default": True,
                "created": now,
            },
            {
                "type": "postgresql",
                "host": "localhost",
                "port": 5432,
                "admin_login": "postgres",
                "is_local": True,
                "is_default": True,
                "created": now,
            },
        ],
    )
    op.create_table(
        "databases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _domain_fk(),
        sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("default_user_id", sa.Integer, nullable=True),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("server_id", "name", name="uq_databases_server_name"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_databases_domain", "databases", ["domain_id"])
    op.create_table(
        "db_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "database_id",
            sa.Integer,
            sa.ForeignKey("databases.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("server_id", "login", name="uq_db_users_server_login"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_db_users_database", "db_users", ["database_id"])
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("repository", sa.String(32), nullable=False),
        _domain_fk(nullable=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("csr", sa.Text, nullable=False, server_default=""),
        sa.Column("private_key", sa.Text, nullable=False, server_default=""),
        sa.Column("certificate", sa.Text, nullable=False, server_default=""),
        sa.Column("ca_certificate", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("repository", "name", name="uq_certificates_repository_name"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
