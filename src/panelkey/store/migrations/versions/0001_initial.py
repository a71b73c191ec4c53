"""The initial schema: accounts, secret keys, domains, DNS records, audit, changes, meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from panelkey.store import tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ORDER = [
    tables.accounts,
    tables.secret_keys,
    tables.domains,
    tables.dns_records,
    tables.audit,
    tables.changes,
    tables.meta,
]


def upgrade() -> None:
    # The first revision is the tables as they stand in 0001; later revisions must
    # spell out their alterations instead of reading tables.py.
    bind = op.get_bind()
    for table in _ORDER:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(_ORDER):
        table.drop(bind)
