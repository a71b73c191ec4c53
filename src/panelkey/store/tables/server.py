"""The server itself: store metadata, the action log, extensions, custom buttons, and
properties kept only to be answered back."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, number, ref, stamp, string, table, text, texts

meta = table("meta", string("name", 64, primary_key=True), text("value", None), key=None)

# Plesk's action log: one row per create, change and delete, whichever face did it.
events = table(
    "events",
    stamp("at"),
    string("obj_class", 32),
    string("action", 64),
    number("obj_id", 0),
    text("obj_name"),
    string("actor", 60, ""),
    text("old_values", "{}"),
    text("new_values", "{}"),
    sa.Index("ix_events_class", "obj_class"),
)

# Installed extensions (the catalogue itself is core/server/extensions.py).
extensions = table(
    "extensions",
    string("id", 64, primary_key=True),
    flag("active", True),
    stamp("installed"),
    key=None,
)

# ui/create-custombutton: buttons kept as given, owned by an account.
custom_buttons = table(
    "custom_buttons",
    ref("owner_id", "accounts.id"),
    text("properties", "{}"),
    stamp(),
)

# 0015: settings of an object that panelkey keeps only to answer back (core/server/properties.py).
# `kind` names the object's family (`mail_name`, `db_user`, ...); rows go with the object.
properties = table(
    "properties",
    string("kind", 32, primary_key=True),
    sa.Column("object_id", sa.Integer, primary_key=True),
    string("name", 128, primary_key=True),
    text("value"),
    key=None,
)

# 0018: license keys (core/server/license.py). Only a digest of a key's text is kept;
# `state` is current, previous (the main key a new one replaced, for a rollback) or
# removed (an additional key taken off, still linked to the main key `linked_to`).
license_keys = table(
    "license_keys",
    string("key_id", 64),
    string("digest", 64),
    string("code", 255, ""),
    flag("additional", False),
    string("name", 255, ""),
    string("state", 16),
    string("linked_to", 64, ""),
    string("instance_id", 255, ""),
    string("lim_date", 8, ""),
    stamp("installed"),
    sa.Column("updated", sa.String(20), nullable=False, server_default=""),
    sa.Index("ix_license_keys_state", "state"),
)

# 0018: Plesk's additional administrator accounts (server/add-admin-alias); only a hash
# of the password is kept.
admin_aliases = table(
    "admin_aliases",
    string("login", 60, unique=True),
    text("password", None),
    string("email", 255, ""),
    *texts("contact", "comment"),
    flag("active", True),
    stamp(),
)

# 0018: domain names others than the admin may not take (server/domain-restriction-*),
# by their ASCII form; whether the list applies is a server property.
domain_restrictions = table(
    "domain_restrictions", string("name", 253, primary_key=True), stamp(), key=None
)
