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

from typing import Any

from lxml import etree

from panelkey.core.content.site_aliases import NOT_FOUND, Icp, SiteAlias
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.selection import (
    Hit,
    answer_each,
    answer_get,
    boolean,
    flag,
    one,
    select,
)
from panelkey.xmlapi.operators.site import SITE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request, no_store

_PREFS = (("web", "web"), ("mail", "mail"), ("tomcat", "tomcat"), ("seo-redirect", "seo_redirect"))


def _settings(parent: etree._Element | None) -> dict[str, Any]:
    """The model's values from ``status``, ``pref`` and ``manage-dns`` under `parent`."""
    if parent is None:
        return {}
    values: dict[str, Any] = {"status": render.text_of(parent, "status")}
    pref = parent.find("pref")
    if pref is not None:
        for tag, name in _PREFS:
            values[name] = flag(render.text_of(pref, tag), tag)
        values["icp_status"] = flag(render.text_of(pref, "icp-status"), "icp-status")
        values["icp_permit"] = render.text_of(pref, "icp-permit")
    values["manage_dns"] = flag(render.text_of(parent, "manage-dns"), "manage-dns")
    return values


def _hits(req: Request, op: etree._Element) -> list[Hit[SiteAlias]]:
    panel, who = req.ctx.panel, req.identity

    def by_site(site: Any) -> list[SiteAlias] | None:
        return None if site is None else panel.site_aliases.list(who, site)

    return select(
        op.find("filter"),
        lambda: panel.site_aliases.list(who),
        {
            "id": lambda v: one(panel.site_aliases.get(who, int(v))),
            "name": lambda v: one(panel.site_aliases.by_name(who, v)),
            "site-id": lambda v: by_site(panel.domains.get(who, int(v))),
            "site-name": lambda v: by_site(panel.domains.by_name(who, v)),
        },
    )


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    try:
        site = panel.domains.get(req.identity, int(render.text_of(op, "site-id") or 0))
        if site is None:
            raise NotFound(SITE_NOT_FOUND)
        values = {**_settings(op), "ascii_name": render.text_of(op, "ascii-name")}
        made = panel.site_aliases.create(
            req.identity, site, render.text_of(op, "name") or "", values
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
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


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    aliases = req.ctx.panel.site_aliases
    return answer_get(
        _hits(req, op),
        NOT_FOUND,
        lambda a: [("id", a.id), ("info", _info(a, aliases.icp(a)))],
    )


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``settings`` (``status``?, ``pref``?, ``manage-dns``?)."""
    aliases = req.ctx.panel.site_aliases
    return answer_each(
        _hits(req, op),
        NOT_FOUND,
        lambda a: aliases.update(req.identity, a, _settings(op.find("settings"))),
    )


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    aliases = req.ctx.panel.site_aliases
    return answer_each(_hits(req, op), NOT_FOUND, lambda a: aliases.delete(req.identity, a))


def rename(req: Request, op: etree._Element) -> list[etree._Element]:
    """(``id`` | ``name``), ``new_name`` -> ``status``."""
    aliases = req.ctx.panel.site_aliases
    alias_id, name = render.text_of(op, "id"), render.text_of(op, "name")
    found = (
        aliases.get(req.identity, int(alias_id))
        if alias_id is not None
        else aliases.by_name(req.identity, name or "")
    )
    try:
        if found is None:
            raise NotFound(NOT_FOUND)
        aliases.update(req.identity, found, {"name": render.text_of(op, "new_name") or ""})
    except PanelkeyError as exc:
        return [render.error(exc)]
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
