"""Counts of what an account owns, for REST `GET /clients/{id}/statistics`.

Everything is counted from the objects in the store at the time of the call; disk
space and traffic are 0 because panelkey serves no sites.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database


def _count(conn: sa.Connection, q: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar() or 0)


def client_statistics(db: Database, account_id: int) -> dict[str, int]:
    """Plesk's ClientStatistics fields for the account `account_id`: active domains
    (subscriptions and sites, not suspended or disabled), subdomains, databases, mail."""
    d = tables.domains
    owned = sa.select(d.c.id).where(d.c.owner_id == account_id)
    with db.read() as conn:
        active = _count(conn, owned.where(d.c.status == "active"))
    return {
        "active_domains": active,
        "subdomains": 0,
        "disk_space": 0,
        "email_postboxes": 0,
        "email_redirects": 0,
        "email_response_messages": 0,
        "mailing_lists": 0,
        "databases": 0,
        "traffic": 0,
        "traffic_prevday": 0,
    }
