"""Properties kept to answer back, sealed session ids, database users of a subscription.

`properties`: what Plesk's request schema lets a client set on an object that panelkey
keeps only to answer back (settings of services it does not run); `sessions.sealed`, so
that session/get can list the id server/create_session returned; `db_users.domain_id`,
for a user of every database of a subscription (database/add-db-user without db-id).

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
    # A user of every database of a subscription has no database, only its subscription.
    have = {c["name"] for c in sa.inspect(bind).get_columns("db_users")}
    if "domain_id" not in have:
        with op.batch_alter_table("db_users") as batch:
            batch.alter_column("database_id", existing_type=sa.Integer, nullable=True)
            batch.add_column(sa.Column("domain_id", sa.Integer, nullable=True))
            batch.create_foreign_key(
                "fk_db_users_domain", "domains", ["domain_id"], ["id"], ondelete="CASCADE"
            )
            batch.create_index("ix_db_users_domain", ["domain_id"])


def downgrade() -> None:
    op.execute("DELETE FROM db_users WHERE database_id IS NULL")
    with op.batch_alter_table("db_users") as batch:
        batch.drop_index("ix_db_users_domain")
        batch.drop_constraint("fk_db_users_domain", type_="foreignkey")
        batch.drop_column("domain_id")
        batch.alter_column("database_id", existing_type=sa.Integer, nullable=False)
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("sealed")
    op.drop_table("properties")
