"""Plans (service plans, add-ons, reseller plans), their settings, a subscription's plans."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import ref, settings_of, stamp, string, table, text

# kind: "service" (service-plan), "addon" (service-plan-addon), "reseller" (reseller-plan).
plans = table(
    "plans",
    string("guid", 36, unique=True),
    string("kind", 16),
    string("name", 255),
    ref("owner_id", "accounts.id"),
    text("external_id"),
    stamp(),
    sa.UniqueConstraint("kind", "owner_id", "name", name="uq_plans_kind_owner_name"),
)

# One row per setting a plan sets (block as in core/plans/settings.py, canonical text value).
plan_settings = settings_of("plan_settings", ref("plan_id", "plans.id", primary_key=True))

# The plans a subscription (a webspace) is on: one "service" plan, any "addon" plans.
subscription_plans = table(
    "subscription_plans",
    ref("domain_id", "domains.id", primary_key=True),
    ref("plan_id", "plans.id", ondelete="RESTRICT", primary_key=True),
    string("kind", 16),
    sa.Index("ix_subscription_plans_plan", "plan_id"),
    key=None,
)
