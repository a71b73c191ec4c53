"""The legacy operator ``client`` (protocol versions before 1.6.3.0): ``add``, ``get``,
``set``, ``del``, ``ippool_add_ip``.

A client is a customer: every operation reads and writes the same accounts as
``customer`` and REST's ``/clients``, through core/accounts/accounts.py. Answers keep the old
element names and, where the old reference is silent, the shape of ``customer``'s
(``filter-id``, ``id``, ``data``). A client the caller may not reach answers 1013
``Client does not exist``, as if it did not exist.

``ippool_add_ip`` checks the address against the pool the client hosts on: in
panelkey a customer hosts on its vendor's share (the server's pool for the admin's
customers, a reseller's share for its customers), so an address found there is
already the client's and nothing else changes; an unknown address is 1013, one
outside the vendor's share 1013 as ``webspace/add`` answers it.
"""

from __future__ import annotations

from functools import partial

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.ips import check_address
from panelkey.core.errors import NotFound
from panelkey.xmlapi import accounts, reach, render
from panelkey.xmlapi.reach import CLIENT_NOT_FOUND, CUSTOMER
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, required

FILTER: Filter[Account] = Filter(
    CLIENT_NOT_FOUND,
    {k: one(reach.account(k, CUSTOMER)) for k in ("id", "login")},
    lambda req: reach.accounts_of_type(req, CUSTOMER),
    echo_id=False,
)


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    values = accounts.values_of(op.find("gen_info"))
    login = values.pop("login", "")
    password = values.pop("password", "")
    account = req.ctx.panel.accounts.create(
        req.identity, type=CUSTOMER, login=login, password=password, **values
    )
    return [render.created(account)]


def _ippool(req: Request, a: Account) -> etree._Element:
    """The addresses the client may host on (its vendor's share of the pool)."""
    ips = req.ctx.panel.ips.available_to(a)
    items = [
        ("ip", render.element("ip", [("ip_address", ip.address), ("ip_type", ip.type)]))
        for ip in ips
    ]
    return render.element("ippool", items)


def _gen_info(a: Account) -> etree._Element:
    return render.element("gen_info", accounts.contact_fields(a))


def get(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    datasets: accounts.Datasets = {
        "gen_info": _gen_info,
        "stat": partial(accounts.stat, req),
        "ippool": partial(_ippool, req),
    }
    return accounts.get(req, op, FILTER, datasets)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    return accounts.set_gen_info(req, op, FILTER)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.change(req, op, partial(req.ctx.panel.accounts.delete, req.identity))


def _add_ip(req: Request, client_id: str, address: str) -> None:
    panel = req.ctx.panel
    account = required(reach.account("id", CUSTOMER)(req, client_id), CLIENT_NOT_FOUND)
    address = check_address(address)
    if panel.ips.get(address) is None:
        raise NotFound(f"IP address {address} does not exist")
    panel.subscriptions.check_ip(account, address)


def ippool_add_ip(req: Request, op: etree._Element) -> list[etree._Element]:
    client_id = (op.findtext("client_id") or "0").strip()
    head: list[render.Field] = [("client_id", int(client_id))]
    return [render.outcome(lambda: _add_ip(req, client_id, op.findtext("ip_address") or ""), head)]


OPERATIONS: Operator = {
    "add": add,
    "get": get,
    "set": set_,
    "del": del_,
    "ippool_add_ip": ippool_add_ip,
}
