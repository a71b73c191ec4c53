"""Limits shared by every worker and server on one store: lockouts, wrong-key
throttling and key rates (access_limits), and the sources each login has logged in
from (familiar_sources).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_limits",
        sa.Column("name", sa.String(120), primary_key=True, nullable=False),
        sa.Column("login", sa.String(64), nullable=False, server_default=""),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("since", sa.Float, nullable=False, server_default="0"),
        sa.Column("lockouts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("until", sa.Float, nullable=False, server_default="0"),
        sa.Column("last", sa.Float, nullable=False, server_default="0"),
    )
    op.create_index("ix_access_limits_login", "access_limits", ["login"])
    op.create_table(
        "familiar_sources",
        sa.Column("login", sa.String(64), primary_key=True, nullable=False),
        sa.Column("source", sa.String(64), primary_key=True, nullable=False),
        sa.Column("last", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("familiar_sources")
    op.drop_index("ix_access_limits_login", table_name="access_limits")
    op.drop_table("access_limits")
