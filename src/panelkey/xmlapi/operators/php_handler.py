"""Operator ``php-handler``: ``get``, the PHP handlers a site may use (core/server/catalogue.py).

``filter`` takes any number of ``id``: one result each, in the order asked. An unknown id
is 1013 with Plesk's own text (``Php handler does not exists``, as a real Plesk answers
and clients such as the PHP SDK match on).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from panelkey.core.server.catalogue import PHP_HANDLERS
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.select import Filter, one

HANDLER_NOT_FOUND = "Php handler does not exists"

PhpHandler = tuple[str, str, str, str, str, str, str, str]


def _every(_req: Request, _item: etree._Element) -> list[PhpHandler]:
    return list(PHP_HANDLERS)


# Handlers by id; a site (``site-id``, ``site-name``) may use every handler, so it
# names them all, as an empty filter does.
FILTER: Filter[PhpHandler] = Filter(
    HANDLER_NOT_FOUND,
    {
        "id": one(lambda _req, asked: next((h for h in PHP_HANDLERS if h[0] == asked), None)),
        "site-id": _every,
        "site-name": _every,
    },
    lambda _req: list(PHP_HANDLERS),
    echo=None,
    echo_id=False,
    ident=lambda h: h[0],
)


def _handler(h: PhpHandler) -> list[render.Field]:
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


@no_store
def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, _handler)


OPERATIONS: Operator = {"get": get}
