"""Indexes for the reads by filter: a domain's owner and webspace, an account's owner and
external id, a key's owner. Reads by these stay flat as the store grows (docs/performance.md).

Each is created only where missing: a store made by 0001 from today's tables.py has them
already.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_domains_owner", "domains", "owner_id"),
    ("ix_domains_base", "domains", "base_domain_id"),
    ("ix_accounts_owner", "accounts", "owner_id"),
    ("ix_accounts_external_id", "accounts", "external_id"),
    ("ix_secret_keys_owner", "secret_keys", "owner_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], if_not_exists=True)


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table, if_exists=True)
