"""App filters: which packages a plan, a reseller or a subscription is offered.

An owner with no filter is offered every package; `enable` gives it an empty filter (no
package), `add`/`remove` change the items of its filter (making one when there is none,
as Plesk's add-package does), `disable` drops the filter (every package again). An item
is a package property and a value, as Plesk's `package/name` and `package/value`:
`name` (the app's name, case-insensitive), `url` (a URL whose path names the app),
`version`, `release`, `vendor`, `packager`.

What a subscription is offered: the visible packages its own filter allows when it has
one, else those of its service plan's filter with its add-ons' items joined (every one
when the service plan has no filter); and of those, the ones its reseller is offered
(a reseller: its own filter, else its reseller plan's).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account, Accounts
from panelkey.core.accounts.resellers import Resellers
from panelkey.core.aps.packages import PACKAGE_NOT_FOUND, Package, Packages
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity, require_admin
from panelkey.core.plans.plans import Plan
from panelkey.core.plans.subscriptions import Subscriptions
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database

Item = tuple[str, str]
# What plans, resellers and subscriptions do to their filter, by Plesk's operation names.
CHANGES = ("add-package", "remove-package", "enable-aps-filter", "disable-aps-filter")
EVENT = "aps_filter"
PROPERTIES = ("name", "url", "version", "release", "vendor", "packager")
_F, _I = tables.aps_filters, tables.aps_filter_items


@dataclass(frozen=True, slots=True)
class Owner:
    """What holds a filter: `column` is aps_filters' column naming it."""

    column: str
    id: int
    name: str


def plan_owner(plan: Plan) -> Owner:
    return Owner("plan_id", plan.id, plan.name)


def account_owner(account: Account) -> Owner:
    return Owner("account_id", account.id, account.login)


def domain_owner(domain: Domain) -> Owner:
    return Owner("domain_id", domain.id, domain.name)


def check_items(items: Iterable[Item]) -> builtins.list[Item]:
    """Items as stored: the property in lower case. Raises InvalidValue."""
    out: builtins.list[Item] = []
    for name, value in items:
        prop = name.strip().lower()
        if prop not in PROPERTIES:
            raise InvalidValue(f"Unknown package property {name.strip()!r}")
        if not value.strip():
            raise InvalidValue(f"The package {prop} is empty")
        out.append((prop, value.strip()))
    return out


def matches(package: Package, item: Item) -> bool:
    prop, value = item
    if prop == "name":
        return package.name.lower() == value.lower()
    if prop == "url":
        return package.name.lower() in value.lower().split("?", 1)[0]
    return str(getattr(package, prop)) == value


def allowed(packages: Sequence[Package], items: Sequence[Item] | None) -> builtins.list[Package]:
    """The packages a filter (None: no filter) lets through."""
    if items is None:
        return builtins.list(packages)
    return [p for p in packages if any(matches(p, i) for i in items)]


