"""Resellers' limits and permissions: the reseller plan they are on, and their own values.

The names, types and defaults are core/plans/settings.py's ``reseller-limits`` and
``reseller-permissions`` blocks; a reseller's effective values are the defaults,
overlaid by its reseller plan's, overlaid by what was set on the reseller itself.
``switch`` moves a reseller to another reseller plan (Plesk's switch-subscription).

The module's functions at the end change an account's kind or owner together with the
plans its subscriptions are on (Plesk's convert-to-reseller, convert-to-customer and
change-owner with a plan), each in one transaction: all of it happens, or none.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import PROPERTY_KIND, Account, event_class
from panelkey.core.domains.ips import Ips
from panelkey.core.errors import (
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PanelkeyError,
    PermissionDenied,
)
from panelkey.core.identity import AccountType, Identity
from panelkey.core.plans.plans import NOT_FOUND, Plan, Plans
from panelkey.core.plans.settings import RESELLER_LIMITS, RESELLER_PERMISSIONS
from panelkey.store import tables
from panelkey.store.database import Database

if TYPE_CHECKING:
    from panelkey.core.panel import Panel

LIMITS_BLOCK = RESELLER_LIMITS.name
PERMISSIONS_BLOCK = RESELLER_PERMISSIONS.name
PLAN_NOT_FOUND = "Reseller plan does not exist"
Pairs = Iterable[tuple[str, str]]


def check(limits: Pairs = (), permissions: Pairs = ()) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical (limits, permissions) to store; raises InvalidValue naming a bad one."""
    return RESELLER_LIMITS.check(limits), RESELLER_PERMISSIONS.check(permissions)


