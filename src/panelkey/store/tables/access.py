"""Who may come in: secret keys, the audit of refusals, the change feed, panel sessions."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import number, ref, stamp, string, table, text, texts

secret_keys = table(
    "secret_keys",
    string("digest", 64, unique=True),
    ref("owner_id", "accounts.id"),
    *texts("addresses", "description"),
    stamp(),
    stamp("last_used", nullable=True),
    sa.Column("last_used_ip", sa.String(45), nullable=True),
    # panelkey's additions (docs/keys.md); empty for a plain key made the Plesk way.
    stamp("expires", nullable=True),
    text("scope"),
    string("rate", 16, ""),
    number("requests", 0),
    number("refusals", 0),
    sa.Index("ix_secret_keys_owner", "owner_id"),  # 0014
)

audit = table(
    "audit",
    stamp("at"),
    string("face", 8),
    string("event", 32),
    text("actor"),
    string("source_ip", 45, ""),
    sa.Column("key_id", sa.Integer, nullable=True),
    *texts("reason", "detail"),
    # Refusals this entry stands for: repeats within one interval are counted here.
    number("count", 1),
    sa.Index("ix_audit_at", "at"),
)

# One row per write that can change who may authenticate; servers watch it to drop caches.
changes = table("changes", stamp("at"), string("kind", 32), key="seq")

# Panel sessions (server/create_session, REST POST /server/session): only a digest of
# the secret part of a session id is kept; `handle` is its public first part.
sessions = table(
    "sessions",
    string("handle", 32, unique=True),
    string("digest", 64),
    ref("account_id", "accounts.id"),
    string("type", 16),
    string("ip", 45, ""),
    text("source_server"),
    stamp(),
    stamp("last_active"),
    # 0015: the whole id, encrypted with the server's session key (kept outside the store)
    sa.Column("sealed", sa.Text, nullable=True),
)

# Limits every worker and server on this store share (core/access/ledger.py): counts of
# wrong passwords and wrong keys with the lockouts they earned, and the admissions of
# rate-limited keys. Times are seconds since the epoch, to the fraction.
access_limits = table(
    "access_limits",
    string("name", 120, primary_key=True),  # "source 203.0.113.9", "login admin", ...
    string("login", 64, ""),  # the login last tried, so lifting a login's lockouts finds them
    number("failures", 0),
    sa.Column("since", sa.Float, nullable=False, server_default="0"),
    number("lockouts", 0),
    sa.Column("until", sa.Float, nullable=False, server_default="0"),
    sa.Column("last", sa.Float, nullable=False, server_default="0"),
    sa.Index("ix_access_limits_login", "login"),
    key=None,
)

# Sources a login has logged in from with its password: a spray from elsewhere does not
# lock the login out of these (smart lockout).
familiar_sources = table(
    "familiar_sources",
    string("login", 64, primary_key=True),
    string("source", 64, primary_key=True),
    stamp("last"),
    key=None,
)
