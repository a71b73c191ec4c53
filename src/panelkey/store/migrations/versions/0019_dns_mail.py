"""Primary name servers of secondary zones (operator `dns`, add_master_server).

A zone's type (master or slave), the name server's ACL, recursion and remote-DNS
mode, and the mail preferences are kept in `properties` and `domain_settings`: only
the master servers, which have ids of their own, need a table.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dns_master_servers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ip_address", sa.String(45), nullable=False),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_dns_master_servers_domain", "dns_master_servers", ["domain_id"])


def downgrade() -> None:
    op.drop_index("ix_dns_master_servers_domain", table_name="dns_master_servers")
    op.drop_table("dns_master_servers")
