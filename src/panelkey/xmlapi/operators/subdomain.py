"""Operator ``subdomain``: ``add``, ``get``, ``set``, ``del``, ``rename``.

``add`` > ``parent`` (the site's name), ``name`` (the subdomain's own labels),
``home``? (Windows only in Plesk: accepted, not used), ``property``* -> ``id``. A
parent out of reach answers 1015 ``Parent site/subdomain is not found`` as Plesk
does; a subdomain out of reach 1013 ``Subdomain does not exist``. ``get`` answers
``data/{parent, name (full), property*}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.content.subdomains import NOT_FOUND, Subdomain, property_values
from panelkey.xmlapi import blocks, reach, render
from panelkey.xmlapi.owned import in_site
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, by_id, required

_find = by_id(lambda req, i: req.ctx.panel.subdomains.get(req.identity, i))
FILTER: Filter[Subdomain] = in_site(
    lambda req: req.ctx.panel.subdomains, NOT_FOUND, {"parent-name": reach.domain("name")}
)


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    panel = req.ctx.panel
    parent = panel.domains.by_name(req.identity, render.text_of(op, "parent") or "")
    made = panel.subdomains.create(
        req.identity, parent, render.text_of(op, "name") or "", blocks.pairs(op)
    )
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


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, lambda s: [("id", s.id), ("data", _data(req, s))])


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``property``+: one result (``filter-id``, ``id``) per subdomain."""
    update = partial(req.ctx.panel.subdomains.update, req.identity, properties=blocks.pairs(op))
    return FILTER.change(req, op, update)


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.change(req, op, partial(req.ctx.panel.subdomains.delete, req.identity))


def rename(req: Request, op: etree._Element) -> list[etree._Element]:
    """``id``, ``name`` (the new labels, without the parent site) -> ``status``."""
    found = required(_find(req, render.text_of(op, "id") or ""), NOT_FOUND)
    req.ctx.panel.subdomains.update(req.identity, found, name=render.text_of(op, "name") or "")
    return [render.ok()]


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_, "rename": rename}
