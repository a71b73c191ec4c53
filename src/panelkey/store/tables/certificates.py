"""SSL/TLS certificates of a subscription or the server pool."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import ref, stamp, string, table, texts

# Certificates in a repository: a subscription's (`repository` "domain:<id>", with
# domain_id) or the server pool ("admin", domain_id NULL). The private key is kept, as
# Plesk keeps it; it is never logged, put in an event or echoed by a listing.
certificates = table(
    "certificates",
    string("repository", 32),
    ref("domain_id", "domains.id", nullable=True),
    string("name", 255),
    *texts("csr", "private_key", "certificate", "ca_certificate"),
    stamp(),
    sa.UniqueConstraint("repository", "name", name="uq_certificates_repository_name"),
)
