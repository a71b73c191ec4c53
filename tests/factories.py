"""Objects for tests, made through the core's public interface (what a face calls), one
maker per family, so that a test says what it needs and not how it is stored.

Every maker acts as the admin unless given another `actor`; an account's password is
`pw-<login>-123` unless given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.accounts.accounts import Account
from panelkey.core.databases import Db
from panelkey.core.domains.domains import Domain
from panelkey.core.identity import Identity
from panelkey.core.mail import MailChange, MailName
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES
from tests.functional.xml.xml_helpers import XmlClient

if TYPE_CHECKING:  # rest_helpers imports this module
    from tests.functional.rest.rest_helpers import Api

# -- the faces, in-process over one store ----------------------------------------------


def rest_api(panel: Panel, folder: Path) -> Api:
    """The REST face in-process over `panel`'s store (its panel.ini in `folder`)."""
    from tests.functional.rest.rest_helpers import Api

    ini = folder / "panel.ini"
    settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, {})
    return Api(panel, Context(panel, settings, LivePanelIni(ini)), ini)


def xml_client(ctx: Context, login: str | None = None) -> XmlClient:
    """The XML face over `ctx`, with a key of `login` (the admin when None) that any
    address may use."""
    return XmlClient(ctx, key_of(ctx.panel, admin(ctx.panel), login))


# -- access ---------------------------------------------------------------------------


def admin(panel: Panel) -> Identity:
    """The admin, as the actor of a call."""
    account = panel.accounts.admin()
    assert account is not None
    return account.identity()


def key_of(panel: Panel, actor: Identity, login: str | None = None) -> str:
    """A key acting as `login` (the admin's own when None), usable from any address."""
    return panel.keys.create(actor, addresses=None, login=login, face="cli")[0]


# -- accounts -------------------------------------------------------------------------


def customer(
    panel: Panel,
    login: str,
    *,
    owner: Account | None = None,
    password: str | None = None,
    actor: Identity | None = None,
    **values: Any,
) -> Account:
    """A customer of `owner` (the actor when None), with contact `values` if given."""
    return panel.accounts.create(
        actor or admin(panel),
        type="customer",
        login=login,
        password=password or f"pw-{login}-123",
        owner=owner,
        **values,
    )


def reseller(
    panel: Panel, login: str, *, password: str | None = None, actor: Identity | None = None
) -> Account:
    return panel.accounts.create(
        actor or admin(panel), type="reseller", login=login, password=password or f"pw-{login}-123"
    )


# -- domains --------------------------------------------------------------------------


def webspace(
    panel: Panel,
    name: str,
    *,
    owner: Account | None = None,
    actor: Identity | None = None,
    **values: Any,
) -> Domain:
    """A subscription of `owner` (the actor when None): Domains.create's `values`
    (status, ip_address, ftp_login...) if given."""
    return panel.domains.create(actor or admin(panel), name=name, owner=owner, **values)


def site(
    panel: Panel, name: str, webspace: Domain, *, actor: Identity | None = None, **values: Any
) -> Domain:
    """A site in the subscription `webspace` (`values`: what Domains.create takes)."""
    return panel.domains.create(actor or admin(panel), name=name, base_domain=webspace, **values)


# -- mail, databases ------------------------------------------------------------------


def mail_name(
    panel: Panel,
    site: Domain,
    name: str,
    *,
    actor: Identity | None = None,
    **change: Any,
) -> MailName:
    """A mail name of `site`; `change` is a MailChange's fields (mailbox, forwards...)."""
    return panel.mail.create(actor or admin(panel), site, name, MailChange(**change))


def database(
    panel: Panel,
    webspace: Domain,
    name: str,
    kind: str = "mysql",
    *,
    actor: Identity | None = None,
) -> Db:
    """A database of the subscription `webspace`, on its kind's default server."""
    return panel.databases.create(actor or admin(panel), webspace, name=name, type=kind)


# -- scenes ---------------------------------------------------------------------------


@dataclass
class Actor:
    account: Account
    key: str


@dataclass
class World:
    """A reseller `rick` with customer `carol`; customer `dave` of the admin; a webspace
    each: carol.example (FTP login carolftp, with site blog.carol.example) and
    dave.example. Keys act as each."""

    reseller: Actor
    carol: Actor
    dave: Actor
    carol_ws: int
    carol_site: int
    dave_ws: int


def world(panel: Panel, actor: Identity) -> World:
    rick = reseller(panel, "rick")
    carol = customer(panel, "carol", owner=rick, actor=actor)
    dave = customer(panel, "dave", actor=actor)
    carol_ws = webspace(panel, "carol.example", owner=carol, ftp_login="carolftp", actor=actor)
    carol_site = site(panel, "blog.carol.example", carol_ws, actor=actor)
    dave_ws = webspace(panel, "dave.example", owner=dave, actor=actor)
    return World(
        Actor(rick, key_of(panel, actor, "rick")),
        Actor(carol, key_of(panel, actor, "carol")),
        Actor(dave, key_of(panel, actor, "dave")),
        carol_ws.id,
        carol_site.id,
        dave_ws.id,
    )
