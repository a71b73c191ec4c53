"""Subscriptions: a webspace's plans (one service plan, any add-ons) and its settings.

A subscription's effective settings are, block by block: the defaults of
core/plans/settings.py, overlaid by its service plan's, then its add-ons' (add-on limits
add up; -1 wins), then the values set on the subscription itself. Switching to
another plan re-derives them: the subscription's own values of the plan's blocks
are dropped, so the new plan's apply. Sites keep their own ``prefs``.

Plans come from the subscription's vendor: the customer's owner (the admin or a
reseller), or the reseller or admin itself for a subscription it owns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.domains import PROPERTY_KIND, Domain, Domains
from panelkey.core.domains.ips import Ips
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.plans.plans import NOT_FOUND, Plan, Plans
from panelkey.core.plans.settings import BLOCKS, PER_DOMAIN_HOSTING, SUBSCRIPTION_BLOCKS, add_limits
from panelkey.core.server.php_handlers import SETTING as PHP_HANDLER
from panelkey.core.server.php_handlers import refuse_disabled
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

Given = Mapping[str, Iterable[tuple[str, str]]]
# Blocks a customer may change on its own subscription, and the permission it needs.
CUSTOMER_BLOCKS = {"hosting": "manage_phosting", "php-settings": "manage_php_settings", "prefs": ""}
# What a site (not its subscription) holds of its own; the rest is its subscription's.
SITE_BLOCKS = ("hosting", "prefs", "performance", "mail")


@dataclass(frozen=True, slots=True)
class Checked:
    """Validated settings: stored blocks, plus the per-domain hosting values."""

    blocks: dict[str, dict[str, str]] = field(default_factory=dict)
    domain: dict[str, str] = field(default_factory=dict)


def check(given: Given, allowed: Iterable[str] = SUBSCRIPTION_BLOCKS) -> Checked:
    """Validate a request's blocks; raises InvalidValue (1019) for any bad name/value."""
    out = Checked()
    allowed = set(allowed)
    for block, pairs in given.items():
        if block not in allowed:
            raise InvalidValue(f"No {block} settings here")
        values = BLOCKS[block].check(pairs)
        if block == "hosting":
            for name in PER_DOMAIN_HOSTING & values.keys():
                out.domain[name] = values.pop(name)
        out.blocks[block] = values
    return out


def _subscription_reads() -> tuple[sa.Select[Any], sa.Select[Any], sa.CompoundSelect[Any]]:
    """A subscription's plans; its own values; both in one read (built once per process)."""
    sp, s = tables.subscription_plans, tables.domain_settings
    v: sa.BindParameter[Any] = sa.bindparam("v")
    plans_of = sa.select(sp.c.plan_id, sp.c.kind).where(sp.c.domain_id == v)
    own = sa.select(s.c.block, s.c.name, s.c.value).where(s.c.domain_id == v)
    # Both of the above in one read, for `effective`: (kind, plan_id, None, None) rows
    # for plans, (block, None, name, value) rows for the domain's own values.
    layers = sa.union_all(
        sa.select(
            sp.c.kind,
            sp.c.plan_id,
            sa.cast(sa.null(), sa.String),
            sa.cast(sa.null(), sa.Text),
        ).where(sp.c.domain_id == v),
        sa.select(s.c.block, sa.cast(sa.null(), sa.Integer), s.c.name, s.c.value).where(
            s.c.domain_id == v
        ),
    )
    return plans_of, own, layers


