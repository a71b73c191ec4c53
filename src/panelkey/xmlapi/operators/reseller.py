"""Operator ``reseller``: accounts that own customers, plans and a share of the IP pool.

``add``, ``get`` (datasets ``gen-info``, ``stat``, ``permissions``, ``limits``,
``ippool``), ``set``, ``del``, ``get-domain-list``, ``convert-to-customer``,
``ippool-add-ip``, ``ippool-del-ip``, ``ippool-set-ip``, ``switch-subscription``.
The admin reaches every reseller, a reseller itself (read only), a customer none:
a reseller out of reach answers 1013 as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.accounts.resellers import LIMITS_BLOCK, PERMISSIONS_BLOCK, check, to_customer
from panelkey.core.aps.filters import CHANGES, account_owner
from panelkey.core.domains import statistics
from panelkey.core.domains.ips import IP_NOT_FOUND
from panelkey.core.errors import NotFound, PermissionDenied
from panelkey.core.plans.plans import Plan
from panelkey.xmlapi import accounts, blocks, descriptors, reach, render
from panelkey.xmlapi.reach import RESELLER, RESELLER_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import values
from panelkey.xmlapi.values import boolean

FILTER = accounts.RESELLERS


def _admin_only(req: Request) -> None:
    if not req.identity.is_admin:
        raise PermissionDenied("Permission denied.")


# -- add, set, del -------------------------------------------------------------------


def _settings(
    parent: etree._Element | None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (limits, permissions) pairs under `parent` (an add, or a set's ``values``)."""
    if parent is None:
        return [], []
    limits_el, perms_el = parent.find("limits"), parent.find("permissions")
    limits = [] if limits_el is None else blocks.read(limits_el, LIMITS_BLOCK)
    perms = [] if perms_el is None else blocks.read(perms_el, PERMISSIONS_BLOCK)
    return limits, perms


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    values = accounts.values_of(op.find("gen-info"))
    limits, perms = _settings(op)
    panel = req.ctx.panel
    _admin_only(req)
    check(limits, perms)
    plan = _plan_of(req, op)
    login, password = values.pop("login", ""), values.pop("password", "")
    made = panel.accounts.create(
        req.identity, type=RESELLER, login=login, password=password, **values
    )
    panel.resellers.put(req.identity, made, limits=limits, permissions=perms, plan=plan)
    return [render.created(made)]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values_el = op.find("values")
    values = accounts.values_of(None if values_el is None else values_el.find("gen-info"))
    limits, perms = _settings(values_el)
    panel = req.ctx.panel

    def act(a: Account) -> None:
        _admin_only(req)
        check(limits, perms)
        updated = panel.accounts.update(req.identity, a, values)
        panel.resellers.put(req.identity, updated, limits=limits, permissions=perms)

    return FILTER.change(req, op, act)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    def act(a: Account) -> None:
        _admin_only(req)
        req.ctx.panel.accounts.delete(req.identity, a)

    return FILTER.change(req, op, act)


# -- get -------------------------------------------------------------------------------


def _gen_info(a: Account, power_user: bool) -> etree._Element:
    return render.element(
        "gen-info",
        [
            *accounts.contact_fields(a, created="cr-date"),
            ("external-id", a.external_id),
            ("description", a.description),
            ("power-user", boolean(power_user)),
        ],
    )


def _subscriptions(req: Request, a: Account) -> etree._Element:
    """Plesk's SubscriptionsList: the reseller's subscription to its reseller plan
    (none when it is on no plan)."""
    held = req.ctx.panel.resellers.subscription(a)
    if held is None:
        return render.element("subscriptions")
    plan, locked = held
    plans: list[render.Field] = [("plan-guid", plan.guid)]
    if plan.external_id:
        plans.append(("plan-external-id", plan.external_id))
    sub = render.element(
        "subscription",
        [
            ("locked", boolean(locked)),
            ("synchronized", boolean(not locked)),
            ("plan", render.element("plan", plans)),
        ],
    )
    return render.element("subscriptions", [("subscription", sub)])


