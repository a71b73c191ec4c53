"""Operator ``php-handler``: ``get``, the PHP handlers a site may use (core/server/catalogue.py).

``filter`` takes any number of ``id``: one result each, in the order asked. An unknown id
is 1013 with Plesk's own text (``Php handler does not exists``, as a real Plesk answers
and clients such as the PHP SDK match on).
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.errors import NotFound
from panelkey.core.server.catalogue import PHP_HANDLERS
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store

HANDLER_NOT_FOUND = "Php handler does not exists"


def _handler(h: tuple[str, str, str, str, str, str, str, str]) -> list[render.Field]:
    hid, name, full, version, kind, path, clipath, phpini = h
    return [
        ("id", hid),
        ("display-name", name),
        ("full-version", full),
        ("version", version),
        ("type", kind),
        ("path", path),
        ("clipath", clipath),
        ("phpini", phpini),
        ("custom", "false"),
        ("registered", "true"),
        ("handler-status", "enabled"),
    ]


def _one(asked: str) -> etree._Element:
    found = [h for h in PHP_HANDLERS if h[0] == asked.strip()]
    if not found:
        return render.error(NotFound(HANDLER_NOT_FOUND))
    return render.ok(_handler(found[0]))


@no_store
def get(req: Request, op: etree._Element) -> list[etree._Element]:
    asked = [e.text or "" for e in op.findall("filter/id")]
    if not asked:
        return [render.ok(_handler(h)) for h in PHP_HANDLERS]
    return [_one(a) for a in asked]


OPERATIONS: Operator = {"get": get}
