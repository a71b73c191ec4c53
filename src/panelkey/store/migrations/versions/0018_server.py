"""License keys, additional administrators, domain restrictions (operator `server`).

`license_keys` holds every key the server knows (the main one, the one it replaced,
additional keys), where the store kept one key in `meta` before: that key moves over.
`admin_aliases` are Plesk's additional administrator accounts; `domain_restrictions` the
domain names only the admin may take.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_META_LICENSE = "license"


def upgrade() -> None:
    keys = op.create_table(
        "license_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("code", sa.String(255), nullable=False, server_default=""),
        sa.Column("additional", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("name", sa.String(255), nullable=False, server_default=""),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("linked_to", sa.String(64), nullable=False, server_default=""),
        sa.Column("instance_id", sa.String(255), nullable=False, server_default=""),
        sa.Column("lim_date", sa.String(8), nullable=False, server_default=""),
        sa.Column("installed", sa.String(20), nullable=False),
        sa.Column("updated", sa.String(20), nullable=False, server_default=""),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_license_keys_state", "license_keys", ["state"])
    op.create_table(
        "admin_aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("login", sa.String(60), nullable=False, unique=True),
        sa.Column("password", sa.Text, nullable=False),
        sa.Column("email", sa.String(255), nullable=False, server_default=""),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "domain_restrictions",
        sa.Column("name", sa.String(253), primary_key=True),
        sa.Column("created", sa.String(20), nullable=False),
    )
    # The one key the store kept before, as its first row.
    meta = sa.table("meta", sa.column("name", sa.String), sa.column("value", sa.Text))
    bind = op.get_bind()
    found = bind.execute(sa.select(meta.c.value).where(meta.c.name == _META_LICENSE)).scalar()
    if found is not None:
        data = json.loads(str(found))
        digest = str(data["key_digest"])
        op.bulk_insert(
            keys,
            [
                {
                    "key_id": "PK." + digest[:12],
                    "digest": digest,
                    "code": str(data.get("code") or ""),
                    "additional": bool(data.get("additional")),
                    "name": "additional" if data.get("additional") else "",
                    "state": "current",
                    "installed": str(data.get("installed") or ""),
                    "updated": "",
                }
            ],
        )
        bind.execute(meta.delete().where(meta.c.name == _META_LICENSE))


def downgrade() -> None:
    # The newest current key goes back to `meta`, as the store kept it before.
    keys = sa.table(
        "license_keys",
        sa.column("id", sa.Integer),
        sa.column("digest", sa.String),
        sa.column("code", sa.String),
        sa.column("additional", sa.Boolean),
        sa.column("state", sa.String),
        sa.column("installed", sa.String),
    )
    bind = op.get_bind()
    row = bind.execute(
        sa.select(keys.c.digest, keys.c.code, keys.c.additional, keys.c.installed)
        .where(keys.c.state == "current")
        .order_by(keys.c.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        meta = sa.table("meta", sa.column("name", sa.String), sa.column("value", sa.Text))
        value = {
            "key_digest": row.digest,
            "code": row.code,
            "additional": bool(row.additional),
            "installed": row.installed,
        }
        bind.execute(meta.insert().values(name=_META_LICENSE, value=json.dumps(value)))
    op.drop_table("domain_restrictions")
    op.drop_table("admin_aliases")
    op.drop_index("ix_license_keys_state", table_name="license_keys")
    op.drop_table("license_keys")
