"""Hardening: the audit entry's count of refusals it stands for.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates audit from tables.py as it stands, so a new store has the column
    # already; a store made before this revision gets it here.
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("audit")}
    if "count" not in have:
        with op.batch_alter_table("audit") as batch:
            batch.add_column(sa.Column("count", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("count")
