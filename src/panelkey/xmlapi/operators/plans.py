"""Operators ``service-plan``, ``service-plan-addon``, ``reseller-plan``: add, get, set, del.

One module for the three: they differ only in the plan kind and the settings
blocks they carry (core/plans/settings.py ``PLAN_BLOCKS``). The admin reaches every plan
(``owner-id``/``owner-login`` narrow to one owner, ``owner-all`` reaches all; none
means the admin's own); a reseller its own service and add-on plans; a customer
none (1006). A plan out of reach answers 1013, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from lxml import etree

from panelkey.core.aps.filters import CHANGES, plan_owner
from panelkey.core.errors import MalformedRequest, NotFound, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.plans.copies import duplicate
from panelkey.core.plans.plans import NOT_FOUND, Plan, hosted
from panelkey.core.plans.settings import PLAN_BLOCKS
from panelkey.xmlapi import blocks, descriptors, reach, render
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.select import Filter, Lookup, text

# XML element -> core block, per kind, in Plesk's element order. The service plan's
# `plan` block (its hosting type) has no element of its own: see _settings.
TAGS: dict[str, dict[str, str]] = {
    "service": {b: b for b in PLAN_BLOCKS["service"] if b != "plan"},
    "addon": {b: b for b in PLAN_BLOCKS["addon"]},
    "reseller": {
        "limits": "reseller-limits",
        "permissions": "reseller-permissions",
        "ip-pool": "ip-pool",
    },
}
# What reseller-plan/get answers when it names no part.
_RESELLER_DEFAULT_PARTS = {"limits", "permissions"}
# Elements the schema takes in any order after permissions: each at most once.
_ONCE = ("external-id", "name", "php-settings", "web-server-settings", "hosting-type")


def _settings(op: etree._Element, kind: str) -> dict[str, list[tuple[str, str]]]:
    """The blocks a request sets, with the plan's hosting type when it says one:
    ``hosting-type``, ``hosting/none`` (no hosting) or ``hosting`` with properties."""
    for tag in _ONCE:
        if len(op.findall(tag)) > 1:
            raise MalformedRequest(f"Element '{tag}' is given more than once")
    given = blocks.read_all(op, TAGS[kind])
    if kind != "service":
        return given
    hosting = op.find("hosting")
    kind_of_hosting = render.text_of(op, "hosting-type")
    if hosting is not None and hosting.find("none") is not None:
        kind_of_hosting = "none"
        given.pop("hosting", None)
    elif hosting is not None and len(hosting):
        kind_of_hosting = "vrt_hst"
    if kind_of_hosting is not None:
        given["plan"] = [("hosting-type", kind_of_hosting.strip())]
    return given


def _scope(req: Request, op: etree._Element) -> int | None:
    """The owner id plans are looked for under: the one named, all (None) for
    ``owner-all``, else the caller itself."""
    if op.find("owner-all") is not None:
        return None
    owner = reach.owner_of(req, op, ("id", "login"))
    return owner.id if owner is not None else req.identity.account_id


def _filter(req: Request, op: etree._Element, kind: str) -> Filter[Plan]:
    """The filter of plans of `kind`: by ``id``, ``name``, ``guid`` or ``external-id``,
    under the owner `_scope` says (a name may name one plan of each owner). Raises
    PermissionDenied for a caller who manages no plans of `kind`."""
    if req.identity.type == AccountType.CUSTOMER.value or (
        kind == "reseller" and not req.identity.is_admin
    ):
        raise PermissionDenied()
    owner_id = None if kind == "reseller" else _scope(req, op)
    plans = req.ctx.panel.plans

    def by(field: str) -> Lookup[Plan]:
        def lookup(req: Request, item: etree._Element) -> list[Plan] | None:
            found = plans.list(req.identity, kind, owner_id=owner_id, by=(field, text(item)))
            return found or None

        return lookup

    refs = ("id", "name", "guid", "external-id")
    return Filter(
        NOT_FOUND[kind],
        {ref: by(ref) for ref in refs},
        lambda req: plans.list(req.identity, kind, owner_id=owner_id),
        echo_id=False,
    )


def _fields(
    plan: Plan, values: dict[str, dict[str, str]], kind: str, wanted: set[str] | None = None
) -> list[render.Field]:
    """The plan's answer after its id; `wanted` narrows the blocks (None: every one)."""
    head: list[render.Field] = [
        ("guid", plan.guid),
        ("external-id", plan.external_id),
        ("name", plan.name),
    ]
    body: list[render.Field] = []
    for tag, block in TAGS[kind].items():
        if wanted is not None and tag not in wanted:
            continue
        if block == "hosting" and not hosted(values):
            # a plan with no physical hosting answers Plesk's hosting/<type>
            kind_of_hosting = values["plan"]["hosting-type"]
            body.append((tag, render.element(tag, [(kind_of_hosting, "")])))
            continue
        body.append((tag, blocks.render_block(tag, block, values[block])))
    if wanted is not None and "packages" in wanted:
        # application packages: panelkey installs none, so the list is empty
        body.append(("packages", render.element("packages")))
    return head + body


def _add(kind: str) -> Handler:
    def add(req: Request, op: etree._Element) -> list[etree._Element]:
        plan = req.ctx.panel.plans.create(
            req.identity,
            kind,
            name=render.text_of(op, "name") or "",
            owner=reach.owner_of(req, op, ("id", "login")) if kind != "reseller" else None,
            external_id=render.text_of(op, "external-id") or "",
            settings=_settings(op, kind),
        )
        return [render.created(plan)]

    return add