class AppFilters:
    def __init__(
        self,
        db: Database,
        accounts: Accounts,
        resellers: Resellers,
        subscriptions: Subscriptions,
        packages: Packages,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._resellers = resellers
        self._subscriptions = subscriptions
        self._packages = packages

    # -- who may change which filter -----------------------------------------------------

    @staticmethod
    def check_plan(actor: Identity, plan: Plan) -> None:
        """The admin changes every plan's filter, a reseller its own service and add-on
        plans'. Raises PermissionDenied."""
        if actor.is_admin:
            return
        reseller = actor.type == AccountType.RESELLER.value
        if reseller and plan.kind != "reseller" and plan.owner_id == actor.account_id:
            return
        raise PermissionDenied()

    check_reseller = staticmethod(require_admin)  # only the admin changes a reseller's

    @staticmethod
    def check_webspace(actor: Identity) -> None:
        """The admin and resellers change a subscription's filter (the face finds only
        subscriptions in the caller's reach); a customer may not."""
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()

    # -- reading -------------------------------------------------------------------------

    def items(self, owner: Owner, conn: sa.Connection | None = None) -> builtins.list[Item] | None:
        """The owner's filter items in the order added; None when it has no filter."""
        q = (
            sa.select(_F.c.id, _I.c.name, _I.c.value)
            .select_from(_F.outerjoin(_I, _I.c.filter_id == _F.c.id))
            .where(_F.c[owner.column] == owner.id)
            .order_by(_I.c.id)
        )
        if conn is None:
            with self._db.read() as c:
                rows = c.execute(q).all()
        else:
            rows = conn.execute(q).all()
        if not rows:
            return None
        return [(r.name, r.value) for r in rows if r.name is not None]

    def offered_to_reseller(self, reseller: Account) -> builtins.list[Package]:
        visible = [p for p in self._packages.list() if p.visible]
        return allowed(visible, self._reseller_items(reseller))

    def _reseller_items(self, reseller: Account) -> builtins.list[Item] | None:
        own = self.items(account_owner(reseller))
        if own is not None:
            return own
        plan = self._resellers.plan(reseller)
        return None if plan is None else self.items(plan_owner(plan))

    def offered_to_webspace(self, webspace: Domain) -> builtins.list[Package]:
        visible = [p for p in self._packages.list() if p.visible]
        items = self.items(domain_owner(webspace))
        if items is None:
            main, addons = self._subscriptions.plans_of(webspace.id)
            items = None if main is None else self.items(plan_owner(main))
            if items is not None:
                for addon in addons:
                    items += self.items(plan_owner(addon)) or []
        offered = allowed(visible, items)
        reseller = self._reseller_of(webspace)
        if reseller is not None:
            theirs = {p.id for p in self.offered_to_reseller(reseller)}
            offered = [p for p in offered if p.id in theirs]
        return offered

    def _reseller_of(self, webspace: Domain) -> Account | None:
        """The reseller a subscription is sold by: its owner, or its owner's owner."""
        owner = self._accounts.get(webspace.owner_id)
        while owner is not None and owner.type != AccountType.RESELLER.value:
            if owner.owner_id is None or owner.owner_id == owner.id:
                return None
            owner = self._accounts.get(owner.owner_id)
        return owner

    # -- writing -------------------------------------------------------------------------

    def _filter_id(self, conn: sa.Connection, owner: Owner) -> int:
        found = conn.execute(sa.select(_F.c.id).where(_F.c[owner.column] == owner.id)).scalar()
        if found is not None:
            return int(found)
        return insert(conn, _F, **{owner.column: owner.id})

    def _record(self, conn: sa.Connection, actor: Identity, owner: Owner, new: object) -> None:
        events.record(
            conn,
            EVENT,
            events.UPDATE,
            owner.id,
            owner.name,
            actor,
            new={"owner": owner.column.removesuffix("_id"), "items": new},
        )

    def add(self, owner: Owner, actor: Identity, items: Iterable[Item]) -> None:
        """Add items to the owner's filter (made when it has none); an item it holds
        already is kept once. Raises InvalidValue."""
        checked = check_items(items)
        with self._db.begin() as conn:
            filter_id = self._filter_id(conn, owner)
            held = set(self.items(owner, conn) or [])
            for item in checked:
                if item not in held:
                    row = {"filter_id": filter_id, "name": item[0], "value": item[1]}
                    conn.execute(_I.insert().values(row))
                    held.add(item)
            self._record(conn, actor, owner, [list(i) for i in checked])

    def remove(self, owner: Owner, actor: Identity, items: Iterable[Item]) -> None:
        """Take items out of the owner's filter. Raises NotFound for an item it does not
        hold (nothing is removed then), InvalidValue."""
        checked = check_items(items)
        with self._db.begin() as conn:
            held = self.items(owner, conn) or []
            if any(item not in held for item in checked):
                raise NotFound(PACKAGE_NOT_FOUND)
            filter_id = self._filter_id(conn, owner)
            for prop, value in checked:
                conn.execute(
                    _I.delete().where(
                        _I.c.filter_id == filter_id, _I.c.name == prop, _I.c.value == value
                    )
                )
            self._record(conn, actor, owner, [])

    def enable(self, owner: Owner, actor: Identity) -> None:
        """An empty filter: no package offered until items are added."""
        with self._db.begin() as conn:
            filter_id = self._filter_id(conn, owner)
            conn.execute(_I.delete().where(_I.c.filter_id == filter_id))
            self._record(conn, actor, owner, [])

    def change(self, change: str, owner: Owner, actor: Identity, items: Iterable[Item]) -> None:
        """One of CHANGES, Plesk's operation names: `items` for add and remove only."""
        if change == "add-package":
            self.add(owner, actor, items)
        elif change == "remove-package":
            self.remove(owner, actor, items)
        elif change == "enable-aps-filter":
            self.enable(owner, actor)
        else:
            self.disable(owner, actor)

    def disable(self, owner: Owner, actor: Identity) -> None:
        """No filter: every package offered."""
        with self._db.begin() as conn:
            conn.execute(_F.delete().where(_F.c[owner.column] == owner.id))
            self._record(conn, actor, owner, None)
