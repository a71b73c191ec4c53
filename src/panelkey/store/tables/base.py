"""The one MetaData every family's tables join, and the column shapes they share.

Each helper writes one recurring shape once; what it makes is exactly what the
migrations create (the test in tests/functional/store/test_tables_match_migrations.py
holds the two together), so a helper never adds a name, an index or a default of its own.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

metadata = sa.MetaData()


def table(name: str, *items: sa.schema.SchemaItem, key: str | None = "id") -> sa.Table:
    """A table of the schema. `key`: its integer primary key, numbered by the database
    and never reused (SQLite's AUTOINCREMENT too); None when the table brings its own."""
    if key is None:
        return sa.Table(name, metadata, *items)
    numbered = sa.Column(key, sa.Integer, primary_key=True, autoincrement=True)
    return sa.Table(name, metadata, numbered, *items, sqlite_autoincrement=True)


def ref(
    name: str,
    target: str,
    *,
    ondelete: str | None = "CASCADE",
    nullable: bool = False,
    primary_key: bool = False,
    autoincrement: bool | Literal["auto"] = "auto",
    unique: bool | None = None,
    fk_name: str | None = None,
) -> sa.Column[Any]:
    """An integer key to `target` ("domains.id"); by default a row goes with the one it
    names (ON DELETE CASCADE)."""
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(target, ondelete=ondelete, name=fk_name),
        nullable=nullable,
        primary_key=primary_key,
        autoincrement=autoincrement,
        unique=unique,
    )


def stamp(name: str = "created", *, nullable: bool = False) -> sa.Column[Any]:
    """A timestamp, ISO 8601 UTC text (see the package docstring)."""
    return sa.Column(name, sa.String(20), nullable=nullable)


def string(
    name: str,
    length: int,
    default: str | None = None,
    *,
    unique: bool | None = None,
    primary_key: bool = False,
) -> sa.Column[Any]:
    """A bounded string, never NULL; `default` its server default, if any."""
    return sa.Column(
        name,
        sa.String(length),
        nullable=False,
        server_default=default,
        unique=unique,
        primary_key=primary_key,
    )


def text(name: str, default: str | None = "") -> sa.Column[Any]:
    """Free text, never NULL; empty (or `default`) unless given, None: must be given."""
    return sa.Column(name, sa.Text, nullable=False, server_default=default)


def texts(*names: str) -> list[sa.Column[Any]]:
    """Free texts, empty unless given: the contact fields and their like."""
    return [text(name) for name in names]


def number(name: str, default: int, *, big: bool = False) -> sa.Column[Any]:
    """An integer, never NULL, with its server default; `big`: 64 bits (quotas, serials)."""
    kind = sa.BigInteger if big else sa.Integer
    return sa.Column(name, kind, nullable=False, server_default=str(default))


def flag(name: str, default: bool) -> sa.Column[Any]:
    """A boolean, never NULL, with its server default."""
    return sa.Column(
        name, sa.Boolean, nullable=False, server_default=sa.true() if default else sa.false()
    )


def settings_of(name: str, owner: sa.Column[Any]) -> sa.Table:
    """Settings set on one object, one row each: `owner` its key, then block, name, value."""
    return table(
        name,
        owner,
        string("block", 32, primary_key=True),
        string("name", 128, primary_key=True),
        text("value", None),
        key=None,
    )
