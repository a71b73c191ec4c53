"""Operator ``ip``: ``get``, ``add``, ``set``, ``del`` over the server's IP pool.

Everyone may list the addresses they may host on (the admin all, a reseller its
share, a customer its owner's); only the admin changes the pool.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from lxml import etree

from panelkey.core.domains.ips import IP_NOT_FOUND, IpAddress, ServiceNode
from panelkey.core.errors import PermissionDenied
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one

# Addresses by ``ip_address``, answered by the address asked; an empty filter names none.
FILTER: Filter[IpAddress] = Filter(
    IP_NOT_FOUND,
    {"ip_address": one(lambda req, address: req.ctx.panel.ips.get(address))},
    echo="ip_address",
    echo_id=False,
)


def ip_info(
    ip: IpAddress, kind: str | None = None, node: ServiceNode | None = None
) -> etree._Element:
    fields: list[render.Field] = [
        ("ip_address", ip.address),
        ("netmask", ip.netmask),
        ("type", kind or ip.type),
        ("interface", ip.interface),
        ("public_ip_address", ip.public_address or None),
    ]
    if node is not None:
        # the reference given on add or set, answered back as it was sent
        fields.append(("service-node", render.element("service-node", [node])))
    return render.element("ip_info", fields)


def service_node_of(op: etree._Element) -> ServiceNode | None:
    """The ``service-node`` reference of an add or set: ("id"|"external-id", value)."""
    node = op.find("service-node")
    if node is None:
        return None
    ref = render.children(node)[0]
    return str(ref.tag), (ref.text or "").strip()


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    if req.identity.is_admin:
        rows = [(ip, ip.type) for ip in panel.ips.list()]
    else:
        account = panel.accounts.get(req.identity.account_id)
        if account is None:
            raise PermissionDenied()
        shares = {e.ip.id: e.type for e in panel.ips.pool(account.id)}
        rows = [(ip, shares.get(ip.id, ip.type)) for ip in panel.ips.available_to(account)]
    ips = panel.ips
    addresses = render.element(
        "addresses", [("ip_info", ip_info(ip, t, ips.service_node(ip))) for ip, t in rows]
    )
    return [render.ok([("addresses", addresses)])]


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    made = req.ctx.panel.ips.add(
        req.identity,
        address=op.findtext("ip_address") or "",
        netmask=op.findtext("netmask") or "",
        type=(op.findtext("type") or "").strip(),
        interface=op.findtext("interface") or "",
        public_address=op.findtext("public_ip_address") or "",
        service_node=service_node_of(op),
    )
    return [render.ok([("ip_address", made.address)])]


def _each(
    req: Request, op: etree._Element, act: Callable[[IpAddress], None]
) -> list[etree._Element]:
    """One result per address asked, the admin's only (1006 for each, for others)."""
    results: list[etree._Element] = []
    for hit in FILTER.select(req, op.find("filter")):
        head: list[render.Field] = [("ip_address", hit.filter_id)]
        if not req.identity.is_admin:
            results.append(render.error(PermissionDenied(), head))
        elif hit.obj is None:
            results.append(FILTER.miss(hit))
        else:
            results.append(render.outcome(partial(act, hit.obj), head))
    return results


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    kind = op.findtext("type")
    cert = op.findtext("certificate_name")
    public = op.findtext("public_ip_address")
    node = service_node_of(op)

    def act(ip: IpAddress) -> None:
        req.ctx.panel.ips.update(
            req.identity,
            ip,
            type=kind.strip() if kind is not None else None,
            certificate_name=cert,
            public_address=public,
            service_node=node,
        )

    return _each(req, op, act)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return _each(req, op, lambda ip: req.ctx.panel.ips.delete(req.identity, ip))


OPERATIONS: Operator = {"get": get, "add": add, "set": set_, "del": del_}
