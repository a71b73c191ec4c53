"""Finders take the actor: who may see which account, domain or plan is decided in the
core, once (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound
from panelkey.core.identity import AccountType
from panelkey.core.panel import Panel
from tests import factories


@dataclass(frozen=True)
class World:
    reseller: Account
    bob: Account  # the reseller's customer
    carol: Account  # the admin's customer
    carol_ws: Domain


@pytest.fixture
def world(panel: Panel) -> World:
    """A reseller with a customer, and a customer of the admin, each with a webspace."""
    admin = factories.admin(panel)
    reseller = panel.accounts.create(admin, type="reseller", login="rita", password="pw-rita-1")
    bob = factories.customer(panel, "bob", owner=reseller)
    carol = factories.customer(panel, "carol")
    carol = panel.accounts.update(admin, carol, {"external_id": "crm-carol"})
    factories.webspace(panel, "bob.example", owner=bob)
    return World(reseller, bob, carol, factories.webspace(panel, "carol.example", owner=carol))


def test_an_account_is_found_by_any_reference_only_by_who_may_manage_it(
    panel: Panel, world: World
) -> None:
    admin = factories.admin(panel)
    carol = world.carol
    rita = world.reseller.identity()
    accounts = panel.accounts
    for ref in (
        ("id", carol.id),
        ("owner-login", "CAROL"),
        ("guid", carol.guid),
        ("owner-external-id", "crm-carol"),
        {"login": "carol"},
    ):
        assert accounts.find(admin, ref) == carol, ref
        assert accounts.find(rita, ref) is None, ref  # not the reseller's customer
    assert accounts.find(rita, ("login", "bob")) == world.bob
    assert accounts.find(admin, ("login", "bob"), type=AccountType.RESELLER.value) is None
    assert accounts.find(admin, ("login", "nobody")) is None
    with pytest.raises(NotFound):
        accounts.require(rita, ("login", "carol"))
    assert accounts.require(admin, ("login", "carol")) == carol
    assert [a.login for a in accounts.reachable(rita)] == ["rita", "bob"]
    customers = accounts.reachable(admin, type=AccountType.CUSTOMER.value)
    assert [a.login for a in customers] == ["bob", "carol"]
    owned = accounts.reachable(admin, owner_id=world.reseller.id)
    assert [a.login for a in owned] == ["bob"]


def test_a_domain_is_found_by_any_reference_only_by_who_may_see_it(
    panel: Panel, world: World
) -> None:
    admin = factories.admin(panel)
    carol_ws = world.carol_ws
    site = factories.site(panel, "www.carol.example", carol_ws)
    panel.properties.set("domain", carol_ws.id, {"external-id": "crm-ws"})
    domains = panel.domains
    bob = world.bob.identity()
    carol = world.carol.identity()
    for ref in (
        ("webspace-id", str(carol_ws.id)),
        ("name", "CAROL.example."),
        ("guid", carol_ws.guid.upper()),
        ("external-id", "crm-ws"),
        {"name": "carol.example"},
    ):
        assert domains.find(carol, ref) == carol_ws, ref
        assert domains.find(bob, ref) is None, ref
    assert domains.find(carol, ("name", "www.carol.example"), webspace=True) is None
    assert domains.find(carol, ("name", "www.carol.example"), webspace=False) == site
    assert domains.find(carol, ("name", "carol.example"), webspace=False) is None
    with pytest.raises(NotFound, match="Webspace does not exist"):
        domains.require(bob, ("name", "carol.example"), webspace=True)
    with pytest.raises(NotFound, match="Site does not exist"):
        domains.require(bob, ("name", "www.carol.example"))
    assert domains.require(admin, ("id", site.id)) == site


def test_a_plan_is_found_among_those_the_actor_may_see(panel: Panel, world: World) -> None:
    admin = factories.admin(panel)
    rita = world.reseller.identity()
    own = panel.plans.create(rita, "service", name="Rita Basic")
    assert panel.plans.find_for(rita, "service", ("name", "Rita Basic")) == own
    assert panel.plans.find_for(rita, "service", ("id", str(own.id))) == own
    assert panel.plans.find_for(admin, "service", ("guid", own.guid)) == own
    # the admin's stock plan is not the reseller's; a customer sees no plan
    assert panel.plans.find_for(admin, "service", ("name", "Unlimited")) is not None
    assert panel.plans.find_for(rita, "service", ("name", "Unlimited")) is None
    bob = world.bob.identity()
    assert panel.plans.find_for(bob, "service", ("name", "Rita Basic")) is None
    # the vendor's finder answers whoever asks: a customer's subscription uses them
    found = panel.plans.find("service", vendor_id=rita.account_id, ref="name", value="Rita Basic")
    assert found == own