class Resellers:
    def __init__(self, db: Database, plans: Plans, ips: Ips | None = None) -> None:
        self._db = db
        self._plans = plans
        self._ips = ips

    def _row(self, reseller: Account, conn: sa.Connection | None = None) -> Any:
        t = tables.reseller_settings
        q = sa.select(t.c.limits, t.c.permissions, t.c.plan_id).where(t.c.account_id == reseller.id)
        if conn is not None:
            return conn.execute(q).first()
        with self._db.read() as own:
            return own.execute(q).first()

    def plan(self, reseller: Account) -> Plan | None:
        """The reseller plan the reseller is on, or None."""
        row = self._row(reseller)
        plan_id = row.plan_id if row is not None else None
        return self._plans.by_id(int(plan_id)) if plan_id is not None else None

    def subscription(self, reseller: Account) -> tuple[Plan, bool] | None:
        """The reseller's subscription to a reseller plan, as Plesk lists it in
        reseller/get `subscriptions`: (plan, locked), where locked means the reseller
        has values of its own over the plan's (Plesk's customised, "locked" subscription,
        no longer synchronised with its plan); None when it is on no plan."""
        row = self._row(reseller)
        if row is None or row.plan_id is None:
            return None
        plan = self._plans.by_id(int(row.plan_id))
        if plan is None:
            return None
        own = json.loads(str(row.limits)) or json.loads(str(row.permissions))
        return plan, bool(own)

    def effective(self, reseller: Account) -> tuple[dict[str, str], dict[str, str]]:
        """(limits, permissions) in the blocks' order: defaults, the plan's, its own."""
        row = self._row(reseller)
        own_limits = json.loads(str(row.limits)) if row is not None else {}
        own_perms = json.loads(str(row.permissions)) if row is not None else {}
        plan = self.plan(reseller)
        from_plan = self._plans.settings(plan) if plan is not None else {}
        return (
            RESELLER_LIMITS.effective(from_plan.get(LIMITS_BLOCK, {}), own_limits),
            RESELLER_PERMISSIONS.effective(from_plan.get(PERMISSIONS_BLOCK, {}), own_perms),
        )

    def find_plan(self, ref: str, value: str) -> Plan:
        """A reseller plan (the admin's) by "id", "name", "guid" or "external-id".
        Raises NotFound ("Reseller plan does not exist")."""
        admin = tables.accounts
        with self._db.read() as conn:
            admin_id = conn.execute(sa.select(admin.c.id).where(admin.c.type == "admin")).scalar()
        plan = self._plans.find("reseller", vendor_id=int(admin_id or 0), ref=ref, value=value)
        if plan is None:
            raise NotFound(PLAN_NOT_FOUND)
        return plan

    def put(
        self,
        actor: Identity,
        reseller: Account,
        *,
        limits: Pairs = (),
        permissions: Pairs = (),
        plan: Plan | None = None,
    ) -> None:
        """Set some of a reseller's own limits and permissions and/or put it on `plan`
        (which drops the values it had of its own). The admin only. Raises
        PermissionDenied, InvalidValue, NotFound (not a reseller plan); nothing is
        written on error."""
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        if reseller.type != AccountType.RESELLER.value:
            raise InvalidValue(f"Account {reseller.login!r} is not a reseller")
        if plan is not None and plan.kind != "reseller":
            raise NotFound(PLAN_NOT_FOUND)
        new_limits, new_perms = check(limits, permissions)
        if not new_limits and not new_perms and plan is None:
            return
        t = tables.reseller_settings
        with self._db.begin() as conn:
            row = self._row(reseller, conn)
            old_limits = json.loads(str(row.limits)) if row is not None else {}
            old_perms = json.loads(str(row.permissions)) if row is not None else {}
            old_plan = row.plan_id if row is not None else None
            # A new plan replaces the reseller's own values (Plesk syncs it with the plan).
            keep_limits, keep_perms = ({}, {}) if plan is not None else (old_limits, old_perms)
            values = {
                "limits": json.dumps({**keep_limits, **new_limits}),
                "permissions": json.dumps({**keep_perms, **new_perms}),
                "plan_id": plan.id if plan is not None else old_plan,
            }
            if row is None:
                conn.execute(t.insert().values(account_id=reseller.id, **values))
            else:
                conn.execute(t.update().where(t.c.account_id == reseller.id).values(**values))
            old: dict[str, object] = {k: old_limits.get(k, "") for k in new_limits}
            old.update({k: old_perms.get(k, "") for k in new_perms})
            new: dict[str, object] = {**new_limits, **new_perms}
            if plan is not None:
                old["plan_id"], new["plan_id"] = old_plan, plan.id
            events.record(
                conn, "reseller", events.UPDATE, reseller.id, reseller.login, actor,
                old=old, new=new,
            )  # fmt: skip
        if plan is not None:
            self._share_plan_addresses(actor, reseller, plan)

    def _share_plan_addresses(self, actor: Identity, reseller: Account, plan: Plan) -> None:
        """A reseller put on a plan gets the plan's `ip-pool` addresses in its own pool,
        shared, as Plesk gives them; one the server's pool no longer has is passed over
        (the plan still names it, and ip/del refused nothing for it)."""
        if self._ips is None:
            return
        wanted = self._plans.effective(plan).get("ip-pool", {}).get("ip-address", "").split()
        held = {e.ip.address for e in self._ips.pool(reseller.id)}
        for address in wanted:
            if address in held:
                continue
            try:
                self._ips.pool_put(actor, reseller, address, "shared")
            except NotFound:
                continue

    def unplan(self, actor: Identity, reseller: Account) -> None:
        """Take a reseller off its reseller plan (Plesk's switch-subscription with
        ``no-plan``): the values it had from the plan become its own, so nothing it may
        do changes. The admin only; a reseller on no plan is left as it is. Raises
        PermissionDenied, InvalidValue (not a reseller)."""
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        if reseller.type != AccountType.RESELLER.value:
            raise InvalidValue(f"Account {reseller.login!r} is not a reseller")
        plan = self.plan(reseller)
        if plan is None:
            return
        limits, perms = self.effective(reseller)
        t = tables.reseller_settings
        with self._db.begin() as conn:
            conn.execute(
                t.update()
                .where(t.c.account_id == reseller.id)
                .values(limits=json.dumps(limits), permissions=json.dumps(perms), plan_id=None)
            )
            events.record(
                conn, "reseller", events.UPDATE, reseller.id, reseller.login, actor,
                old={"plan_id": plan.id}, new={"plan_id": ""},
            )  # fmt: skip


