"""The IP pool (addresses, resellers' shares), panel sessions, custom buttons and
resellers' own limits and permissions.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _account_fk() -> sa.Column[int]:
    return sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "ip_addresses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("address", sa.String(45), nullable=False, unique=True),
        sa.Column("netmask", sa.String(45), nullable=False),
        sa.Column("interface", sa.String(64), nullable=False, server_default=""),
        sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
        sa.Column("public_address", sa.String(45), nullable=False, server_default=""),
        sa.Column("certificate_name", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "ip_pool",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _account_fk(),
        sa.Column(
            "ip_id",
            sa.Integer,
            sa.ForeignKey("ip_addresses.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
        sa.UniqueConstraint("account_id", "ip_id", name="uq_ip_pool_account_ip"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("handle", sa.String(32), nullable=False, unique=True),
        sa.Column("digest", sa.String(64), nullable=False),
        _account_fk(),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("ip", sa.String(45), nullable=False, server_default=""),
        sa.Column("source_server", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Column("last_active", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "custom_buttons",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "owner_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "reseller_settings",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("limits", sa.Text, nullable=False, server_default="{}"),
        sa.Column("permissions", sa.Text, nullable=False, server_default="{}"),
        sa.Column(
            "plan_id",
            sa.Integer,
            sa.ForeignKey("plans.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )


def downgrade() -> None:
    for name in ("reseller_settings", "custom_buttons", "sessions", "ip_pool", "ip_addresses"):
        op.drop_table(name)
