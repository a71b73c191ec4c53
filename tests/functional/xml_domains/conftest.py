"""Fixtures of the webspace/site/dns tests: the XML face in-process over the `panel`
fixture's store (SQLite and PostgreSQL), with a reseller and customers to act as."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from panelkey.context import Context
from panelkey.core.accounts.accounts import Account
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient


def key_of(panel: Panel, admin: Identity, login: str | None = None) -> str:
    """A key of `login` (the admin when None) that any address may use."""
    return panel.keys.create(admin, addresses=None, login=login, face="cli")[0]


@pytest.fixture
def xml(ctx: Context, panel: Panel, admin: Identity) -> XmlClient:
    """The XML face, sending the admin's key unless told otherwise."""
    return XmlClient(ctx, key_of(panel, admin))


@dataclass
class Actor:
    account: Account
    key: str


@dataclass
class World:
    """A reseller with customer `carol`; customer `dave` of the admin; a webspace each:
    carol.example (with site blog.carol.example) and dave.example."""

    reseller: Actor
    carol: Actor
    dave: Actor
    carol_ws: int
    carol_site: int
    dave_ws: int


@pytest.fixture
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
