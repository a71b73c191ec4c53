"""Operator ``subdomain``: ``add``, ``get``, ``set``, ``del``, ``rename``.

``add`` > ``parent`` (the site's name), ``name`` (the subdomain's own labels),
``home``? (Windows only in Plesk: accepted, not used), ``property``* -> ``id``. A
parent out of reach answers 1015 ``Parent site/subdomain is not found`` as Plesk
does; a subdomain out of reach 1013 ``Subdomain does not exist``. ``get`` answers
``data/{parent, name (full), property*}``.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.content.subdomains import NOT_FOUND, Subdomain, property_values
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.selection import (
    Hit,
    answer_each,
    answer_get,
    one,
    pairs,
    select,
)
from panelkey.xmlapi.request import Operator, Request


def _hits(req: Request, op: etree._Element) -> list[Hit[Subdomain]]:
    panel, who = req.ctx.panel, req.identity

    def by_parent(name: str) -> list[Subdomain] | None:
        site = panel.domains.by_name(who, name)
        return None if site is None else panel.subdomains.list(who, site)

    return select(
        op.find("filter"),
        lambda: panel.subdomains.list(who),
        {
            "id": lambda v: one(panel.subdomains.get(who, int(v))),
            "name": lambda v: one(panel.subdomains.by_name(who, v)),
            "parent-name": by_parent,
        },
    )


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    parent = panel.domains.by_name(req.identity, render.text_of(op, "parent") or "")
    try:
        made = panel.subdomains.create(
            req.identity, parent, render.text_of(op, "name") or "", pairs(op)
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _data(req: Request, s: Subdomain) -> etree._Element:
    parent = req.ctx.panel.domains.get(req.identity, s.domain_id)
    props = [
        ("property", render.element("property", [("name", n), ("value", v)]))
        for n, v in property_values(s.properties)
    ]
    return render.element(
        "data", [("parent", parent.name if parent else ""), ("name", s.ascii_name), *props]
    )


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    return answer_get(_hits(req, op), NOT_FOUND, lambda s: [("id", s.id), ("data", _data(req, s))])


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``property``+: one result (``filter-id``, ``id``) per subdomain."""
    subdomains = req.ctx.panel.subdomains
    return answer_each(
        _hits(req, op),
        NOT_FOUND,
        lambda s: subdomains.update(req.identity, s, properties=pairs(op)),
    )


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    subdomains = req.ctx.panel.subdomains
    return answer_each(_hits(req, op), NOT_FOUND, lambda s: subdomains.delete(req.identity, s))


def rename(req: Request, op: etree._Element) -> list[etree._Element]:
    """``id``, ``name`` (the new labels, without the parent site) -> ``status``."""
    subdomains = req.ctx.panel.subdomains
    found = subdomains.get(req.identity, int(render.text_of(op, "id") or 0))
    try:
        if found is None:
            raise NotFound(NOT_FOUND)
        subdomains.update(req.identity, found, name=render.text_of(op, "name") or "")
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok()]


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_, "rename": rename}
