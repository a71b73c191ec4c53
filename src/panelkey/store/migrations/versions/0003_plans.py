"""Plans (service, add-on, reseller), their settings, subscriptions' plans and settings.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guid", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("external_id", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.String(20), nullable=False),
        sa.UniqueConstraint("kind", "owner_id", "name", name="uq_plans_kind_owner_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "plan_settings",
        sa.Column(
            "plan_id",
            sa.Integer,
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("block", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "subscription_plans",
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "plan_id",
            sa.Integer,
            sa.ForeignKey("plans.id", ondelete="RESTRICT"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_index("ix_subscription_plans_plan", "subscription_plans", ["plan_id"])
    op.create_table(
        "domain_settings",
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("block", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("domain_settings")
    op.drop_index("ix_subscription_plans_plan", "subscription_plans")
    op.drop_table("subscription_plans")
    op.drop_table("plan_settings")
    op.drop_table("plans")
