"""Accounts (admin, resellers, customers) and a reseller's plan and own settings."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import number, ref, stamp, string, table, text, texts

accounts = table(
    "accounts",
    string("guid", 36, unique=True),
    string("type", 16),
    string("login", 60),
    string("login_key", 60, unique=True),
    text("password_hash", None),
    *texts("name", "company", "email", "phone", "fax"),
    *texts("address", "city", "state", "pcode", "country"),
    text("locale", "en-US"),
    *texts("description", "external_id"),
    number("status", 0),
    ref("owner_id", "accounts.id", ondelete=None, nullable=True),
    stamp(),
    sa.Index("ix_accounts_owner", "owner_id"),  # 0014: reads by owner stay flat
    sa.Index("ix_accounts_external_id", "external_id"),
)

# A reseller's reseller plan, and its own limits and permissions (name -> value, JSON)
# over the plan's.
reseller_settings = table(
    "reseller_settings",
    ref("account_id", "accounts.id", primary_key=True),
    text("limits", "{}"),
    text("permissions", "{}"),
    ref("plan_id", "plans.id", ondelete="SET NULL", nullable=True),
    key=None,
)
