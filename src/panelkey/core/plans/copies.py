"""Copies of plans (XML ``duplicate`` of service, add-on and reseller plans)."""

from __future__ import annotations

from panelkey.core.accounts.accounts import Accounts
from panelkey.core.identity import Identity
from panelkey.core.plans.items import PlanItems
from panelkey.core.plans.plans import Plan, Plans


def duplicate(
    plans: Plans, items: PlanItems, accounts: Accounts, actor: Identity, plan: Plan, name: str
) -> Plan:
    """A new plan of `plan`'s kind and owner named `name`, with the values and plan items
    `plan` sets itself (its defaults stay defaults; its app filter and subscriptions stay
    with it). Raises what Plans.create raises: AlreadyExists for a name in use,
    InvalidValue, PermissionDenied."""
    owner = None if plan.owner_id == actor.account_id else accounts.get(plan.owner_id)
    settings = {block: list(values.items()) for block, values in plans.settings(plan).items()}
    copy = plans.create(actor, plan.kind, name=name, owner=owner, settings=settings)
    items.copy(plan, copy)
    return copy
