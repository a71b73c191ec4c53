"""Accounts (admin, resellers, customers) and a reseller's plan and own settings."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("login", sa.String(60), nullable=False),
    sa.Column("login_key", sa.String(60), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    sa.Column("company", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("fax", sa.Text, nullable=False, server_default=""),
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("city", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.Text, nullable=False, server_default=""),
    sa.Column("pcode", sa.Text, nullable=False, server_default=""),
    sa.Column("country", sa.Text, nullable=False, server_default=""),
    sa.Column("locale", sa.Text, nullable=False, server_default="en-US"),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("external_id", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Integer, nullable=False, server_default="0"),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=True),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_accounts_owner", "owner_id"),  # 0014: reads by owner stay flat
    sa.Index("ix_accounts_external_id", "external_id"),
    sqlite_autoincrement=True,
)

# A reseller's reseller plan, and its own limits and permissions (name -> value, JSON)
# over the plan's.
reseller_settings = sa.Table(
    "reseller_settings",
    metadata,
    sa.Column(
        "account_id",
        sa.Integer,
        sa.ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("limits", sa.Text, nullable=False, server_default="{}"),
    sa.Column("permissions", sa.Text, nullable=False, server_default="{}"),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="SET NULL"), nullable=True),
)
