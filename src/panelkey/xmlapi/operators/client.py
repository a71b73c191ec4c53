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

from collections.abc import Callable
from typing import Any

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.domains.ips import check_address
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.identity import AccountType
from panelkey.xmlapi import render
from panelkey.xmlapi.operators import customer
from panelkey.xmlapi.request import Operator, Request

CLIENT_NOT_FOUND = "Client does not exist"
_CUSTOMER = AccountType.CUSTOMER.value

# gen_info child -> core field, in the old order (passwd never answered back).
_FIELDS = (
    ("cname", "company"),
    ("pname", "name"),
    ("login", "login"),
    ("passwd", "password"),
    ("status", "status"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("email", "email"),
    ("address", "address"),
    ("city", "city"),
    ("state", "state"),
    ("pcode", "pcode"),
    ("country", "country"),
)


def _values(gen_info: etree._Element | None) -> dict[str, Any]:
    if gen_info is None:
        return {}
    values: dict[str, Any] = {}
    for tag, field in _FIELDS:
        text = render.text_of(gen_info, tag)
        if text is not None:
            values[field] = text.strip() if field in ("login", "status") else text
    return values


def reachable(req: Request, account: Account | None) -> Account | None:
    """`account` when it is a customer the caller may manage, else None."""
    if account is None or account.type != _CUSTOMER:
        return None
    return account if req.ctx.panel.accounts.can_manage(req.identity, account) else None


def _select(req: Request, flt: etree._Element | None) -> list[tuple[str, Account | None]]:
    """(filter value, client or None) for each item of the filter, in request order;
    an empty filter names every client the caller reaches."""
    accounts = req.ctx.panel.accounts
    items = [] if flt is None else render.children(flt)
    if not items:
        return [(str(a.id), a) for a in accounts.list() if reachable(req, a) is not None]
    found: list[tuple[str, Account | None]] = []
    for item in items:
        value = (item.text or "").strip()
        one = accounts.get(int(value)) if item.tag == "id" else accounts.by_login(value)
        found.append((value, reachable(req, one)))
    return found


def _each(
    req: Request,
    op: etree._Element,
    act: Callable[[Account], object],
    fields: Callable[[Account], list[render.Field]] | None = None,
) -> list[etree._Element]:
    """Run `act` on every client the filter names: one result each, a miss 1013."""
    results: list[etree._Element] = []
    for value, account in _select(req, op.find("filter")):
        if account is None:
            results.append(render.error(NotFound(CLIENT_NOT_FOUND), [("filter-id", value)]))
            continue
        head: list[render.Field] = [("filter-id", value), ("id", account.id)]
        try:
            act(account)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head + (fields(account) if fields else [])))
    return results or [render.ok()]


# -- operations --------------------------------------------------------------------


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    values = _values(op.find("gen_info"))
    login = values.pop("login", "")
    password = values.pop("password", "")
    try:
        account = req.ctx.panel.accounts.create(
            req.identity, type=_CUSTOMER, login=login, password=password, **values
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", account.id), ("guid", account.guid)])]


def _gen_info(a: Account) -> etree._Element:
    return render.element("gen_info", customer.contact_fields(a))


def _ippool(req: Request, a: Account) -> etree._Element:
    """The addresses the client may host on (its vendor's share of the pool)."""
    ips = req.ctx.panel.ips.available_to(a)
    items = [
        ("ip", render.element("ip", [("ip_address", ip.address), ("ip_type", ip.type)]))
        for ip in ips
    ]
    return render.element("ippool", items)


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    dataset = op.find("dataset")
    wanted = set() if dataset is None else {str(c.tag) for c in render.children(dataset)}

    def data(a: Account) -> list[render.Field]:
        parts: list[render.Field] = []
        if "gen_info" in wanted:
            parts.append(("gen_info", _gen_info(a)))
        if "stat" in wanted:
            parts.append(("stat", customer.stat(req, a)))
        if "ippool" in wanted:
            parts.append(("ippool", _ippool(req, a)))
        return [("data", render.element("data", parts))]

    return _each(req, op, lambda a: a, data)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    values_el = op.find("values")
    values = _values(None if values_el is None else values_el.find("gen_info"))
    accounts = req.ctx.panel.accounts
    return _each(req, op, lambda a: accounts.update(req.identity, a, values))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    accounts = req.ctx.panel.accounts
    return _each(req, op, lambda a: accounts.delete(req.identity, a))


def ippool_add_ip(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    client_id = int(op.findtext("client_id") or "0")
    head: list[render.Field] = [("client_id", client_id)]
    try:
        account = reachable(req, panel.accounts.get(client_id))
        if account is None:
            raise NotFound(CLIENT_NOT_FOUND)
        address = check_address(op.findtext("ip_address") or "")
        if panel.ips.get(address) is None:
            raise NotFound(f"IP address {address} does not exist")
        panel.subscriptions.check_ip(account, address)
    except PanelkeyError as exc:
        return [render.error(exc, head)]
    return [render.ok(head)]


OPERATIONS: Operator = {
    "add": add,
    "get": get,
    "set": set_,
    "del": del_,
    "ippool_add_ip": ippool_add_ip,
}
