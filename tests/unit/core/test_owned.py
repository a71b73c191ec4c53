"""core/owned.py: every family of what lives in a site or subscription is reached through
its parent alike, writes its events alike, and goes with its parent (SQLite and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from panelkey.core.certificates import Certificates
from panelkey.core.content.ftp_users import FtpUsers
from panelkey.core.content.protected_dirs import ProtectedDirs
from panelkey.core.content.site_aliases import SiteAliases
from panelkey.core.content.subdomains import Subdomains
from panelkey.core.databases import Databases
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity
from panelkey.core.mail import Mail, MailChange
from panelkey.core.owned import Findable, Owned, changes
from panelkey.core.panel import Panel
from tests import factories


def test_the_seven_families_stand_on_the_one_base() -> None:
    for family in (Subdomains, SiteAliases, FtpUsers, ProtectedDirs, Databases):
        assert issubclass(family, Findable), family
    for family in (Mail, Certificates):
        assert issubclass(family, Owned), family


def test_an_update_event_shows_only_what_changed() -> None:
    old = {"name": "a", "home": "/", "quota": -1}
    new = {"name": "b", "home": "/", "quota": -1, "read": True}
    assert changes(old, new) == ({"name": "a"}, {"name": "b", "read": True})


@dataclass(frozen=True)
class Family:
    """How a test makes one object of a Findable family in a domain, and its name."""

    service: Callable[[Panel], Findable[Any]]
    make: Callable[[Panel, Identity, Domain], Any]
    name: str
    event: str


FAMILIES = {
    "subdomains": Family(
        lambda p: p.subdomains,
        lambda p, who, d: p.subdomains.create(who, d, "forum"),
        "forum.shop.example",
        "subdomain",
    ),
    "site_aliases": Family(
        lambda p: p.site_aliases,
        lambda p, who, d: p.site_aliases.create(who, d, "shop.example.net"),
        "shop.example.net",
        "domain_alias",
    ),
    "ftp_users": Family(
        lambda p: p.ftp_users,
        lambda p, who, d: p.ftp_users.create(who, d, name="uploads", password="Ftp-pw-1"),
        "uploads",
        "ftpuser",
    ),
    "protected_dirs": Family(
        lambda p: p.protected_dirs,
        lambda p, who, d: p.protected_dirs.create(who, d, "private"),
        "private",
        "protected_dir",
    ),
    "databases": Family(
        lambda p: p.databases,
        lambda p, who, d: p.databases.create(who, d, name="shop_db", type="mysql"),
        "shop_db",
        "database",
    ),
}


@pytest.mark.parametrize("kind", FAMILIES)
def test_an_object_is_reached_through_its_parent_and_goes_with_it(panel: Panel, kind: str) -> None:
    family = FAMILIES[kind]
    service = family.service(panel)
    carol = factories.customer(panel, "carol")
    dave = factories.customer(panel, "dave").identity()
    shop = factories.webspace(panel, "shop.example", owner=carol)
    made = family.make(panel, carol.identity(), shop)
    who = carol.identity()
    # the owner sees it by id, by name, in its domain's list and in the list of all
    assert service.get(who, made.id) == made
    assert service.by_name(who, family.name) == made
    assert service.list(who, shop) == [made] == service.list(who)
    # another customer sees nothing, and cannot delete it
    assert service.get(dave, made.id) is None
    assert service.by_name(dave, family.name) is None
    assert service.list(dave, shop) == [] == service.list(dave)
    with pytest.raises(NotFound):
        service.delete(dave, made)
    created = [e for e in panel.events.list(obj_class=family.event) if e.obj_id == made.id]
    assert [e.action for e in created] == [f"{family.event}_create"]
    # it goes with its subscription, in the subscription's delete
    panel.domains.delete(factories.admin(panel), shop)
    assert service.get(factories.admin(panel), made.id) is None
    assert service.list(factories.admin(panel)) == []


@pytest.mark.parametrize("kind", FAMILIES)
def test_a_delete_is_its_event_and_a_second_delete_is_not_found(panel: Panel, kind: str) -> None:
    family = FAMILIES[kind]
    service = family.service(panel)
    admin = factories.admin(panel)
    made = family.make(panel, admin, factories.webspace(panel, "shop.example"))
    assert service.delete(admin, made) == made
    assert service.get(admin, made.id) is None
    gone = panel.events.list(action=f"{family.event}_delete")
    assert [(e.obj_id, e.actor) for e in gone] == [(made.id, "admin")]
    with pytest.raises(NotFound):
        service.delete(admin, made)


def test_mail_is_reached_through_its_site_and_purged_with_it(panel: Panel) -> None:
    carol = factories.customer(panel, "carol")
    who = carol.identity()
    shop = factories.webspace(panel, "shop.example", owner=carol)
    made = panel.mail.create(who, shop, "Info", MailChange(forwards=["a@example.net"]))
    assert made.name == "info" and made.forwards == ("a@example.net",)
    assert panel.mail.by_id(who, shop, made.id) == made == panel.mail.get(who, shop, "INFO")
    with pytest.raises(NotFound):
        panel.mail.list(factories.customer(panel, "dave").identity(), shop)
    panel.domains.delete(factories.admin(panel), shop)
    again = factories.webspace(panel, "shop.example", owner=carol)
    assert panel.mail.list(who, again) == []


def test_a_familys_flags_are_read_back_as_bools(panel: Panel) -> None:
    """`Stored._row` makes the record from the row as read: the store answers its
    boolean columns as bools (not SQLite's 0 and 1), through every read."""
    admin = factories.admin(panel)
    shop = factories.webspace(panel, "shop.example")
    ftp = panel.ftp_users.create(admin, shop, name="uploads", password="Ftp-pw-1")
    pdir = panel.protected_dirs.create(admin, shop, "private")
    alias = panel.site_aliases.create(admin, shop, "shop.example.net")
    helper = panel.admin_aliases.add(admin, {"login": "helper", "password": "Helper-pw-1"})
    package = panel.aps_packages.import_file(admin, "WordPress-6.4.2-1.app.zip")
    ftp_read = panel.ftp_users.get(admin, ftp.id)
    pdir_read = panel.protected_dirs.get(admin, pdir.id)
    package_read = panel.aps_packages.get(package.id)
    assert ftp_read is not None and pdir_read is not None and package_read is not None
    (alias_read,), (helper_read,) = (
        panel.site_aliases.list(admin, shop),
        panel.admin_aliases.list(admin),
    )
    flags = [
        ftp.read, ftp.write, ftp_read.read, ftp_read.write,
        pdir.ssl, pdir.cgi, pdir_read.ssl, pdir_read.cgi,
        alias.web, alias.manage_dns, alias_read.web, alias_read.manage_dns,
        helper.active, helper_read.active,
        package.uploaded, package.visible, package_read.uploaded,
    ]  # fmt: skip
    assert all(type(v) is bool for v in flags), flags
