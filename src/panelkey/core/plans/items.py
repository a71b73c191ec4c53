"""Plan items (Plesk's additional services): names a service plan or a subscription
carries, kept in the ``properties`` table.

Plesk registers its custom plan options elsewhere (the ``plan-item`` operator of later
versions); 1.6.9.1 only attaches them by name, so a name is the whole item. A
subscription shows its own items and its service plan's, sorted by name. A
subscription's items go with it (purged on delete); a plan's with a plan's delete.
"""

from __future__ import annotations

import builtins
from functools import partial

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.plans.plans import EVENT_CLASS, Plan, Plans
from panelkey.core.plans.subscriptions import Subscriptions
from panelkey.store import tables
from panelkey.store.database import Database

ITEM_NOT_FOUND = "Plan item does not exist"
PLAN_KIND = "plan_item"  # properties rows: (kind, plan id, item name) -> ""
SUBSCRIPTION_KIND = "subscription_plan_item"  # (kind, webspace id, item name) -> ""

_P = tables.properties


class PlanItems:
    def __init__(
        self, db: Database, domains: Domains, plans: Plans, subscriptions: Subscriptions
    ) -> None:
        self._db = db
        self._plans = plans
        self._subscriptions = subscriptions
        domains.on_delete(partial(_purge, SUBSCRIPTION_KIND))
        plans.on_delete(partial(_purge, PLAN_KIND))

    def _names(self, kind: str, object_id: int) -> builtins.list[str]:
        q = sa.select(_P.c.name).where(_P.c.kind == kind, _P.c.object_id == object_id)
        with self._db.read() as conn:
            return sorted(str(n) for n in conn.execute(q).scalars())

    def of_plan(self, plan: Plan) -> builtins.list[str]:
        """The plan's items, by name."""
        return self._names(PLAN_KIND, plan.id)

    def of_subscription(self, domain: Domain) -> builtins.list[str]:
        """The subscription's own items and its service plan's, by name."""
        main, _addons = self._subscriptions.plans_of(domain.id)
        inherited = self.of_plan(main) if main is not None else []
        return sorted(set(self._names(SUBSCRIPTION_KIND, domain.id)) | set(inherited))

    def add(self, actor: Identity, target: Plan | Domain, name: str) -> None:
        """Attach an item; one already there stays (no error). InvalidValue for an
        empty name, PermissionDenied for a customer."""
        self._change(actor, target, name, add=True)

    def remove(self, actor: Identity, target: Plan | Domain, name: str) -> None:
        """Detach an item; NotFound (``Plan item does not exist``) when the target
        does not carry it itself (a subscription's inherited items are its plan's)."""
        self._change(actor, target, name, add=False)

    def _change(self, actor: Identity, target: Plan | Domain, name: str, *, add: bool) -> None:
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()
        name = name.strip()
        if not name:
            raise InvalidValue("The plan item name is empty")
        if isinstance(target, Plan):
            kind, event_class = PLAN_KIND, EVENT_CLASS[target.kind]
        else:
            kind, event_class = SUBSCRIPTION_KIND, "domain"
        where = sa.and_(_P.c.kind == kind, _P.c.object_id == target.id, _P.c.name == name)
        with self._db.begin() as conn:
            there = conn.execute(sa.select(_P.c.name).where(where)).first() is not None
            if not add and not there:
                raise NotFound(ITEM_NOT_FOUND)
            if add and there:
                return
            change = {"plan-item": name}
            if add:
                row = {"kind": kind, "object_id": target.id, "name": name, "value": ""}
                conn.execute(_P.insert().values(**row))
            else:
                conn.execute(_P.delete().where(where))
            events.record(
                conn,
                event_class,
                events.UPDATE,
                target.id,
                target.name,
                actor,
                new=change if add else None,
                old=None if add else change,
            )

    def copy(self, source: Plan, copy: Plan) -> None:
        """Give a plan's copy (copies.duplicate) the items of `source`."""
        names = self.of_plan(source)
        if names:
            with self._db.begin() as conn:
                rows = [{"kind": PLAN_KIND, "object_id": copy.id, "name": n} for n in names]
                conn.execute(_P.insert(), [{**r, "value": ""} for r in rows])


def _purge(kind: str, conn: sa.Connection, ids: builtins.list[int]) -> None:
    """The items of the subscriptions or plans going (`on_delete`)."""
    conn.execute(_P.delete().where(_P.c.kind == kind, _P.c.object_id.in_(ids)))
