"""Keys better than Plesk's: expiry, scope, rate limit, and usage counters.

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("expires", sa.String(20), nullable=True),
        sa.Column("scope", sa.Text, nullable=False, server_default=""),
        sa.Column("rate", sa.String(16), nullable=False, server_default=""),
        sa.Column("requests", sa.Integer, nullable=False, server_default="0"),
        sa.Column("refusals", sa.Integer, nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    # 0001 creates secret_keys from tables.py as it stands, so a new store has these
    # columns already; a store made before this revision gets them here.
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("secret_keys")}
    missing = [c for c in _columns() if c.name not in have]
    if missing:
        with op.batch_alter_table("secret_keys") as batch:
            for column in missing:
                batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("secret_keys") as batch:
        for name in ("refusals", "requests", "rate", "scope", "expires"):
            batch.drop_column(name)
