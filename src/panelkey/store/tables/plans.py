"""Plans (service plans, add-ons, reseller plans), their settings, a subscription's plans."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

# kind: "service" (service-plan), "addon" (service-plan-addon), "reseller" (reseller-plan).
plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("external_id", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("kind", "owner_id", "name", name="uq_plans_kind_owner_name"),
    sqlite_autoincrement=True,
)

# One row per setting a plan sets (block as in core/plans/settings.py, canonical text value).
plan_settings = sa.Table(
    "plan_settings",
    metadata,
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("block", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The plans a subscription (a webspace) is on: one "service" plan, any "addon" plans.
subscription_plans = sa.Table(
    "subscription_plans",
    metadata,
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="RESTRICT"), primary_key=True
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Index("ix_subscription_plans_plan", "plan_id"),
)