def _each(kind: str, act: Callable[[Request, etree._Element, Plan], list[render.Field]]) -> Handler:
    """A handler answering one result per plan the filter names (1013 for a miss)."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        return _filter(req, op, kind).change(req, op, answer=partial(act, req, op))

    return handler


def _get(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
    # reseller-plan/get may name the parts it wants after the filter
    wanted: set[str] | None = None
    if plan.kind == "reseller":
        named = {str(c.tag) for c in render.children(op) if c.tag != "filter"}
        wanted = named or _RESELLER_DEFAULT_PARTS
    return _fields(plan, req.ctx.panel.plans.effective(plan), plan.kind, wanted)


def _set(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
    updated = req.ctx.panel.plans.update(
        req.identity,
        plan,
        name=render.text_of(op, "name"),
        external_id=render.text_of(op, "external-id"),
        settings=_settings(op, plan.kind),
    )
    return [("guid", updated.guid)]


def _del(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
    req.ctx.panel.plans.delete(req.identity, plan)
    return []


def _operations(kind: str) -> Operator:
    return {
        "add": _add(kind),
        "get": _each(kind, _get),
        "set": _each(kind, _set),
        "del": _each(kind, _del),
    }


SERVICE_PLAN: Operator = _operations("service")
SERVICE_PLAN_ADDON: Operator = _operations("addon")
RESELLER_PLAN: Operator = _operations("reseller")


# -- app filters (core/aps/filters.py): add-package, remove-package, enable-aps-filter,
# disable-aps-filter; answered filter-id and id per plan, as Plesk's resultFilterType.


def _aps(change: str) -> Callable[[Request, etree._Element, Plan], list[render.Field]]:
    def act(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
        filters = req.ctx.panel.aps_filters
        filters.check_plan(req.identity, plan)
        filters.change(change, plan_owner(plan), req.identity, blocks.pairs(op, "package"))
        return [("id", plan.id)]

    return act


for _kind, _operator in (("service", SERVICE_PLAN), ("reseller", RESELLER_PLAN)):
    _operator.update({change: _each(_kind, _aps(change)) for change in CHANGES})
SERVICE_PLAN_ADDON.update({change: _each("addon", _aps(change)) for change in CHANGES[:2]})


# -- descriptors, plan items, copies -----------------------------------------------------


def _planner(kind: str) -> Callable[[Request], None]:
    """Who may ask a plan operator anything: the admin; a reseller, but not of
    reseller plans; never a customer (1006)."""

    def guard(req: Request) -> None:
        if req.identity.type == AccountType.CUSTOMER.value or (
            kind == "reseller" and not req.identity.is_admin
        ):
            raise PermissionDenied()

    return guard


def _descriptors(kind: str, **wanted: str) -> Operator:
    """``get-<what>-descriptor`` for each block named: what -> block."""
    return {
        f"get-{what.replace('_', '-')}-descriptor": descriptors.handler(
            block, lambda act: _each(kind, act), _planner(kind)
        )
        for what, block in wanted.items()
    }


def _plan_item(remove: bool) -> Callable[[Request, etree._Element, Plan], list[render.Field]]:
    def act(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
        items = req.ctx.panel.plan_items
        name = render.text_of(op, "plan-item/name") or ""
        (items.remove if remove else items.add)(req.identity, plan, name)
        return []

    return act


def _duplicate(req: Request, op: etree._Element, plan: Plan) -> list[render.Field]:
    panel = req.ctx.panel
    name = render.text_of(op, "duplicate-name") or ""
    copy = duplicate(panel.plans, panel.plan_items, panel.accounts, req.identity, plan, name)
    return [("id", copy.id), ("guid", copy.guid)]


def _duplicating(kind: str) -> Handler:
    """``duplicate`` per plan the filter names: ``filter-id``, then the copy's ``id`` and
    ``guid`` (not the source's id, which every other per-plan answer starts with)."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        plans = _filter(req, op, kind)
        return [
            plans.miss(hit)
            if hit.obj is None
            else render.outcome(
                partial(_duplicate, req, op, hit.obj), [("filter-id", hit.filter_id)]
            )
            for hit in plans.select(req, op.find("filter"))
            if hit.obj is not None or hit.missing is not None
        ] or [render.ok()]

    return handler


def _duplicate_reseller_plan(req: Request, op: etree._Element) -> list[etree._Element]:
    """reseller-plan/duplicate names its plan by ``name`` (no filter)."""
    _planner("reseller")(req)
    name = (render.text_of(op, "name") or "").strip()
    found = req.ctx.panel.plans.find_for(req.identity, "reseller", ("name", name))
    if found is None:
        raise NotFound(NOT_FOUND["reseller"])
    return [render.ok(_duplicate(req, op, found))]


SERVICE_PLAN.update(
    {
        "add-plan-item": _each("service", _plan_item(remove=False)),
        "remove-plan-item": _each("service", _plan_item(remove=True)),
        "duplicate": _duplicating("service"),
        **_descriptors(
            "service", limit="limits", permission="permissions", physical_hosting="hosting"
        ),
    }
)
SERVICE_PLAN_ADDON.update(
    {
        "duplicate": _duplicating("addon"),
        **_descriptors(
            "addon", limit="limits", permission="permissions", physical_hosting="hosting"
        ),
    }
)
RESELLER_PLAN.update(
    {
        "duplicate": _duplicate_reseller_plan,
        **_descriptors("reseller", limit="reseller-limits", permission="reseller-permissions"),
    }
)
