"""Plesk's action log (XML event_log): one row per create, change and delete.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(20), nullable=False),
        sa.Column("obj_class", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("obj_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("obj_name", sa.Text, nullable=False, server_default=""),
        sa.Column("actor", sa.String(60), nullable=False, server_default=""),
        sa.Column("old_values", sa.Text, nullable=False, server_default="{}"),
        sa.Column("new_values", sa.Text, nullable=False, server_default="{}"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_class", "events", ["obj_class"])


def downgrade() -> None:
    op.drop_index("ix_events_class", "events")
    op.drop_table("events")
