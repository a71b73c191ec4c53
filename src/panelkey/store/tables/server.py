"""The server itself: store metadata, the action log, extensions, custom buttons, and
properties kept only to be answered back."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Plesk's action log: one row per create, change and delete, whichever face did it.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("obj_class", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("obj_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("obj_name", sa.Text, nullable=False, server_default=""),
    sa.Column("actor", sa.String(60), nullable=False, server_default=""),
    sa.Column("old_values", sa.Text, nullable=False, server_default="{}"),
    sa.Column("new_values", sa.Text, nullable=False, server_default="{}"),
    sa.Index("ix_events_class", "obj_class"),
    sqlite_autoincrement=True,
)

# Installed extensions (the catalogue itself is core/server/extensions.py).
extensions = sa.Table(
    "extensions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("installed", sa.String(20), nullable=False),
)

# ui/create-custombutton: buttons kept as given, owned by an account.
custom_buttons = sa.Table(
    "custom_buttons",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# 0015: settings of an object that panelkey keeps only to answer back (core/server/properties.py).
# `kind` names the object's family (`mail_name`, `db_user`, ...); rows go with the object.
properties = sa.Table(
    "properties",
    metadata,
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("object_id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False, server_default=""),
)

# 0018: license keys (core/server/license.py). Only a digest of a key's text is kept;
# `state` is current, previous (the main key a new one replaced, for a rollback) or
# removed (an additional key taken off, still linked to the main key `linked_to`).
license_keys = sa.Table(
    "license_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("code", sa.String(255), nullable=False, server_default=""),
    sa.Column("additional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("name", sa.String(255), nullable=False, server_default=""),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("linked_to", sa.String(64), nullable=False, server_default=""),
    sa.Column("instance_id", sa.String(255), nullable=False, server_default=""),
    sa.Column("lim_date", sa.String(8), nullable=False, server_default=""),
    sa.Column("installed", sa.String(20), nullable=False),
    sa.Column("updated", sa.String(20), nullable=False, server_default=""),
    sa.Index("ix_license_keys_state", "state"),
    sqlite_autoincrement=True,
)

# 0018: Plesk's additional administrator accounts (server/add-admin-alias); only a hash
# of the password is kept.
admin_aliases = sa.Table(
    "admin_aliases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("login", sa.String(60), nullable=False, unique=True),
    sa.Column("password", sa.Text, nullable=False),
    sa.Column("email", sa.String(255), nullable=False, server_default=""),
    sa.Column("contact", sa.Text, nullable=False, server_default=""),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# 0018: domain names others than the admin may not take (server/domain-restriction-*),
# by their ASCII form; whether the list applies is a server property.
domain_restrictions = sa.Table(
    "domain_restrictions",
    metadata,
    sa.Column("name", sa.String(253), primary_key=True),
    sa.Column("created", sa.String(20), nullable=False),
)
