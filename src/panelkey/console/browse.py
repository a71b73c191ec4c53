"""The object browser: accounts, then a subscription, then what lives in it.

Read-only, through the core's public finders with the admin as the actor, so the console
sees what the administrator may see and nothing is reached around the core. Each view is
a `Table`: columns and rows of cells, a cell being text or a link (`Link`), which one
template draws and one pager cuts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.models import Domain
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel

PREFIX = "/console"


@dataclass(frozen=True)
class Link:
    text: str
    href: str

    def __str__(self) -> str:  # what search compares
        return self.text


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    empty: str  # what an empty table says, and what to do about it


@dataclass(frozen=True)
class Tab:
    name: str  # its URL segment
    label: str
    load: Callable[[Panel, Identity, Domain], Table]


def _domain_link(d: Domain) -> Link:
    return Link(d.name, f"{PREFIX}/domains/{d.id}")


def account_link(a: Account) -> Link:
    return Link(a.login, f"{PREFIX}/accounts/{a.id}")


def accounts_table(panel: Panel, admin: Identity) -> Table:
    """Every account, with how many subscriptions it owns and who owns it."""
    accounts = panel.accounts.list()
    subscriptions: dict[int, int] = {}
    for d in panel.domains.list(admin):
        if d.is_webspace:
            subscriptions[d.owner_id] = subscriptions.get(d.owner_id, 0) + 1
    rows = [
        [
            account_link(a),
            a.type,
            a.name,
            a.company,
            a.email,
            a.owner_login if a.owner_id and a.owner_id != a.id else "",
            subscriptions.get(a.id, 0),
            "active" if a.active else "disabled",
        ]
        for a in accounts
    ]
    return Table(
        ["Login", "Type", "Name", "Company", "E-mail", "Owner", "Subscriptions", "Status"],
        rows,
        "No accounts. Add customers and resellers over the XML API (customer/add) or "
        "REST (POST /api/v2/clients), or load a seed file with `panelkey seed`.",
    )


def account_domains(panel: Panel, admin: Identity, account: Account) -> Table:
    """The subscriptions and sites an account owns."""
    rows = [
        [
            _domain_link(d),
            "subscription" if d.is_webspace else "site",
            d.hosting_type,
            d.status,
            d.created,
        ]
        for d in panel.domains.of_owner(admin, account.id)
    ]
    return Table(
        ["Domain", "Kind", "Hosting", "Status", "Created"],
        rows,
        "This account owns no subscription. Make one with webspace/add (XML) or "
        "POST /api/v2/domains (REST).",
    )


def children(panel: Panel, account: Account) -> list[Account]:
    """The accounts this one owns (a reseller's customers; the admin's everyone direct)."""
    return [a for a in panel.accounts.with_owner(account.id) if a.id != account.id]


def _sites(panel: Panel, admin: Identity, domain: Domain) -> Table:
    rows = [
        [_domain_link(d), d.hosting_type, d.status, d.www_root, d.created]
        for d in panel.domains.in_webspace(admin, domain.id)
    ]
    return Table(
        ["Site", "Hosting", "Status", "Document root", "Created"],
        rows,
        "No sites besides the subscription's own domain. Add one with site/add (XML).",
    )


def _records(panel: Panel, admin: Identity, domain: Domain) -> Table:
    rows = [[r.host, r.type, r.value, r.opt, r.ttl, r.id] for r in panel.dns.records(admin, domain)]
    return Table(
        ["Host", "Type", "Value", "Option", "TTL", "Id"],
        rows,
        "The zone has no records. Add them with dns/add_rec (XML) or "
        "POST /api/v2/dns/records (REST).",
    )


def _mail(panel: Panel, admin: Identity, domain: Domain) -> Table:
    rows = [
        [
            f"{m.name}@{domain.name}",
            "yes" if m.mailbox else "no",
            m.quota,
            ", ".join(m.forwards) if m.forwarding else "",
            ", ".join(m.aliases),
            m.description,
        ]
        for m in panel.mail.list(admin, domain)
    ]
    return Table(
        ["Address", "Mailbox", "Quota", "Forwards to", "Aliases", "Description"],
        rows,
        "No mail names. Make one with mail/create (XML).",
    )


def _databases(panel: Panel, admin: Identity, domain: Domain) -> Table:
    servers = {s.id: f"{s.host}:{s.port}" for s in panel.databases.servers()}
    rows = []
    for db in panel.databases.list(admin, domain):
        users = ", ".join(u.login for u in panel.databases.users(admin, db))
        rows.append([db.name, db.type, servers.get(db.server_id, str(db.server_id)), users])
    return Table(
        ["Database", "Type", "Server", "Users"],
        rows,
        "No databases. Make one with database/add-db (XML) or POST /api/v2/databases (REST).",
    )


def _ftp(panel: Panel, admin: Identity, domain: Domain) -> Table:
    rows = [
        [u.name, u.home, u.quota, "yes" if u.read else "no", "yes" if u.write else "no", u.created]
        for u in panel.ftp_users.list(admin, domain)
    ]
    return Table(
        ["Login", "Home", "Quota", "Read", "Write", "Created"],
        rows,
        "No FTP users. Add one with ftp-user/add (XML) or POST /api/v2/ftpusers (REST).",
    )


def _certificates(panel: Panel, admin: Identity, domain: Domain) -> Table:
    repository, _ = panel.certificates.repository(admin, domain)
    rows = [
        [c.name, "yes" if c.certificate else "no", "yes" if c.ca_certificate else "no",
         "yes" if c.csr else "no"]
        for c in panel.certificates.list(repository)
    ]  # fmt: skip
    return Table(
        ["Name", "Certificate", "CA certificate", "CSR"],
        rows,
        "No certificates in this subscription's repository. Install one with "
        "certificate/install (XML).",
    )


# What a domain page offers, in order; a site has no tabs of its subscription's own.
TABS = (
    Tab("records", "DNS records", _records),
    Tab("mail", "Mail names", _mail),
    Tab("databases", "Databases", _databases),
    Tab("ftp", "FTP users", _ftp),
    Tab("certificates", "Certificates", _certificates),
    Tab("sites", "Sites", _sites),
)
SUBSCRIPTION_ONLY = frozenset({"ftp", "certificates", "sites"})


def tabs_of(domain: Domain) -> list[Tab]:
    return [t for t in TABS if domain.is_webspace or t.name not in SUBSCRIPTION_ONLY]
