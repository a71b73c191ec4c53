"""DNS: the server-wide template (seeded with Plesk's default records), zone settings
(status, SOA values) and the provenance of zone records (template_id, modified).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Plesk's default template (Linux), as a new domain's zone has always been made here.
_SEED = [
    ("NS", "<domain>.", "ns.<domain>.", ""),
    ("A", "ns.<domain>.", "<ip>", ""),
    ("A", "<domain>.", "<ip>", ""),
    ("A", "www.<domain>.", "<ip>", ""),
    ("A", "mail.<domain>.", "<ip>", ""),
    ("A", "webmail.<domain>.", "<ip>", ""),
    ("CNAME", "ftp.<domain>.", "<domain>.", ""),
    ("MX", "<domain>.", "mail.<domain>.", "10"),
    ("TXT", "<domain>.", "v=spf1 +a +mx -all", ""),
    ("TXT", "_dmarc.<domain>.", "v=DMARC1; p=none", ""),
]


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    template = op.create_table(
        "dns_template",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("opt", sa.Text, nullable=False, server_default=""),
        sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
        sqlite_autoincrement=True,
    )
    assert template is not None
    op.bulk_insert(
        template,
        [{"type": t, "host": h, "value": v, "opt": o, "ttl": 86400} for t, h, v, o in _SEED],
    )
    op.create_table(
        "dns_zones",
        sa.Column(
            "domain_id",
            sa.Integer,
            sa.ForeignKey("domains.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("status", sa.String(16), nullable=False, server_default="enabled"),
        sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
        sa.Column("refresh", sa.Integer, nullable=False, server_default="10800"),
        sa.Column("retry", sa.Integer, nullable=False, server_default="3600"),
        sa.Column("expire", sa.Integer, nullable=False, server_default="604800"),
        sa.Column("minimum", sa.Integer, nullable=False, server_default="10800"),
        sa.Column("serial", sa.BigInteger, nullable=False, server_default="1"),
    )
    op.execute("INSERT INTO dns_zones (domain_id) SELECT id FROM domains")
    # 0001 builds dns_records from the current tables.py, so a new store has these already.
    have = _columns("dns_records")
    with op.batch_alter_table("dns_records") as batch:
        if "template_id" not in have:
            batch.add_column(sa.Column("template_id", sa.Integer, nullable=True))
        if "modified" not in have:
            batch.add_column(
                sa.Column("modified", sa.Boolean, nullable=False, server_default=sa.false())
            )


def downgrade() -> None:
    with op.batch_alter_table("dns_records") as batch:
        batch.drop_column("modified")
        batch.drop_column("template_id")
    op.drop_table("dns_zones")
    op.drop_table("dns_template")
