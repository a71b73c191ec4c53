"""Test factories, by family: the objects a test needs, made through the core's public
services (no SQL), and the faces over one store. Each returns what it made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.xml_helpers import XmlClient

# -- the faces ---------------------------------------------------------------------------


def rest_api(panel: Panel, folder: Path) -> Api:
    """The REST face in-process over `panel`'s store (its panel.ini in `folder`)."""
    ini = folder / "panel.ini"
    settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, {})
    return Api(panel, Context(panel, settings, LivePanelIni(ini)), ini)


def xml_client(ctx: Context, login: str | None = None) -> XmlClient:
    """The XML face over `ctx`, with a key of `login` (the admin when None) that any
    address may use."""
    return XmlClient(ctx, key(ctx.panel, login))


# -- access ------------------------------------------------------------------------------


def admin_of(panel: Panel) -> Identity:
    account = panel.accounts.admin()
    assert account is not None
    return account.identity()


def key(panel: Panel, login: str | None = None) -> str:
    """A new key of `login` (the admin when None), for any address."""
    return panel.keys.create(admin_of(panel), addresses=None, login=login, face="cli")[0]


# -- accounts ----------------------------------------------------------------------------


def customer(panel: Panel, login: str = "carol", owner: Account | None = None) -> Account:
    return panel.accounts.create(
        admin_of(panel),
        type="customer",
        login=login,
        password=f"pw-{login}-1234",
        owner=owner,
        name=login.title(),
    )


# -- domains -----------------------------------------------------------------------------


def webspace(
    panel: Panel, name: str = "example.com", owner: Account | None = None, **values: Any
) -> Domain:
    """A subscription with physical hosting (`values`: what Domains.create takes)."""
    return panel.domains.create(admin_of(panel), name=name, owner=owner, **values)


def site(panel: Panel, name: str, webspace: Domain, **values: Any) -> Domain:
    """A site in `webspace`."""
    return panel.domains.create(admin_of(panel), name=name, base_domain=webspace, **values)
