"""Operator ``virtdir``: ``create``, ``update``, ``remove``, ``get``.

Each names a site (``site-id``) or a subdomain (``subdomain-id``) and a directory
(``name``, Plesk's path such as ``/docs/v1``); ``create`` and ``update`` carry
``properties`` (core/content/virtdirs.py PROPERTIES, as Plesk names them). ``create``,
``update`` and ``remove`` answer ``result/status`` alone, as Plesk's VDirResultType;
``get`` answers ``filter-id`` (the name asked), ``id`` and every property with a value,
defaults filled in, in Plesk's order. Only the admin: others 1006. An unknown site is
1013 ``Site does not exist``, an unknown subdomain ``Subdomain does not exist``, an
unknown directory ``Virtual directory does not exist``; one already there 1007.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from panelkey.core.content.virtdirs import LISTS, Place, VirtDir
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request

_CHOICES = ("application", "default-doc")


def _place(req: Request, op: etree._Element) -> Place:
    site, sub = render.text_of(op, "site-id"), render.text_of(op, "subdomain-id")
    return req.ctx.panel.virtdirs.place(
        req.identity,
        site_id=None if site is None else int(site),
        subdomain_id=None if sub is None else int(sub),
    )


def _choice(element: etree._Element) -> dict[str, Any]:
    """``application`` or ``default-doc``: ``disabled``, or ``enabled`` and its settings."""
    if element.find("disabled") is not None:
        return {"state": "disabled"}
    out: dict[str, Any] = {"state": "enabled"}
    for child in render.children(element):
        if child.tag == "search":
            out.setdefault("search", []).append(child.text or "")
        elif child.tag != "enabled":
            out[str(child.tag)] = child.text or ""
    return out


def _properties(op: etree._Element) -> dict[str, Any]:
    """The model's values from ``properties`` (the schema requires it)."""
    element = op.find("properties")
    assert element is not None
    out: dict[str, Any] = {}
    for child in render.children(element):
        name = str(child.tag)
        if name in _CHOICES:
            out[name] = _choice(child)
        elif name in LISTS:
            out.setdefault(name, []).append(child.text or "")
        else:
            out[name] = child.text or ""
    return out


def _answer_choice(name: str, value: dict[str, Any]) -> etree._Element:
    if value.get("state") != "enabled":
        return render.element(name, [("disabled", "")])
    fields: list[render.Field] = [("enabled", "")]
    if name == "default-doc":
        fields += [("search", s) for s in value.get("search", [])]
    else:
        fields += [(n, value.get(n)) for n in ("parent-paths", "run-in-mta", "aspnet-version")]
    return render.element(name, fields)


def _answer_properties(v: VirtDir) -> etree._Element:
    fields: list[render.Field] = []
    for name, value in v.settings().items():
        if name in _CHOICES:
            fields.append((name, _answer_choice(name, value)))
        elif name in LISTS:
            fields += [(name, item) for item in value]
        else:
            fields.append((name, value))
    return render.element("properties", fields)


def _name(op: etree._Element) -> str:
    return render.text_of(op, "name") or ""


# Each names one directory: a core error is the operation's one result (dispatch.py).


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.virtdirs.create(req.identity, _place(req, op), _name(op), _properties(op))
    return [render.ok()]


def update(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.virtdirs.update(req.identity, _place(req, op), _name(op), _properties(op))
    return [render.ok()]


def remove(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.virtdirs.delete(req.identity, _place(req, op), _name(op))
    return [render.ok()]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    found = req.ctx.panel.virtdirs.get(req.identity, _place(req, op), _name(op))
    head: list[render.Field] = [("filter-id", _name(op)), ("id", found.id)]
    return [render.ok([*head, ("properties", _answer_properties(found))])]


OPERATIONS: Operator = {"create": create, "update": update, "remove": remove, "get": get}
