"""Counts of what lives in domains, for every `stat` answer: REST
`GET /clients/{id}/statistics`, XML `customer/get`, `reseller/get`, `site/get` and
`webspace/get` stat.

Everything is counted from the objects in the store at the time of the call; disk
space and traffic are 0 because panelkey serves no sites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database


@dataclass(frozen=True)
class Contents:
    """What the given domains hold between them."""

    subdomains: int = 0
    aliases: int = 0
    mailboxes: int = 0
    redirects: int = 0
    databases: int = 0
    database_users: int = 0
    ftp_users: int = 0


def _count(conn: sa.Connection, q: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar() or 0)


def contents(db: Database, domain_ids: Iterable[int]) -> Contents:
    """Counts of the objects in the domains `domain_ids` (none: all zero)."""
    ids = sorted(set(domain_ids))
    if not ids:
        return Contents()
    m, dbs, dbu = tables.mail_names, tables.databases, tables.db_users
    in_ids = tables.subdomains.c.domain_id.in_
    with db.read() as conn:
        return Contents(
            subdomains=_count(conn, sa.select(tables.subdomains.c.id).where(in_ids(ids))),
            aliases=_count(
                conn,
                sa.select(tables.site_aliases.c.id).where(tables.site_aliases.c.domain_id.in_(ids)),
            ),
            mailboxes=_count(conn, sa.select(m.c.id).where(m.c.domain_id.in_(ids), m.c.mailbox)),
            redirects=_count(conn, sa.select(m.c.id).where(m.c.domain_id.in_(ids), m.c.forwarding)),
            databases=_count(conn, sa.select(dbs.c.id).where(dbs.c.domain_id.in_(ids))),
            database_users=_count(
                conn,
                # a database's users, and users of a whole subscription (no database)
                sa.select(dbu.c.id)
                .outerjoin(dbs, dbs.c.id == dbu.c.database_id)
                .where(sa.or_(dbs.c.domain_id.in_(ids), dbu.c.domain_id.in_(ids))),
            ),
            ftp_users=_count(
                conn,
                sa.select(tables.ftp_users.c.id).where(tables.ftp_users.c.domain_id.in_(ids)),
            ),
        )


def owned_domain_ids(db: Database, owner_ids: Iterable[int]) -> list[int]:
    """Ids of every domain (subscriptions and their sites) the accounts own."""
    d = tables.domains
    owners = sorted(set(owner_ids))
    if not owners:
        return []
    with db.read() as conn:
        return [int(r[0]) for r in conn.execute(sa.select(d.c.id).where(d.c.owner_id.in_(owners)))]


def client_statistics(db: Database, account_id: int) -> dict[str, int]:
    """Plesk's ClientStatistics fields for the account `account_id`: active domains
    (subscriptions and sites, not suspended or disabled), subdomains, databases, mail."""
    d = tables.domains
    owned = sa.select(d.c.id).where(d.c.owner_id == account_id)
    with db.read() as conn:
        active = _count(conn, owned.where(d.c.status == "active"))
    held = contents(db, owned_domain_ids(db, [account_id]))
    return {
        "active_domains": active,
        "subdomains": held.subdomains,
        "disk_space": 0,
        "email_postboxes": held.mailboxes,
        "email_redirects": held.redirects,
        "email_response_messages": 0,
        "mailing_lists": 0,
        "databases": held.databases,
        "traffic": 0,
        "traffic_prevday": 0,
    }
