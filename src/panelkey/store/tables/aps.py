"""APS: application packages on the server, their download tasks, the app filters of
plans, resellers and subscriptions, and the applications installed on sites."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, ref, stamp, string, table, text

# A package on the server: downloaded from the catalogue (aps/download-package) or
# imported from a file (aps/import-package, `uploaded`). `visible`: shown to resellers
# and customers (aps/set-package-properties).
aps_packages = table(
    "aps_packages",
    string("name", 128),
    string("version", 64, ""),
    string("release", 64, ""),
    string("vendor", 255, ""),
    string("packager", 255, ""),
    flag("uploaded", False),
    flag("visible", True),
    stamp(),
    sa.UniqueConstraint("name", "version", "release", name="uq_aps_packages_release"),
)

# A download task (aps/download-package): the package it made, or none when the catalogue
# has no such package (Plesk's finished/error).
aps_downloads = table(
    "aps_downloads",
    ref("package_id", "aps_packages.id", nullable=True),
    string("name", 128),
    stamp(),
)

# An app filter: its owner has one (exactly one of the three ids), and while it exists
# only the apps its items name are offered. No row: every app is offered.
aps_filters = table(
    "aps_filters",
    ref("plan_id", "plans.id", nullable=True, unique=True),
    ref("account_id", "accounts.id", nullable=True, unique=True),
    ref("domain_id", "domains.id", nullable=True, unique=True),
)

# An item of a filter, as Plesk's add-package gives it: a package property and its value
# (`name` = WordPress, `url` = ...).
aps_filter_items = table(
    "aps_filter_items",
    ref("filter_id", "aps_filters.id"),
    string("name", 64),
    text("value", None),
    sa.Index("ix_aps_filter_items_filter", "filter_id"),
)

# An application installed on a site or a subdomain (aps/install). `database` and
# `settings` are JSON, never holding a password.
aps_installations = table(
    "aps_installations",
    ref("package_id", "aps_packages.id"),
    ref("domain_id", "domains.id"),
    ref("subdomain_id", "subdomains.id", nullable=True),
    string("location", 255, ""),
    flag("ssl", False),
    text("database", "{}"),
    text("settings", "{}"),
    stamp(),
    sa.Index("ix_aps_installations_domain", "domain_id"),
)
