"""Operator ``site-alias``: ``create``, ``get``, ``set``, ``delete``, ``rename``,
``get-supported-services``.

``create`` > ``status``?, ``pref``? (``web``, ``mail``, ``tomcat``, ``seo-redirect``,
``icp-status``, ``icp-permit``), ``manage-dns``?, ``site-id``, ``name``, ``ascii-name``?
(must be the name's ASCII form) -> ``id``. ``get`` answers ``info`` in the same order,
with ``ascii-name`` after ``name``; ``pref`` ends with ``icp-status`` (false until set)
and ``icp-permit`` (once one is set), as Plesk answers them. Filters: ``id``, ``name``, ``site-id``,
``site-name``. An alias out of reach is 1013 ``Site alias does not exist``; a site out
of reach 1013 ``Site does not exist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from lxml import etree

from panelkey.core.content.site_aliases import NOT_FOUND, Icp, SiteAlias
from panelkey.core.errors import NotFound
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.owned import in_site
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.select import Filter, by_id
from panelkey.xmlapi.values import SWITCH, boolean, flag

_PREFS = (("web", "web"), ("mail", "mail"), ("tomcat", "tomcat"), ("seo-redirect", "seo_redirect"))


def _flag(parent: etree._Element, tag: str) -> bool | None:
    return flag(render.text_of(parent, tag), tag, SWITCH)


def _settings(parent: etree._Element | None) -> dict[str, Any]:
    """The model's values from ``status``, ``pref`` and ``manage-dns`` under `parent`."""
    if parent is None:
        return {}
    values: dict[str, Any] = {"status": render.text_of(parent, "status")}
    pref = parent.find("pref")
    if pref is not None:
        for tag, name in _PREFS:
            values[name] = _flag(pref, tag)
        values["icp_status"] = _flag(pref, "icp-status")
        values["icp_permit"] = render.text_of(pref, "icp-permit")
    values["manage_dns"] = _flag(parent, "manage-dns")
    return values


_find = by_id(lambda req, i: req.ctx.panel.site_aliases.get(req.identity, i))
FILTER: Filter[SiteAlias] = in_site(
    lambda req: req.ctx.panel.site_aliases,
    NOT_FOUND,
    {"site-id": reach.domain("id"), "site-name": reach.domain("name")},
)


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    site = reach.domain_of(req, op, kinds=("id",))
    values = {**_settings(op), "ascii_name": render.text_of(op, "ascii-name")}
    made = req.ctx.panel.site_aliases.create(
        req.identity, site, render.text_of(op, "name") or "", values
    )
    return [render.ok([("id", made.id)])]


def _info(a: SiteAlias, icp: Icp) -> etree._Element:
    pref = render.element(
        "pref",
        [
            *((tag, boolean(getattr(a, name))) for tag, name in _PREFS),
            ("icp-status", boolean(icp.status)),
            ("icp-permit", icp.permit or None),
        ],
    )
    return render.element(
        "info",
        [
            ("status", a.status),
            ("pref", pref),
            ("manage-dns", boolean(a.manage_dns)),
            ("site-id", a.domain_id),
            ("name", a.name),
            ("ascii-name", a.ascii_name),
        ],
    )


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    aliases = req.ctx.panel.site_aliases
    return FILTER.read(req, op, lambda a: [("id", a.id), ("info", _info(a, aliases.icp(a)))])


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``settings`` (``status``?, ``pref``?, ``manage-dns``?)."""
    aliases = req.ctx.panel.site_aliases
    return FILTER.change(
        req, op, lambda a: aliases.update(req.identity, a, _settings(op.find("settings")))
    )


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.change(req, op, partial(req.ctx.panel.site_aliases.delete, req.identity))


def rename(req: Request, op: etree._Element) -> list[etree._Element]:
    """(``id`` | ``name``), ``new_name`` -> ``status``."""
    alias_id, name = render.text_of(op, "id"), render.text_of(op, "name")
    found = (
        _find(req, alias_id)
        if alias_id is not None
        else req.ctx.panel.site_aliases.by_name(req.identity, name or "")
    )
    if found is None:
        raise NotFound(NOT_FOUND)
    req.ctx.panel.site_aliases.update(
        req.identity, found, {"name": render.text_of(op, "new_name") or ""}
    )
    return [render.ok()]


# Services an alias can turn on or off on Plesk for Linux (on Windows, not tomcat).
SUPPORTED_SERVICES = ("web", "mail", "tomcat")
_SUPPORTED = render.ok_text([("service", s) for s in SUPPORTED_SERVICES])


@no_store
def get_supported_services(req: Request, op: etree._Element) -> list[bytes]:
    """Open to every account: ``result`` with a ``service`` per service."""
    return [_SUPPORTED]


OPERATIONS: Operator = {
    "create": create,
    "get": get,
    "set": set_,
    "delete": delete,
    "rename": rename,
    "get-supported-services": get_supported_services,
}
