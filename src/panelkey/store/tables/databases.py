"""Database servers, databases and database users."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, ref, stamp, string, table, text

# Database servers: a local MySQL and a local PostgreSQL made by migration 0012.
db_servers = table(
    "db_servers",
    string("type", 16),
    string("host", 253),
    sa.Column("port", sa.Integer, nullable=False),
    string("admin_login", 64, ""),
    flag("is_local", False),
    flag("is_default", False),
    stamp(),
)

# Databases of a subscription (a webspace), on a server; names unique per server.
databases = table(
    "databases",
    ref("domain_id", "domains.id"),
    ref("server_id", "db_servers.id", ondelete=None),
    string("name", 64),
    string("type", 16),
    sa.Column("default_user_id", sa.Integer, nullable=True),
    stamp(),
    sa.UniqueConstraint("server_id", "name", name="uq_databases_server_name"),
    sa.Index("ix_databases_domain", "domain_id"),
)

# Database users: a password hash only; logins unique per server.
db_users = table(
    "db_users",
    # 0015: NULL for a user of every database of its subscription
    ref("database_id", "databases.id", nullable=True),
    # 0015: the subscription of a user without a database (add-db-user without db-id)
    ref("domain_id", "domains.id", nullable=True, fk_name="fk_db_users_domain"),
    ref("server_id", "db_servers.id", ondelete=None),
    string("login", 64),
    text("password_hash", None),
    stamp(),
    sa.UniqueConstraint("server_id", "login", name="uq_db_users_server_login"),
    sa.Index("ix_db_users_database", "database_id"),
    sa.Index("ix_db_users_domain", "domain_id"),
)
