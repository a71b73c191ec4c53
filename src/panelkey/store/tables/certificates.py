"""SSL/TLS certificates of a subscription or the server pool."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

# Certificates in a repository: a subscription's (`repository` "domain:<id>", with
# domain_id) or the server pool ("admin", domain_id NULL). The private key is kept, as
# Plesk keeps it; it is never logged, put in an event or echoed by a listing.
certificates = sa.Table(
    "certificates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("repository", sa.String(32), nullable=False),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("csr", sa.Text, nullable=False, server_default=""),
    sa.Column("private_key", sa.Text, nullable=False, server_default=""),
    sa.Column("certificate", sa.Text, nullable=False, server_default=""),
    sa.Column("ca_certificate", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("repository", "name", name="uq_certificates_repository_name"),
    sqlite_autoincrement=True,
)
