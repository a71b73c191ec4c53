"""Properties: what Plesk's request schema lets a client set on an object that panelkey
keeps only to answer back (settings of services it does not run); and the sealed id of
a panel session, so that session/get can list the id server/create_session returned.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("properties"):
        op.create_table(
            "properties",
            sa.Column("kind", sa.String(32), primary_key=True),
            sa.Column("object_id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(128), primary_key=True),
            sa.Column("value", sa.Text, nullable=False, server_default=""),
        )
    have = {c["name"] for c in sa.inspect(bind).get_columns("sessions")}
    if "sealed" not in have:
        with op.batch_alter_table("sessions") as batch:
            batch.add_column(sa.Column("sealed", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("sealed")
    op.drop_table("properties")
