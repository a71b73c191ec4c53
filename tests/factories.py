"""Objects for tests, made through the core's public interface (what a face would call),
one maker per family, so that a test says what it needs and not how it is stored.

Every maker acts as the admin unless given another actor; passwords follow the
`pw-<login>-123` pattern the tests use to log in.
"""

from __future__ import annotations

from dataclasses import dataclass

from panelkey.core.accounts.accounts import Account
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel

# -- access ---------------------------------------------------------------------------


def key_of(panel: Panel, admin: Identity, login: str | None = None) -> str:
    """A key acting as `login` (the admin's own when None), usable from any address."""
    return panel.keys.create(admin, addresses=None, login=login, face="cli")[0]


# -- scenes ---------------------------------------------------------------------------


@dataclass
class Actor:
    account: Account
    key: str


@dataclass
class World:
    """A reseller `rick` with customer `carol`; customer `dave` of the admin; a webspace
    each: carol.example (FTP login carolftp, with site blog.carol.example) and
    dave.example."""

    reseller: Actor
    carol: Actor
    dave: Actor
    carol_ws: int
    carol_site: int
    dave_ws: int


def world(panel: Panel, admin: Identity) -> World:
    accounts, domains = panel.accounts, panel.domains
    reseller = accounts.create(admin, type="reseller", login="rick", password="pw-rick-123")
    carol = accounts.create(
        admin, type="customer", login="carol", password="pw-carol-123", owner=reseller
    )
    dave = accounts.create(admin, type="customer", login="dave", password="pw-dave-123")
    carol_ws = domains.create(admin, name="carol.example", owner=carol, ftp_login="carolftp")
    carol_site = domains.create(admin, name="blog.carol.example", base_domain=carol_ws)
    dave_ws = domains.create(admin, name="dave.example", owner=dave)
    return World(
        Actor(reseller, key_of(panel, admin, "rick")),
        Actor(carol, key_of(panel, admin, "carol")),
        Actor(dave, key_of(panel, admin, "dave")),
        carol_ws.id,
        carol_site.id,
        dave_ws.id,
    )