# -- conversions and moves that carry plans ---------------------------------------------------


def _onto_plan(panel: Panel, actor: Identity, owner: Account, plan: Plan) -> None:
    """Every webspace of `owner` onto the service plan `plan` (its own values dropped)."""
    for domain in panel.domains.of_owner(actor, owner.id):
        if domain.is_webspace:
            panel.subscriptions.switch(actor, domain, plan)


def _convert(panel: Panel, actor: Identity, account: Account, to_type: str) -> Account:
    """Turn an admin's customer into a reseller, or a reseller without customers into
    a customer of the admin (its IP pool share is dropped). Only the admin may.
    Raises PermissionDenied, InvalidValue, PanelkeyError (1023: the reseller still
    owns customers)."""
    if not actor.is_admin:
        raise PermissionDenied("Permission denied.")
    reseller, customer = AccountType.RESELLER.value, AccountType.CUSTOMER.value
    if (account.type, to_type) not in ((customer, reseller), (reseller, customer)):
        raise InvalidValue(f"Account {account.login!r} cannot become a {to_type}")
    a = tables.accounts
    with panel.db.begin() as conn:
        if to_type == reseller and account.owner_id != actor.account_id:
            owner = panel.accounts.get(account.owner_id or 0, conn)
            if owner is not None and owner.type != AccountType.ADMIN.value:
                raise PanelkeyError(
                    f"Customer {account.login!r} belongs to a reseller: "
                    "only the administrator's customers can become resellers."
                )
        if to_type == customer:
            owned = conn.execute(
                sa.select(sa.func.count()).where(a.c.owner_id == account.id)
            ).scalar()
            if owned:
                raise PanelkeyError(
                    f"Reseller {account.login!r} owns customers: move or remove them first."
                )
            conn.execute(tables.ip_pool.delete().where(tables.ip_pool.c.account_id == account.id))
            # Plesk keeps only contact details and credentials: the reseller's
            # allotments and plan, and its Power User view, go.
            rs = tables.reseller_settings
            conn.execute(rs.delete().where(rs.c.account_id == account.id))
            panel.properties.purge(PROPERTY_KIND, account.id, conn)
        conn.execute(a.update().where(a.c.id == account.id).values(type=to_type))
        panel.db.record_change(conn, "account")
        events.record(
            conn, event_class(to_type), events.UPDATE, account.id, account.login, actor,
            old={"type": account.type}, new={"type": to_type},
        )  # fmt: skip
        updated = panel.accounts.get(account.id, conn)
    panel.accounts.changed()
    assert updated is not None
    return updated