def _stat(req: Request, a: Account) -> etree._Element:
    panel = req.ctx.panel
    customers = panel.accounts.reachable(req.identity, owner_id=a.id)
    owners = {a.id, *(c.id for c in customers)}
    domains = [d for d in panel.domains.list(req.identity) if d.owner_id in owners]
    held = statistics.contents(panel.db, (d.id for d in domains))
    return render.element(
        "stat",
        [
            # every element of Plesk's ResellerStatType, in its order
            ("active-clients", sum(1 for c in customers if c.active)),
            ("active-domains", sum(1 for d in domains if d.is_webspace and d.status == "active")),
            ("clients", len(customers)),
            ("domains", sum(1 for d in domains if d.is_webspace)),
            ("subdomains", held.subdomains),
            ("domain-aliases", held.aliases),
            ("disk-space", 0),
            ("web-users", 0),
            ("data-bases", held.databases),
            ("postboxs", held.mailboxes),
            ("mbox-quota", 0),
            ("redirects", held.redirects),
            ("mail-groups", 0),
            ("mail-resps", 0),
            ("mail-lists", 0),
            ("webapps", 0),
            ("mssql-data-bases", 0),
            ("traffic", 0),
            ("traffic-prevday", 0),
        ],
    )


def _data(req: Request, a: Account, wanted: set[str]) -> list[render.Field]:
    panel = req.ctx.panel
    parts: list[render.Field] = []
    if "gen-info" in wanted:
        parts.append(("gen-info", _gen_info(a, panel.accounts.power_user(a))))
    if "stat" in wanted:
        parts.append(("stat", _stat(req, a)))
    if {"permissions", "limits"} & wanted:
        limits, perms = panel.resellers.effective(a)
        if "permissions" in wanted:
            parts.append(
                ("permissions", blocks.render_block("permissions", PERMISSIONS_BLOCK, perms))
            )
        if "limits" in wanted:
            parts.append(("limits", blocks.render_block("limits", LIMITS_BLOCK, limits)))
    if "ippool" in wanted:
        ips = [
            ("ip", render.element("ip", [("ip-address", e.ip.address), ("ip-type", e.type)]))
            for e in panel.ips.pool(a.id)
        ]
        parts.append(("ippool", render.element("ippool", ips)))
    if "subscriptions" in wanted:
        parts.append(("subscriptions", _subscriptions(req, a)))
    return [("data", render.element("data", parts))]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    wanted = render.dataset(op)
    return FILTER.change(req, op, answer=lambda a: _data(req, a, wanted))


# -- the rest ---------------------------------------------------------------------------


def convert_to_customer(req: Request, op: etree._Element) -> list[etree._Element]:
    """With ``plan-name`` the new customer's subscriptions go onto that service plan of
    the admin (its new owner); an unknown plan is 1013 and nothing is converted."""
    plan_name = render.text_of(op, "plan-name")
    convert = partial(to_customer, req.ctx.panel, req.identity)
    return FILTER.change(req, op, lambda a: convert(a, plan_name))


def _pool_reseller(req: Request, op: etree._Element) -> Account | None:
    """The reseller a pool operation names by ``reseller-id`` or ``external-id``; None
    for one out of reach."""
    kind = "id" if op.find("reseller-id") is not None else "external-id"
    ref = render.text_of(op, "reseller-id" if kind == "id" else "external-id") or ""
    return reach.account(kind, RESELLER)(req, ref.strip())


PoolAct = Callable[[Account, str, "str | None"], None]


def _per_address(
    req: Request, op: etree._Element, pairs: list[tuple[str, str | None]], act: PoolAct
) -> list[etree._Element]:
    """One result per address (Plesk's answer: ``status`` then ``ip-address``); a
    reseller out of reach is one error result naming what was asked."""
    reseller = _pool_reseller(req, op)
    if reseller is None:
        asked = render.text_of(op, "reseller-id")
        fields = [] if asked is None else [("reseller-id", asked)]
        return [render.error(NotFound(RESELLER_NOT_FOUND), fields)]
    return [
        render.outcome(partial(act, reseller, address, kind), [("ip-address", address)])
        for address, kind in pairs
    ]


