"""Injected faults and the catalogue of snapshots (core/testing/).

Revision ID: 0021
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faults",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("face", sa.String(8), nullable=False),
        sa.Column("operation", sa.String(255), nullable=False),
        sa.Column("key_id", sa.Integer, nullable=True),
        sa.Column("login", sa.String(60), nullable=True),
        sa.Column("errcode", sa.Integer, nullable=True),
        sa.Column("errtext", sa.Text, nullable=False, server_default=""),
        sa.Column("http_status", sa.Integer, nullable=True),
        sa.Column("delay_ms", sa.Integer, nullable=False, server_default="0"),
        sa.Column("disconnect", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("remaining", sa.Integer, nullable=True),
        sa.Column("ratio", sa.Float, nullable=False, server_default="1"),
        sa.Column("hits", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("location", sa.String(255), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("faults")
