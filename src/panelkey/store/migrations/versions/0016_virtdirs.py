"""Virtual directories of sites and subdomains (Plesk's `virtdir`).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("virtdirs"):
        return
    op.create_table(
        "virtdirs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "subdomain_id",
            sa.Integer,
            sa.ForeignKey("subdomains.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created", sa.String(20), nullable=False),
        sa.Index("ix_virtdirs_domain", "domain_id"),
        sa.Index("ix_virtdirs_subdomain", "subdomain_id"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("virtdirs")
