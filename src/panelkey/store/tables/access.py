"""Who may come in: secret keys, the audit of refusals, the change feed, panel sessions."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

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
    # panelkey's additions (docs/keys.md); empty for a plain key made the Plesk way.
    sa.Column("expires", sa.String(20), nullable=True),
    sa.Column("scope", sa.Text, nullable=False, server_default=""),
    sa.Column("rate", sa.String(16), nullable=False, server_default=""),
    sa.Column("requests", sa.Integer, nullable=False, server_default="0"),
    sa.Column("refusals", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_secret_keys_owner", "owner_id"),  # 0014
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
    # Refusals this entry stands for: repeats within one interval are counted here.
    sa.Column("count", sa.Integer, nullable=False, server_default="1"),
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

# Panel sessions (server/create_session, REST POST /server/session): only a digest of
# the secret part of a session id is kept; `handle` is its public first part.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("handle", sa.String(32), nullable=False, unique=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("ip", sa.String(45), nullable=False, server_default=""),
    sa.Column("source_server", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Column("last_active", sa.String(20), nullable=False),
    # 0015: the whole id, encrypted with the server's session key (kept outside the store)
    sa.Column("sealed", sa.Text, nullable=True),
    sqlite_autoincrement=True,
)