def _give(
    panel: Panel, actor: Identity, account: Account, owner: Account, addresses: Sequence[str]
) -> Account:
    """Give a customer to another owner (the admin or a reseller); only the admin may.
    The customer's webspaces must stay on addresses the new owner has: `addresses`
    (an IPv4 and/or an IPv6 one) move them there. Raises PermissionDenied,
    OwnerNotFound, InvalidValue (an address the new owner does not have)."""
    if not actor.is_admin or account.type != AccountType.CUSTOMER.value:
        raise PermissionDenied("Permission denied.")
    if owner.type == AccountType.CUSTOMER.value:
        raise OwnerNotFound(f"Account {owner.login!r} cannot own a customer")
    ip, pool, d = tables.ip_addresses, tables.ip_pool, tables.domains
    with panel.db.begin() as conn:
        if owner.type == AccountType.RESELLER.value:
            q = sa.select(ip.c.address).select_from(pool.join(ip, pool.c.ip_id == ip.c.id))
            have = set(conn.execute(q.where(pool.c.account_id == owner.id)).scalars())
        else:
            have = set(conn.execute(sa.select(ip.c.address)).scalars())
        moves: dict[int, str] = {}
        for text in addresses:
            try:
                parsed = ipaddress.ip_address(text.strip())
            except ValueError:
                raise InvalidValue(f"Invalid IP address: {text!r}") from None
            if str(parsed) not in have:
                raise InvalidValue(f"IP address {parsed} is not in the new owner's pool")
            moves[parsed.version] = str(parsed)
        webspaces = conn.execute(
            sa.select(d.c.id, d.c.ip_address).where(d.c.owner_id == account.id)
        ).all()
        for row in webspaces:
            version = ipaddress.ip_address(row.ip_address).version if row.ip_address else 4
            target = moves.get(version, row.ip_address)
            if target and target not in have:
                raise InvalidValue(
                    f"IP address {target} is not in the new owner's pool: give one that is"
                )
            if target != row.ip_address:
                conn.execute(d.update().where(d.c.id == row.id).values(ip_address=target))
        a = tables.accounts
        conn.execute(a.update().where(a.c.id == account.id).values(owner_id=owner.id))
        events.record(
            conn, "client", events.UPDATE, account.id, account.login, actor,
            old={"owner_id": account.owner_id},
            new={"owner_id": owner.id, **{f"ipv{v}": t for v, t in moves.items()}},
        )  # fmt: skip
        updated = panel.accounts.get(account.id, conn)
    assert updated is not None
    return updated


def to_reseller(
    panel: Panel, actor: Identity, customer: Account, plan_name: str | None = None
) -> Account:
    """An admin's customer made a reseller; with `plan_name`, on that reseller plan of
    the admin. Raises what `_convert` raises, NotFound ("Reseller plan does not
    exist"); nothing is written on error."""
    with panel.db.atomic():
        plan = panel.resellers.find_plan("name", plan_name) if plan_name is not None else None
        converted = _convert(panel, actor, customer, AccountType.RESELLER.value)
        if plan is not None:
            panel.resellers.put(actor, converted, plan=plan)
    return converted


def to_customer(
    panel: Panel, actor: Identity, reseller: Account, plan_name: str | None = None
) -> Account:
    """A reseller without customers made a customer of the admin; with `plan_name`, its
    subscriptions go onto that service plan of the admin (their new vendor). Raises
    what Accounts.convert raises, NotFound ("Service plan does not exist"); nothing is
    written on error."""
    with panel.db.atomic():
        plan = None
        if plan_name is not None:
            admin = panel.accounts.admin()
            if admin is None:
                raise NotFound(NOT_FOUND["service"])
            plan = panel.subscriptions.find_plan(admin, "service", "name", plan_name)
        converted = _convert(panel, actor, reseller, AccountType.CUSTOMER.value)
        if plan is not None:
            _onto_plan(panel, actor, converted, plan)
    return converted


def change_owner(
    panel: Panel,
    actor: Identity,
    customer: Account,
    owner: Account,
    *,
    addresses: Sequence[str] = (),
    plan: Plan | None = None,
) -> Account:
    """`_give` the customer to `owner`, and with `plan` (a service plan of the new owner,
    see `owner_plan`) its subscriptions go onto it. Raises what `_give` and
    Subscriptions.switch raise; nothing is written on error."""
    with panel.db.atomic():
        moved = _give(panel, actor, customer, owner, addresses)
        if plan is not None:
            _onto_plan(panel, actor, moved, plan)
    return moved


def owner_plan(panel: Panel, owner: Account, plan_name: str) -> Plan:
    """The service plan `plan_name` of the admin or reseller `owner`. Raises NotFound
    ("Service plan does not exist")."""
    return panel.subscriptions.find_plan(owner, "service", "name", plan_name)
