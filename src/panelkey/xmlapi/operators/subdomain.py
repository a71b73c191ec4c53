"""Operator ``subdomain``: ``add``, ``get``, ``set``, ``del``, ``rename``.

``add`` > ``parent`` (the site's name), ``name`` (the subdomain's own labels),
``home``? (Windows only in Plesk: accepted, not used), ``property``* -> ``id``. A
parent out of reach answers 1015 ``Parent site/subdomain is not found`` as Plesk
does; a subdomain out of reach 1013 ``Subdomain does not exist``. ``get`` answers
``data/{parent, name (full), property*}``.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.subdomains import NOT_FOUND, Subdomain, property_values
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.selection import Hit, miss, one, pairs, select
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
    results: list[etree._Element] = []
    for hit in _hits(req, op):
        if hit.miss:
            results.append(miss(hit, NOT_FOUND))
        elif hit.obj is None:
            results.append(render.ok([("filter-id", hit.filter_id)]))
        else:
            results.append(
                render.ok(
                    [
                        ("filter-id", hit.filter_id),
                        ("id", hit.obj.id),
                        ("data", _data(req, hit.obj)),
                    ]
                )
            )
    return results or [render.ok()]


def _each(req: Request, op: etree._Element, act: str) -> list[etree._Element]:
    subdomains = req.ctx.panel.subdomains
    results: list[etree._Element] = []
    for hit in _hits(req, op):
        if hit.miss:
            results.append(miss(hit, NOT_FOUND))
            continue
        if hit.obj is None:
            continue
        head: list[render.Field] = [("filter-id", hit.filter_id), ("id", hit.obj.id)]
        try:
            if act == "set":
                subdomains.update(req.identity, hit.obj, properties=pairs(op))
            else:
                subdomains.delete(req.identity, hit.obj)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head))
    return results or [render.ok()]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``property``+: one result (``filter-id``, ``id``) per subdomain."""
    return _each(req, op, "set")


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return _each(req, op, "del")


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
