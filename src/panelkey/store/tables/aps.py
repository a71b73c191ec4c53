"""APS: application packages on the server, their download tasks, the app filters of
plans, resellers and subscriptions, and the applications installed on sites."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata


def _owner_key(name: str, target: str) -> sa.Column[int]:
    """A nullable key to `target` that goes with it: one owner kind of a filter."""
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=True, unique=True
    )


# A package on the server: downloaded from the catalogue (aps/download-package) or
# imported from a file (aps/import-package, `uploaded`). `visible`: shown to resellers
# and customers (aps/set-package-properties).
aps_packages = sa.Table(
    "aps_packages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("version", sa.String(64), nullable=False, server_default=""),
    sa.Column("release", sa.String(64), nullable=False, server_default=""),
    sa.Column("vendor", sa.String(255), nullable=False, server_default=""),
    sa.Column("packager", sa.String(255), nullable=False, server_default=""),
    sa.Column("uploaded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("visible", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("name", "version", "release", name="uq_aps_packages_release"),
    sqlite_autoincrement=True,
)

# A download task (aps/download-package): the package it made, or none when the catalogue
# has no such package (Plesk's finished/error).
aps_downloads = sa.Table(
    "aps_downloads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "package_id",
        sa.Integer,
        sa.ForeignKey("aps_packages.id", ondelete="CASCADE"),
        nullable=True,
    ),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# An app filter: its owner has one (exactly one of the three ids), and while it exists
# only the apps its items name are offered. No row: every app is offered.
aps_filters = sa.Table(
    "aps_filters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _owner_key("plan_id", "plans.id"),
    _owner_key("account_id", "accounts.id"),
    _owner_key("domain_id", "domains.id"),
    sqlite_autoincrement=True,
)

# An item of a filter, as Plesk's add-package gives it: a package property and its value
# (`name` = WordPress, `url` = ...).
aps_filter_items = sa.Table(
    "aps_filter_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "filter_id",
        sa.Integer,
        sa.ForeignKey("aps_filters.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Index("ix_aps_filter_items_filter", "filter_id"),
    sqlite_autoincrement=True,
)

# An application installed on a site or a subdomain (aps/install). `database` and
# `settings` are JSON, never holding a password.
aps_installations = sa.Table(
    "aps_installations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "package_id",
        sa.Integer,
        sa.ForeignKey("aps_packages.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "subdomain_id",
        sa.Integer,
        sa.ForeignKey("subdomains.id", ondelete="CASCADE"),
        nullable=True,
    ),
    sa.Column("location", sa.String(255), nullable=False, server_default=""),
    sa.Column("ssl", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("database", sa.Text, nullable=False, server_default="{}"),
    sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_aps_installations_domain", "domain_id"),
    sqlite_autoincrement=True,
)
