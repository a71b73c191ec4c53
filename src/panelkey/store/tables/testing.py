"""What an integration's tests steer: injected faults and saved snapshots of the store
(core/testing/)."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, number, stamp, string, table, text

# 0021: a rule that makes an operation fail on purpose. `face` is xml or rest;
# `operation` is `operator/operation` or `METHOD /api/v2/path`; `remaining` counts the
# calls left (NULL: every call), `ratio` the share of matching calls it answers.
faults = table(
    "faults",
    string("face", 8),
    string("operation", 255),
    sa.Column("key_id", sa.Integer, nullable=True),
    sa.Column("login", sa.String(60), nullable=True),
    sa.Column("errcode", sa.Integer, nullable=True),
    text("errtext"),
    sa.Column("http_status", sa.Integer, nullable=True),
    number("delay_ms", 0),
    flag("disconnect", False),
    sa.Column("remaining", sa.Integer, nullable=True),
    sa.Column("ratio", sa.Float, nullable=False, server_default="1"),
    number("hits", 0),
    stamp(),
)

# 0021: the catalogue of saved snapshots; the rows themselves are in `location` (a
# SQLite file beside the store, or a PostgreSQL schema), outside every table here.
snapshots = table(
    "snapshots",
    string("name", 64, unique=True),
    string("location", 255),
    number("rows", 0),
    stamp(),
)
