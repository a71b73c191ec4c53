"""Plans: service plans, add-on plans and reseller plans, with their settings blocks.

A plan has an owner (the admin, or a reseller for service and add-on plans), a name
unique per owner and kind, a guid and an external id. Its settings are rows of
(block, name, value) checked against core/plans/settings.py. The admin manages every
plan; a reseller only its own service and add-on plans; a customer none.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account, Accounts
from panelkey.core.domains.domains import Purger
from panelkey.core.domains.ips import IP_NOT_FOUND, Ips, check_address
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PanelkeyError,
    PermissionDenied,
)
from panelkey.core.identity import AccountType, Identity
from panelkey.core.plans.settings import BLOCKS, PER_DOMAIN_HOSTING, PLAN_BLOCKS
from panelkey.core.refs import Ref, resolve
from panelkey.core.rows import insert
from panelkey.core.text import fits
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

KINDS = ("service", "addon", "reseller")
# Plesk's event object classes.
EVENT_CLASS = {
    "service": "service_plan",
    "addon": "service_plan_addon",
    "reseller": "reseller_plan",
}
NOT_FOUND = {
    "service": "Service plan does not exist",
    "addon": "Add-on plan does not exist",
    "reseller": "Reseller plan does not exist",
}
Settings = Mapping[str, Iterable[tuple[str, str]]]
_REFS = ("id", "name", "guid", "external-id")


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    guid: str
    kind: str
    name: str
    owner_id: int
    owner_login: str
    external_id: str
    created: str


def check_settings(kind: str, given: Settings) -> dict[str, dict[str, str]]:
    """{block: {name: canonical value}} for a plan of `kind`; raises InvalidValue for a
    block the kind does not hold, an unknown name, or a bad value."""
    out: dict[str, dict[str, str]] = {}
    for block_name, pairs in given.items():
        if block_name not in PLAN_BLOCKS[kind]:
            raise InvalidValue(f"A {kind} plan has no {block_name} settings")
        pairs = list(pairs)
        if block_name == "hosting":
            for name, _ in pairs:
                if name in PER_DOMAIN_HOSTING:
                    raise InvalidValue(f"The hosting property {name!r} cannot be set in a plan")
        out[block_name] = BLOCKS[block_name].check(pairs)
    pool = out.get("ip-pool", {})
    if "ip-address" in pool:
        # canonical, each once, in the order given
        addresses = [check_address(a) for a in pool["ip-address"].split()]
        pool["ip-address"] = " ".join(dict.fromkeys(addresses))
    return out


def hosted(values: Mapping[str, Mapping[str, str]]) -> bool:
    """False when the settings say the plan ships no physical hosting (Plesk's
    ``hosting-type`` other than vrt_hst, or ``hosting/none``)."""
    return values.get("plan", {}).get("hosting-type", "vrt_hst") == "vrt_hst"


def _plan_reads() -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """Plans with their owner's login; one by id; a plan's settings (built once per
    process)."""
    p, a, s = tables.plans, tables.accounts, tables.plan_settings
    base = (
        sa.select(p, a.c.login.label("owner_login"))
        .select_from(p.join(a, p.c.owner_id == a.c.id))
        .order_by(p.c.id)
    )
    v: sa.BindParameter[Any] = sa.bindparam("v")
    settings = sa.select(s.c.block, s.c.name, s.c.value).where(s.c.plan_id == v)
    return base, base.where(p.c.id == v), settings


class Plans:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._accounts = accounts
        self._purgers: builtins.list[Purger] = []
        self._ips = Ips(db)
        self._base, by_id, settings = built(Plans, _plan_reads)
        self._names = tuple(str(c.key) for c in by_id.selected_columns)
        self._by_id = db.prepare(by_id)
        self._settings = db.prepare(settings)

    def on_delete(self, purge: Purger) -> None:
        """Run `purge(conn, [plan_id])` inside a plan's delete, before the plan goes: how
        what is kept of a plan elsewhere (its items: core/plans/items.py) goes with it."""
        self._purgers.append(purge)

    # -- reading --------------------------------------------------------------------

    def list(
        self,
        actor: Identity,
        kind: str,
        *,
        owner_id: int | None = None,
        by: tuple[str, str] | None = None,
        where: Any = None,
    ) -> builtins.list[Plan]:
        """Plans of `kind` the actor may see (all for the admin, its own for a reseller,
        none for a customer), oldest first; narrowed to one owner, to the plans `by`
        names (a reference, "id", "name", "guid" or "external-id", and its value: an
        id that is not a number names none) and to a condition of the core's own."""
        p = tables.plans
        q = self._base.where(p.c.kind == kind)
        if not actor.is_admin:
            q = q.where(p.c.owner_id == actor.account_id)
            if actor.type != AccountType.RESELLER.value or kind == "reseller":
                return []
        if owner_id is not None:
            q = q.where(p.c.owner_id == owner_id)
        if by is not None:
            ref, value = by
            columns = {
                "id": p.c.id,
                "name": p.c.name,
                "guid": p.c.guid,
                "external-id": p.c.external_id,
            }
            if ref == "id" and not value.strip().lstrip("+").isdigit():
                return []
            q = q.where(columns[ref] == (int(value) if ref == "id" else value))
        if where is not None:
            q = q.where(where)
        with self._db.read() as conn:
            return [Plan(**dict(r._mapping)) for r in conn.execute(q)]

    def find(self, kind: str, *, vendor_id: int, ref: str, value: str) -> Plan | None:
        """A plan of `vendor_id` by `ref` ("id", "name", "guid", "external-id"), for the
        subscriptions that vendor sells, whoever asks (a customer's subscription uses its
        vendor's plans); None when there is none."""
        where = _where((ref, value))
        if where is None:
            return None
        p = tables.plans
        q = self._base.where(p.c.kind == kind, p.c.owner_id == vendor_id, where)
        with self._db.read() as conn:
            row = conn.execute(q).first()
        return Plan(**dict(row._mapping)) if row is not None else None

    def find_for(
        self, actor: Identity, kind: str, ref: Ref, *, owner_id: int | None = None
    ) -> Plan | None:
        """The plan of `kind` that `ref` names (core/refs.py: by id, name, guid or
        external id) among those the actor may see (`list`), of owner `owner_id` when
        given; else None, as if it did not exist."""
        where = _where(ref)
        if where is None:
            return None
        hits = self.list(actor, kind, owner_id=owner_id, where=where)
        return hits[0] if hits else None

    def by_id(self, plan_id: int) -> Plan | None:
        row = self._by_id.first(v=plan_id)
        return Plan(**dict(zip(self._names, row, strict=True))) if row is not None else None

    def settings(self, plan: Plan, conn: sa.Connection | None = None) -> dict[str, dict[str, str]]:
        """The values the plan sets itself, {block: {name: value}} (defaults left out)."""
        out: dict[str, dict[str, str]] = {}
        for block, name, value in self._settings.all(conn, v=plan.id):
            out.setdefault(block, {})[name] = value
        return out

    def effective(self, plan: Plan) -> dict[str, dict[str, str]]:
        """Every block of the plan's kind, defaults overlaid by what the plan sets."""
        own = self.settings(plan)
        out = {b: BLOCKS[b].effective(own.get(b, {})) for b in PLAN_BLOCKS[plan.kind]}
        if "hosting" in out and not hosted(out):
            out["hosting"] = {}
        elif "hosting" in out:
            out["hosting"] = {
                n: v for n, v in out["hosting"].items() if n not in PER_DOMAIN_HOSTING
            }
        return out

    def subscription_count(self, plan: Plan) -> int:
        sp = tables.subscription_plans
        with self._db.read() as conn:
            q = sa.select(sa.func.count()).select_from(sp).where(sp.c.plan_id == plan.id)
            return int(conn.execute(q).scalar() or 0)

    # -- rights ---------------------------------------------------------------------

    def _owner_for(self, actor: Identity, kind: str, owner: Account | None) -> int:
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()
        if kind == "reseller" and not actor.is_admin:
            raise PermissionDenied()
        if owner is None:
            return actor.account_id
        if owner.type == AccountType.CUSTOMER.value or (
            kind == "reseller" and owner.type != "admin"
        ):
            raise OwnerNotFound(f"Account {owner.login!r} cannot own a plan")
        if not actor.is_admin and owner.id != actor.account_id:
            raise PermissionDenied()
        return owner.id

    def _check_visible(self, actor: Identity, plan: Plan) -> None:
        if not self.list(actor, plan.kind, where=tables.plans.c.id == plan.id):
            raise NotFound(NOT_FOUND[plan.kind])

    # -- writing --------------------------------------------------------------------

    def create(
        self,
        actor: Identity,
        kind: str,
        *,
        name: str,
        owner: Account | None = None,
        external_id: str = "",
        settings: Settings | None = None,
    ) -> Plan:
        """A new plan. Raises PermissionDenied, OwnerNotFound, InvalidValue (name,
        settings), AlreadyExists (the owner has a plan of that kind and name)."""
        if kind not in KINDS:
            raise InvalidValue(f"Invalid plan kind: {kind!r}")
        name = _check_name(name)
        owner_id = self._owner_for(actor, kind, owner)
        values = check_settings(kind, settings or {})
        self._check_pool(values)
        p = tables.plans
        with self._db.begin() as conn:
            clash = conn.execute(
                sa.select(p.c.id).where(
                    p.c.kind == kind, p.c.owner_id == owner_id, p.c.name == name
                )
            ).first()
            if clash is not None:
                raise AlreadyExists(f"Plan with name {name!r} already exists.")
            new_id = insert(
                conn,
                p,
                kind=kind,
                name=name,
                owner_id=owner_id,
                external_id=_check_external_id(external_id),
            )
            self._write_settings(conn, new_id, values)
            events.record(
                conn, EVENT_CLASS[kind], events.CREATE, new_id, name, actor,
                new={"name": name, "owner_id": owner_id, **_flat(values)},
            )  # fmt: skip
            row = conn.execute(self._base.where(p.c.id == new_id)).one()
        return Plan(**dict(row._mapping))

    def update(
        self, actor: Identity, plan: Plan, *, name: str | None = None,
        external_id: str | None = None, settings: Settings | None = None,
    ) -> Plan:  # fmt: skip
        """Rename, re-tag or change settings (only the names given change; an empty
        php-settings value resets that setting). Subscriptions on the plan follow it."""
        self._owner_for(actor, plan.kind, None)
        self._check_visible(actor, plan)
        row: dict[str, Any] = {}
        if name is not None:
            row["name"] = _check_name(name)
        if external_id is not None:
            row["external_id"] = _check_external_id(external_id)
        values = check_settings(plan.kind, settings or {})
        self._check_pool(values)
        p = tables.plans
        with self._db.begin() as conn:
            old = self.settings(plan, conn)
            if "name" in row and row["name"] != plan.name:
                clash = conn.execute(
                    sa.select(p.c.id).where(
                        p.c.kind == plan.kind,
                        p.c.owner_id == plan.owner_id,
                        p.c.name == row["name"],
                        p.c.id != plan.id,
                    )
                ).first()
                if clash is not None:
                    raise AlreadyExists(f"Plan with name {row['name']!r} already exists.")
            if row:
                conn.execute(p.update().where(p.c.id == plan.id).values(**row))
            self._write_settings(conn, plan.id, values)
            events.record(
                conn, EVENT_CLASS[plan.kind], events.UPDATE, plan.id, row.get("name", plan.name),
                actor,
                old={"name": plan.name, **_flat(old)}, new={**row, **_flat(values)},
            )  # fmt: skip
            out = conn.execute(self._base.where(p.c.id == plan.id)).one()
        return Plan(**dict(out._mapping))

    def delete(self, actor: Identity, plan: Plan) -> None:
        """Raises NotFound, PermissionDenied, PanelkeyError when subscriptions use it."""
        self._owner_for(actor, plan.kind, None)
        self._check_visible(actor, plan)
        if self.subscription_count(plan):
            raise PanelkeyError(f"The plan {plan.name!r} cannot be removed: it has subscriptions")
        with self._db.begin() as conn:
            for purge in self._purgers:
                purge(conn, [plan.id])
            conn.execute(tables.plans.delete().where(tables.plans.c.id == plan.id))
            events.record(
                conn, EVENT_CLASS[plan.kind], events.DELETE, plan.id, plan.name, actor,
                old={"name": plan.name, "owner_id": plan.owner_id},
            )  # fmt: skip

    def _check_pool(self, values: Mapping[str, Mapping[str, str]]) -> None:
        """Every shared address of a reseller plan's IP pool is in the server's pool."""
        for address in values.get("ip-pool", {}).get("ip-address", "").split():
            if self._ips.get(address) is None:
                raise NotFound(IP_NOT_FOUND)

    @staticmethod
    def _write_settings(
        conn: sa.Connection, plan_id: int, values: dict[str, dict[str, str]]
    ) -> None:
        s = tables.plan_settings
        if not hosted(values):
            # Plesk's hosting/none: the plan's hosting settings are deleted
            conn.execute(s.delete().where(s.c.plan_id == plan_id, s.c.block == "hosting"))
            values = {b: v for b, v in values.items() if b != "hosting"}
        rows: list[dict[str, Any]] = []
        for block, pairs in values.items():
            if not pairs:
                continue
            # one statement per block, not per setting: a stock plan holds a hundred
            names = list(pairs)
            conn.execute(
                s.delete().where(s.c.plan_id == plan_id, s.c.block == block, s.c.name.in_(names))
            )
            rows += [
                {"plan_id": plan_id, "block": block, "name": n, "value": v}
                for n, v in pairs.items()
                if not (block == "php-settings" and v == "")
            ]
        if rows:
            conn.execute(s.insert(), rows)


def _where(ref: Ref) -> Any:
    """The condition of a plan reference, None when it names none (core/refs.py)."""
    found = resolve(ref, _REFS)
    if found is None:
        return None
    p, (by, value) = tables.plans, found
    column = {"id": p.c.id, "name": p.c.name, "guid": p.c.guid, "external-id": p.c.external_id}
    return column[by] == value


def _check_name(name: str) -> str:
    if not fits(name) or not name.strip() or "\x00" in name:
        raise InvalidValue("Invalid plan name")
    return name.strip()


def _check_external_id(value: str) -> str:
    if not fits(value) or "\x00" in value:
        raise InvalidValue("Invalid external id")
    return value


def _flat(values: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    return {f"{b}.{n}": v for b, pairs in values.items() for n, v in pairs.items()}
