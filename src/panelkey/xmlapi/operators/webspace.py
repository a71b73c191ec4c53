"""Operator ``webspace``: subscriptions, their plans and their settings blocks.

A webspace is a domain with ``base_domain_id`` 0 (see domain_answers.py, which holds
what the two operators share). As in Plesk, only the admin and resellers create,
delete and re-plan webspaces; a customer gets 1006, and may only change the
``hosting``, ``prefs`` and ``php-settings`` of its own webspaces, as far as its
permissions (``manage_phosting``, ``manage_php_settings``) allow. Deleting a
webspace deletes its sites and every zone with them, one result per domain.

Settings: the subscription's effective values are the defaults, its plan's, its
add-ons', then its own (core/plans/subscriptions.py); ``get`` answers those.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.aps.filters import CHANGES, domain_owner
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.core.plans.plans import Plan
from panelkey.core.plans.subscriptions import CUSTOMER_BLOCKS, check
from panelkey.xmlapi import blocks, descriptors, reach, render, traffic
from panelkey.xmlapi.domain_answers import del_domains, each_domain, get_domains
from panelkey.xmlapi.domain_forms import (
    check_ip,
    ftp_login_in,
    hosting_form,
    new_subscription,
    properties_in,
    setup_in,
)
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.values import boolean, flag_of, ip_in, status_in

_OWNER_TAGS = ("owner-id", "owner-login", "owner-guid", "owner-external-id")
_PLAN_REFS = {
    "plan-id": "id",
    "plan-name": "name",
    "plan-guid": "guid",
    "plan-external-id": "external-id",
}
_BLOCK_TAGS = {
    t: t for t in ("limits", "prefs", "performance", "permissions", "php-settings", "mail")
}
# gen_setup texts a subscription keeps only to answer back in gen_info
_NOTES = ("external-id", "admin-description", "reseller-description")
_MAX_NOTE = 4096


def _blocks_in(parent: etree._Element) -> dict[str, list[tuple[str, str]]]:
    """The settings blocks of an ``add`` or ``set/values``, as core block -> pairs."""
    given = blocks.read_all(parent, _BLOCK_TAGS)
    hosting = parent.find("hosting")
    if hosting is not None:
        props, _ips = properties_in(hosting)
        given["hosting"] = list(props.items())
    return given


def _notes(gen: etree._Element | None) -> dict[str, str]:
    """``external-id`` and the admin's and reseller's descriptions, as given (the
    last of each, as Plesk's repeated gen_setup choice keeps)."""
    if gen is None:
        return {}
    notes = {str(e.tag): (e.text or "").strip() for e in gen if e.tag in _NOTES}
    for tag, text in notes.items():
        if len(text) > _MAX_NOTE:
            raise InvalidValue(f"The {tag} is longer than {_MAX_NOTE} characters")
    vendor = flag_of(gen.find("admin-as-vendor"))
    if vendor is not None:
        notes["admin-as-vendor"] = boolean(vendor)
    return notes


def _vendor(req: Request, d: Domain) -> Account:
    """Whose plans the subscription takes: its owner's vendor, or the admin when the
    subscription says ``admin-as-vendor``."""
    panel = req.ctx.panel
    owner = panel.accounts.get(d.owner_id)
    assert owner is not None
    if panel.domains.props_of(d.id).get("admin-as-vendor") == "true":
        admin = panel.accounts.admin()
        assert admin is not None
        return admin
    return owner


def _plan(req: Request, parent: etree._Element, owner: Account, kind: str) -> Plan | None:
    for tag, ref in _PLAN_REFS.items():
        value = render.text_of(parent, tag)
        if value is not None:
            return req.ctx.panel.subscriptions.find_plan(owner, kind, ref, value)
    return None


def _add_webspace(req: Request, op: etree._Element) -> Domain:
    """``gen_setup``, the settings blocks, then the plan (by id, name, guid or external id)."""
    gen, owner, vendor = new_subscription(req, op, reach.owner_of)
    panel = req.ctx.panel
    checked = check(_blocks_in(op))
    plan = _plan(req, op, vendor, "service")
    form = hosting_form(op.find("hosting"), render.text_of(gen, "htype"))
    _props, hosting_ips = properties_in(op.find("hosting"))
    address = ip_in([ip.text or "" for ip in gen.findall("ip_address")] + hosting_ips)
    panel.subscriptions.check_ip(vendor, address)
    return panel.domains.create(
        req.identity,
        **setup_in(gen, checked.domain.get("www_root")),
        owner=owner,
        hosting_type=form.hosting_type or "virtual",
        ip_address=address,
        ftp_login=ftp_login_in(checked.domain),
        within=panel.subscriptions.writer(
            checked, main=plan, actor=req.identity, props={**form.props, **_notes(gen)}
        ),
    )


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    return [render.created(_add_webspace(req, op))]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return get_domains(req, op, webspace=True)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    return del_domains(req, op, webspace=True)


# -- per-webspace operations -----------------------------------------------------------

Act = Callable[[Request, etree._Element, Domain], list[render.Field]]


def each(act: Act) -> Handler:
    """One result per webspace the filter names: status, filter-id, id, what `act`
    adds; a miss is 1013 ``Webspace does not exist``, a core error that object's."""
    return each_domain(act, webspaces=True)


def _set(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
    panel = req.ctx.panel
    values = op.find("values")
    assert values is not None  # the schema requires it
    given = _blocks_in(values)
    gen = values.find("gen_setup")
    if req.identity.type == AccountType.CUSTOMER.value:
        if gen is not None or set(given) - set(CUSTOMER_BLOCKS):
            raise PermissionDenied()
        perms = panel.subscriptions.effective(d)["permissions"]
        if any(need and perms.get(need) != "true" for b in given for need in [CUSTOMER_BLOCKS[b]]):
            raise PermissionDenied()
    checked = check(given)
    change: dict[str, object] = {}
    htype = None if gen is None else render.text_of(gen, "htype")
    form = hosting_form(values.find("hosting"), htype)
    if gen is not None:
        if any(gen.find(tag) is not None for tag in _OWNER_TAGS):
            raise InvalidValue("The owner of a subscription is changed with customer/change-owner")
        status = render.text_of(gen, "status")
        change = {
            "name": render.text_of(gen, "name"),
            "status": status_in(status) if status is not None else None,
            "ip_address": ip_in([ip.text or "" for ip in gen.findall("ip_address")]) or None,
            "description": render.text_of(gen, "description"),
            "guid": render.text_of(gen, "guid"),
        }
    change["hosting_type"] = form.hosting_type
    _props, hosting_ips = properties_in(values.find("hosting"))
    if hosting_ips:
        change["ip_address"] = ip_in(hosting_ips)
    check_ip(req, d, str(change.get("ip_address") or ""))
    if "ftp_login" in checked.domain:
        change["ftp_login"] = ftp_login_in(checked.domain)
    if "www_root" in checked.domain:
        change["www_root"] = checked.domain["www_root"]
    # values/disk_usage asks Plesk to count the disk use again: panelkey counts on
    # every read (the disk_usage dataset), so there is nothing to do.
    kept = {**form.props, **_notes(gen)}
    within = panel.subscriptions.writer(checked, actor=req.identity, props=kept)
    panel.domains.update(req.identity, d, change, within=within)
    return []


def _switch(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
    panel = req.ctx.panel
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    plan = None if op.find("no-plan") is not None else _plan(req, op, _vendor(req, d), "service")
    panel.subscriptions.switch(req.identity, d, plan)
    return []


def _addon(remove: bool) -> Act:
    def act(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
        panel = req.ctx.panel
        if req.identity.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()
        plan = _plan(req, op, _vendor(req, d), "addon")
        assert plan is not None  # the schema requires a plan reference
        if remove:
            panel.subscriptions.remove_addon(req.identity, d, plan)
        else:
            panel.subscriptions.add_addon(req.identity, d, plan)
        return []

    act.__name__ = "remove_subscription" if remove else "add_subscription"
    return act


def _descriptor(block: str) -> Handler:
    """Server-level for an empty filter (one result), else one per webspace."""
    return descriptors.handler(block, each)


OPERATIONS: Operator = {
    "add": add,
    "get": get,
    "set": each(_set),
    "del": del_,
    "switch-subscription": each(_switch),
    "add-subscription": each(_addon(remove=False)),
    "remove-subscription": each(_addon(remove=True)),
    "get-limit-descriptor": _descriptor("limits"),
    "get-permission-descriptor": _descriptor("permissions"),
    "get-physical-hosting-descriptor": _descriptor("hosting"),
    "get_traffic": each(traffic.days),
    "set_traffic": traffic.setter(reach.WEBSPACE_NOT_FOUND, webspace=True),
}


# -- the subscription's own app filter (core/aps/filters.py) ----------------------------


def _aps(change: str) -> Act:
    def act(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
        filters = req.ctx.panel.aps_filters
        filters.check_webspace(req.identity)
        filters.change(change, domain_owner(d), req.identity, blocks.pairs(op, "package"))
        return []

    act.__name__ = change.replace("-", "_")
    return act


OPERATIONS.update({change: each(_aps(change)) for change in CHANGES})


# -- additional services (core/plans/items.py) ---------------------------------------------


def _plan_item(remove: bool) -> Act:
    def act(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
        items = req.ctx.panel.plan_items
        name = render.text_of(op, "plan-item/name") or ""
        (items.remove if remove else items.add)(req.identity, d, name)
        return []

    act.__name__ = "remove_plan_item" if remove else "add_plan_item"
    return act


OPERATIONS.update(
    {"add-plan-item": each(_plan_item(False)), "remove-plan-item": each(_plan_item(True))}
)
