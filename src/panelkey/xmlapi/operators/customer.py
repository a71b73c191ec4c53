"""Operator ``customer``: ``add``, ``get``, ``set``, ``del``, ``get-domain-list``,
``convert-to-reseller``, ``change-owner``.

The admin reaches every customer, a reseller its own customers, a customer only
itself (``get`` and ``set``). A customer the caller may not reach answers 1013, as
if it did not exist.
"""

from __future__ import annotations

from functools import partial

from lxml import etree

from panelkey.core.accounts import resellers
from panelkey.core.accounts.accounts import Account
from panelkey.core.errors import OwnerNotFound
from panelkey.xmlapi import accounts, reach, render
from panelkey.xmlapi.reach import CUSTOMER
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, under


def _owned(req: Request, owner: Account) -> list[Account]:
    return reach.accounts_of_type(req, CUSTOMER, owner.id)


FILTER: Filter[Account] = Filter(
    reach.CLIENT_NOT_FOUND,
    {
        **{k: one(reach.account(k, CUSTOMER)) for k in ("id", "login", "guid", "external-id")},
        "owner-id": under(reach.account("id"), _owned),
        "owner-login": under(reach.account("login"), _owned),
    },
    lambda req: reach.accounts_of_type(req, CUSTOMER),
)


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    gen_info = op.find("gen_info")
    values = accounts.values_of(gen_info)
    # unscoped: who may give a customer an owner is the core's to say (1006, not 1015)
    owner = reach.owner_of(req, gen_info, ("id", "login", "external-id"), managed=False)
    login = values.pop("login", "")
    password = values.pop("password", "")
    account = req.ctx.panel.accounts.create(
        req.identity, type=CUSTOMER, login=login, password=password, owner=owner, **values
    )
    return [render.created(account)]


def _gen_info(a: Account) -> render.Tree:
    return [
        *accounts.contact_fields(a),
        ("owner-id", a.owner_id),
        ("owner-login", a.owner_login),
        ("external-id", a.external_id),
        ("description", a.description),
    ]


def get(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    datasets: accounts.Datasets = {"gen_info": _gen_info, "stat": partial(accounts.stat, req)}
    return accounts.get(req, op, FILTER, datasets)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    return accounts.set_gen_info(req, op, FILTER)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.change(req, op, partial(req.ctx.panel.accounts.delete, req.identity))


def convert_to_reseller(req: Request, op: etree._Element) -> list[etree._Element]:
    """With ``reseller-plan-name`` the new reseller goes onto that reseller plan (the
    admin's); an unknown plan is 1013 and nothing is converted."""
    plan_name = render.text_of(op, "reseller-plan-name")
    convert = partial(resellers.to_reseller, req.ctx.panel, req.identity)
    return FILTER.change(req, op, lambda a: convert(a, plan_name))


def change_owner(req: Request, op: etree._Element) -> list[etree._Element]:
    ref = op.findtext("new-owner-login")
    kind = "login" if ref is not None else "id"
    # unscoped: an owner out of reach is the core's PermissionDenied (1006), not 1015
    owner = reach.any_account(req, kind, (ref or op.findtext("new-owner-id") or "").strip())
    if owner is None or owner.type == CUSTOMER:
        raise OwnerNotFound("Owner does not exist")
    addresses = [
        (e.text or "").strip() for e in op if e.tag in ("ipV4-address", "ipV6-address") and e.text
    ]
    panel = req.ctx.panel
    plan_name = render.text_of(op, "plan-name")
    # the new owner's service plan, looked up before anything moves
    plan = resellers.owner_plan(panel, owner, plan_name) if plan_name is not None else None

    move = partial(resellers.change_owner, panel, req.identity)
    return FILTER.change(req, op, lambda a: move(a, owner, addresses=addresses, plan=plan))


OPERATIONS: Operator = {
    **accounts.operations(FILTER, add=add, get=get, set_=set_, del_=del_),
    "convert-to-reseller": convert_to_reseller,
    "change-owner": change_owner,
}