class Subscriptions:
    def __init__(self, db: Database, domains: Domains, plans: Plans, ips: Ips) -> None:
        self._db = db
        self._domains = domains
        self._plans = plans
        self._ips = ips
        plans_of, own, layers = built(Subscriptions, _subscription_reads)
        self._plans_of = db.prepare(plans_of)
        self._own = db.prepare(own)
        self._layers = db.prepare(layers)

    def check_ip(self, owner: Account, address: str) -> None:
        """Refuse an address outside the pool `owner` may host on (the server's for the
        admin and its customers, the reseller's share for a reseller and its
        customers), as Plesk does: NotFound (1013)."""
        if address and not self._ips.is_available(owner, address):
            raise NotFound(f"IP address {address} does not exist in the client's IP pool")

    # -- plans of a subscription ------------------------------------------------------

    def vendor_id(self, owner: Account) -> int:
        """Whose plans a subscription of `owner` uses."""
        if owner.type == AccountType.CUSTOMER.value and owner.owner_id is not None:
            return owner.owner_id
        return owner.id

    def find_plan(self, owner: Account, kind: str, ref: str, value: str) -> Plan:
        """The vendor's plan by ``id``/``name``/``guid``/``external-id``; NotFound (1013)."""
        found = self._plans.find(kind, vendor_id=self.vendor_id(owner), ref=ref, value=value)
        if found is None:
            raise NotFound(NOT_FOUND[kind])
        return found

    def plans_of(self, domain_id: int) -> tuple[Plan | None, list[Plan]]:
        """(service plan or None, add-on plans) of a subscription."""
        return self._plans_in(self._plans_of.all(v=domain_id))

    def _plans_in(self, rows: Iterable[tuple[Any, ...]]) -> tuple[Plan | None, list[Plan]]:
        main: Plan | None = None
        addons: list[Plan] = []
        for plan_id, kind in sorted(rows):
            plan = self._plans.by_id(plan_id)
            if plan is None:
                continue
            if kind == "service":
                main = plan
            else:
                addons.append(plan)
        return main, addons

    # -- settings -----------------------------------------------------------------------

    def own(self, domain_id: int) -> dict[str, dict[str, str]]:
        """Values set on the domain itself, {block: {name: value}}."""
        out: dict[str, dict[str, str]] = {}
        for block, name, value in self._own.all(v=domain_id):
            out.setdefault(block, {})[name] = value
        return out

    def effective(self, domain: Domain, *, defaults: bool = True) -> dict[str, dict[str, str]]:
        """Every subscription block with defaults, plan, add-ons and own values applied;
        a site has its webspace's, with its own ``prefs`` and ``hosting`` on top.
        Without `defaults`, only what a plan, an add-on or the domain itself sets."""
        base_id = domain.base_domain_id or domain.id
        own: dict[str, dict[str, str]] = {}
        plan_rows = []
        for first, plan_id, name, value in self._layers.all(v=base_id):
            if plan_id is not None:
                plan_rows.append((plan_id, first))
            else:
                own.setdefault(first, {})[name] = value
        main, addons = self._plans_in(plan_rows)
        layers: dict[str, list[dict[str, str]]] = {b: [] for b in SUBSCRIPTION_BLOCKS}
        if main is not None:
            for block, values in self._plans.settings(main).items():
                if block in layers:
                    layers[block].append(values)
        out: dict[str, dict[str, str]] = {}
        for block in SUBSCRIPTION_BLOCKS:
            merged = BLOCKS[block].effective(*layers[block]) if defaults else {}
            if not defaults:
                for layer in layers[block]:
                    merged.update(layer)
            for addon in addons:
                extra = self._plans.settings(addon).get(block, {})
                merged = add_limits(merged, extra) if block == "limits" else {**merged, **extra}
            out[block] = merged
        if domain.id != base_id:
            site_own = self.own(domain.id)
            own["prefs"] = site_own.get("prefs", {})
            for block in ("hosting", "performance", "mail"):
                own[block] = {**own.get(block, {}), **site_own.get(block, {})}
        for block, values in own.items():
            if block in out:
                out[block].update(values)
        per_domain = {"ftp_login": domain.ftp_login, "www_root": domain.www_root}
        out["hosting"] = {**{n: v for n, v in per_domain.items() if v}, **out["hosting"]}
        if defaults:
            out["hosting"].update(per_domain)
        return out

    def writer(
        self,
        checked: Checked,
        *,
        main: Plan | None = None,
        actor: Identity | None = None,
        props: Mapping[str, str] | None = None,
    ) -> Any:
        """A `within` callback for Domains.create/update: stores the checked blocks (and
        the service plan, and the domain's `props`: Domains.props_of) for the domain in
        the write's own transaction."""

        def write(conn: sa.Connection, domain_id: int) -> None:
            refuse_disabled(conn, checked.blocks.get("hosting", {}).get(PHP_HANDLER))
            if main is not None:
                self._link(conn, domain_id, main, "service")
            if props:
                Properties(self._db).set(PROPERTY_KIND, domain_id, props, conn=conn)
            _store(conn, domain_id, checked.blocks)
            if checked.blocks:
                events.record(
                    conn,
                    "phys_hosting" if set(checked.blocks) == {"hosting"} else "domain",
                    events.UPDATE,
                    domain_id,
                    str(
                        conn.execute(
                            sa.select(tables.domains.c.name).where(tables.domains.c.id == domain_id)
                        ).scalar()
                    ),
                    actor,
                    new={f"{b}.{n}": v for b, vs in checked.blocks.items() for n, v in vs.items()},
                )

        return write

    @staticmethod
    def _link(conn: sa.Connection, domain_id: int, plan: Plan, kind: str) -> None:
        sp = tables.subscription_plans
        if kind == "service":
            conn.execute(sp.delete().where(sp.c.domain_id == domain_id, sp.c.kind == "service"))
        conn.execute(sp.insert().values(domain_id=domain_id, plan_id=plan.id, kind=kind))

    # -- changing plans -----------------------------------------------------------------

    def _check_rights(self, actor: Identity, domain: Domain) -> None:
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()
        if self._domains.get(actor, domain.id) is None or not domain.is_webspace:
            raise NotFound("Webspace does not exist")

    def switch(self, actor: Identity, domain: Domain, plan: Plan | None) -> None:
        """Put the subscription on `plan` (None: on no plan) and re-derive its settings:
        its own values of every block are dropped. Add-ons stay."""
        self._check_rights(actor, domain)
        sp, s = tables.subscription_plans, tables.domain_settings
        with self._db.begin() as conn:
            conn.execute(sp.delete().where(sp.c.domain_id == domain.id, sp.c.kind == "service"))
            if plan is not None:
                self._link(conn, domain.id, plan, "service")
            conn.execute(s.delete().where(s.c.domain_id == domain.id, s.c.block != "prefs"))
            events.record(
                conn, "domain", events.UPDATE, domain.id, domain.name, actor,
                new={"plan": plan.name if plan is not None else ""},
            )  # fmt: skip

    def add_addon(self, actor: Identity, domain: Domain, plan: Plan) -> None:
        """Add an add-on plan; one already there is refused with InvalidValue."""
        self._check_rights(actor, domain)
        _main, addons = self.plans_of(domain.id)
        if any(a.id == plan.id for a in addons):
            raise InvalidValue(f"The add-on {plan.name!r} is already on the subscription")
        with self._db.begin() as conn:
            self._link(conn, domain.id, plan, "addon")
            events.record(
                conn, "domain", events.UPDATE, domain.id, domain.name, actor,
                new={"addon": plan.name},
            )  # fmt: skip

    def remove_addon(self, actor: Identity, domain: Domain, plan: Plan) -> None:
        """Remove an add-on plan; one not on the subscription is NotFound."""
        self._check_rights(actor, domain)
        sp = tables.subscription_plans
        with self._db.begin() as conn:
            gone = conn.execute(
                sp.delete().where(
                    sp.c.domain_id == domain.id, sp.c.plan_id == plan.id, sp.c.kind == "addon"
                )
            ).rowcount
            if not gone:
                raise NotFound(NOT_FOUND["addon"])
            events.record(
                conn, "domain", events.UPDATE, domain.id, domain.name, actor,
                old={"addon": plan.name},
            )  # fmt: skip

    def count_sites(self, domain: Domain) -> int:
        """Domains of the subscription, its main one included."""
        d = tables.domains
        base = domain.base_domain_id or domain.id
        with self._db.read() as conn:
            q = sa.select(sa.func.count()).where(sa.or_(d.c.id == base, d.c.base_domain_id == base))
            return int(conn.execute(q).scalar() or 0)


def _store(conn: sa.Connection, domain_id: int, blocks: Mapping[str, Mapping[str, str]]) -> None:
    s = tables.domain_settings
    for block, values in blocks.items():
        for name, value in values.items():
            conn.execute(
                s.delete().where(s.c.domain_id == domain_id, s.c.block == block, s.c.name == name)
            )
            if block == "php-settings" and value == "":
                continue  # an empty value puts the setting back to its default
            conn.execute(
                s.insert().values(domain_id=domain_id, block=block, name=name, value=value)
            )
