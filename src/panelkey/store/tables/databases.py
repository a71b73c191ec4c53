"""Database servers, databases and database users."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

# Database servers: a local MySQL and a local PostgreSQL made by migration 0012.
db_servers = sa.Table(
    "db_servers",
    metadata,
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

# Databases of a subscription (a webspace), on a server; names unique per server.
databases = sa.Table(
    "databases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("default_user_id", sa.Integer, nullable=True),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("server_id", "name", name="uq_databases_server_name"),
    sa.Index("ix_databases_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# Database users: a password hash only; logins unique per server.
db_users = sa.Table(
    "db_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "database_id",
        sa.Integer,
        sa.ForeignKey("databases.id", ondelete="CASCADE"),
        nullable=True,  # 0015: NULL for a user of every database of its subscription
    ),
    # 0015: the subscription of a user without a database (add-db-user without db-id)
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domains.id", ondelete="CASCADE", name="fk_db_users_domain"),
        nullable=True,
    ),
    sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
    sa.Column("login", sa.String(64), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("server_id", "login", name="uq_db_users_server_login"),
    sa.Index("ix_db_users_database", "database_id"),
    sa.Index("ix_db_users_domain", "domain_id"),
    sqlite_autoincrement=True,
)
