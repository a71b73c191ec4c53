"""Operator ``dns``, the name server's side (dns.py holds records and zones): the ACL
(``get_acl``, ``add_to_acl``, ``remove_from_acl``), a zone's type (``switch``) and a
slave zone's primary servers (``add_master_server``, ``get_master_server``,
``del_master_server``), remote DNS (``enable-remote-dns``, ``disable-remote-dns``,
``get-status-remote-dns``) and recursion (``set-recursion``, ``get-recursion``,
``get-supported-recursion``).

The ACL, remote DNS and recursion are the administrator's (1006 for others); a
zone's type and master servers are its owner's, its reseller's and the admin's, as
``enable``/``disable``. What the DNS listener honours is said in core/dns/servers.py.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.dns.servers import MASTER_NOT_FOUND, RECURSION, SITE_NOT_FOUND
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Request


def _hosts(op: etree._Element) -> list[str]:
    flt = op.find("filter")
    return [] if flt is None else [(h.text or "").strip() for h in flt.findall("host")]


def get_acl(req: Request, op: etree._Element) -> list[etree._Element]:
    """``result/{status, host*}``: the hosts of the filter found in the ACL, or all."""
    acl = req.ctx.panel.dns_server.acl(req.identity)
    asked = {h.lower() for h in _hosts(op)}
    return [render.ok([("host", h) for h in acl if not asked or h in asked])]


def _acl(req: Request, op: etree._Element, add: bool) -> list[etree._Element]:
    server = req.ctx.panel.dns_server
    results: list[etree._Element] = []
    for host in _hosts(op):
        try:
            if add:
                done = server.add_to_acl(req.identity, host)
            else:
                done = server.remove_from_acl(req.identity, host)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("host", host)]))
            continue
        results.append(render.ok([("host", done)]))
    return results


def add_to_acl(req: Request, op: etree._Element) -> list[etree._Element]:
    """One result per host: ``status``, ``host``."""
    return _acl(req, op, True)


def remove_from_acl(req: Request, op: etree._Element) -> list[etree._Element]:
    return _acl(req, op, False)


def _master(m: tuple[int, int, str]) -> list[render.Field]:
    return [("id", m[0]), ("site-id", m[1]), ("ip_address", m[2])]


def add_master_server(req: Request, op: etree._Element) -> list[etree._Element]:
    """``site-id``, ``ip_address`` -> ``result/{status, id}``."""
    panel = req.ctx.panel
    site_id = (render.text_of(op, "site-id") or "").strip()
    try:
        zone = panel.domains.get(req.identity, int(site_id))
        if zone is None:
            raise NotFound(SITE_NOT_FOUND)
        made = panel.dns_server.add_master(
            req.identity, zone, render.text_of(op, "ip_address") or ""
        )
    except PanelkeyError as exc:
        return [render.error(exc, [("site-id", site_id)])]
    return [render.ok([("id", made)])]


def _masters(
    req: Request, op: etree._Element
) -> list[tuple[str, tuple[int, int, str] | None, str]]:
    """(filter value, master or None, 1013 text) per master the filter names."""
    panel, flt = req.ctx.panel, op.find("filter")
    items = [] if flt is None else render.children(flt)
    if not items:
        return [(str(m[0]), m, "") for m in panel.dns_server.masters(req.identity)]
    out: list[tuple[str, tuple[int, int, str] | None, str]] = []
    for item in items:
        value = (item.text or "").strip()
        if item.tag == "id":
            try:
                out.append((value, panel.dns_server.master(req.identity, int(value)), ""))
            except NotFound:
                out.append((value, None, MASTER_NOT_FOUND))
            continue
        zone = panel.domains.get(req.identity, int(value))
        if zone is None:
            out.append((value, None, SITE_NOT_FOUND))
            continue
        out += [(value, m, "") for m in panel.dns_server.masters(req.identity, zone)]
    return out


def get_master_server(req: Request, op: etree._Element) -> list[etree._Element]:
    """Per master server: ``result/{status, id, site-id, ip_address}``."""
    results: list[etree._Element] = []
    for asked, m, missing in _masters(req, op):
        if m is None:
            results.append(render.error(NotFound(missing), [("id", asked)]))
            continue
        results.append(render.ok(_master(m)))
    return results or [render.ok()]


def del_master_server(req: Request, op: etree._Element) -> list[etree._Element]:
    """Per master server removed: ``result/{status, id}``."""
    results: list[etree._Element] = []
    for asked, m, missing in _masters(req, op):
        try:
            if m is None:
                raise NotFound(missing)
            req.ctx.panel.dns_server.delete_master(req.identity, m[0])
        except PanelkeyError as exc:
            results.append(render.error(exc, [("id", asked)]))
            continue
        results.append(render.ok([("id", m[0])]))
    return results or [render.ok()]


def _remote(req: Request, on: bool) -> list[etree._Element]:
    req.ctx.panel.dns_server.set_remote_dns(req.identity, on)
    return [render.ok()]


def enable_remote_dns(req: Request, op: etree._Element) -> list[etree._Element]:
    return _remote(req, True)


def disable_remote_dns(req: Request, op: etree._Element) -> list[etree._Element]:
    return _remote(req, False)


def get_status_remote_dns(req: Request, op: etree._Element) -> list[etree._Element]:
    """``result/{status, enabled}``: whether remote DNS is on (the local server off)."""
    on = req.ctx.panel.dns_server.remote_dns(req.identity)
    return [render.ok([("enabled", str(on).lower())])]


def set_recursion(req: Request, op: etree._Element) -> list[etree._Element]:
    """``value``: one of get-supported-recursion's."""
    req.ctx.panel.dns_server.set_recursion(req.identity, render.text_of(op, "value") or "")
    return [render.ok()]


def get_recursion(req: Request, op: etree._Element) -> list[etree._Element]:
    value = req.ctx.panel.dns_server.recursion(req.identity)
    return [render.ok([("value", value)])]


def get_supported_recursion(req: Request, op: etree._Element) -> list[etree._Element]:
    """``result/{status, value*}``: the administrator's, as the rest of recursion."""
    req.ctx.panel.dns_server.recursion(req.identity)
    return [render.ok([("value", v) for v in RECURSION])]
