"""APS: packages on the server, download tasks, app filters, installed applications.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _fk(name: str, target: str, *, nullable: bool = True, unique: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(target, ondelete="CASCADE"),
        nullable=nullable,
        unique=unique,
    )


def upgrade() -> None:
    op.create_table(
        "aps_packages",
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
    op.create_table(
        "aps_downloads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("package_id", "aps_packages.id"),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "aps_filters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("plan_id", "plans.id", unique=True),
        _fk("account_id", "accounts.id", unique=True),
        _fk("domain_id", "domains.id", unique=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "aps_filter_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("filter_id", "aps_filters.id", nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Index("ix_aps_filter_items_filter", "filter_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "aps_installations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("package_id", "aps_packages.id", nullable=False),
        _fk("domain_id", "domains.id", nullable=False),
        _fk("subdomain_id", "subdomains.id"),
        sa.Column("location", sa.String(255), nullable=False, server_default=""),
        sa.Column("ssl", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("database", sa.Text, nullable=False, server_default="{}"),
        sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Index("ix_aps_installations_domain", "domain_id"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    for name in (
        "aps_installations",
        "aps_filter_items",
        "aps_filters",
        "aps_downloads",
        "aps_packages",
    ):
        op.drop_table(name)