def ippool_add_ip(req: Request, op: etree._Element) -> list[etree._Element]:
    ips = req.ctx.panel.ips
    pairs = [
        ((ip.findtext("ip-address") or "").strip(), ip.findtext("ip-type"))
        for ip in op.findall("ip")
    ]

    def act(reseller: Account, address: str, kind: str | None) -> None:
        ips.pool_put(req.identity, reseller, address, kind.strip() if kind is not None else None)

    return _per_address(req, op, pairs, act)


def ippool_set_ip(req: Request, op: etree._Element) -> list[etree._Element]:
    ips = req.ctx.panel.ips
    kind = (op.findtext("values/ip-type") or "").strip()

    def act(reseller: Account, address: str, _kind: str | None) -> None:
        # a change of type of an address the reseller holds, never an addition
        if all(e.ip.address != address for e in ips.pool(reseller.id)):
            raise NotFound(IP_NOT_FOUND)
        ips.pool_put(req.identity, reseller, address, kind)

    pairs: list[tuple[str, str | None]] = [
        (address, kind) for address in values(op.find("filter"), "ip-address")
    ]
    return _per_address(req, op, pairs, act)


def ippool_del_ip(req: Request, op: etree._Element) -> list[etree._Element]:
    ips = req.ctx.panel.ips
    pairs: list[tuple[str, str | None]] = [
        ((e.text or "").strip(), None) for e in op.findall("ip-address")
    ]

    def act(reseller: Account, address: str, _kind: str | None) -> None:
        ips.pool_remove(req.identity, reseller, address)

    return _per_address(req, op, pairs, act)


def _plan_of(req: Request, op: etree._Element) -> Plan | None:
    """The reseller plan named by ``plan-id``/``-name``/``-guid``/``-external-id``, if any.
    Raises NotFound ("Reseller plan does not exist")."""
    for tag in ("plan-id", "plan-name", "plan-guid", "plan-external-id"):
        text = render.text_of(op, tag)
        if text is not None:
            return req.ctx.panel.resellers.find_plan(tag.removeprefix("plan-"), text)
    return None


def switch_subscription(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel

    def act(a: Account) -> None:
        _admin_only(req)
        if op.find("no-plan") is not None:
            panel.resellers.unplan(req.identity, a)
        else:
            panel.resellers.put(req.identity, a, plan=_plan_of(req, op))

    return FILTER.change(req, op, act)


OPERATIONS: Operator = {
    **accounts.operations(FILTER, add=add, get=get, set_=set_, del_=del_),
    "convert-to-customer": convert_to_customer,
    "ippool-add-ip": ippool_add_ip,
    "ippool-del-ip": ippool_del_ip,
    "ippool-set-ip": ippool_set_ip,
    "switch-subscription": switch_subscription,
}


# -- the reseller's app filter (core/aps/filters.py) -------------------------------------


def _aps(change: str) -> Callable[[Request, etree._Element], list[etree._Element]]:
    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        filters = req.ctx.panel.aps_filters
        items = blocks.pairs(op, "package")

        def act(a: Account) -> None:
            filters.check_reseller(req.identity)
            filters.change(change, account_owner(a), req.identity, items)

        return FILTER.change(req, op, act)

    return handler


OPERATIONS.update({change: _aps(change) for change in CHANGES})


# -- descriptors of the reseller's limits and permissions (admin only) -----------------


def _each_reseller(
    act: Callable[[Request, etree._Element, Account], list[render.Field]],
) -> Callable[[Request, etree._Element], list[etree._Element]]:
    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        return FILTER.change(req, op, answer=partial(act, req, op))

    return handler


OPERATIONS.update(
    {
        f"get-{what}-descriptor": descriptors.handler(block, _each_reseller, _admin_only)
        for what, block in (("limit", LIMITS_BLOCK), ("permission", PERMISSIONS_BLOCK))
    }
)
