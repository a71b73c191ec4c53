"""Operator ``php-handler``: ``get``, the PHP handlers a site may use (core/server/catalogue.py);
``enable``, ``disable`` and ``get-usage`` (core/server/php_handlers.py), the admin's.

``filter`` takes any number of ``id``: one result each, in the order asked; an empty
filter, every handler. An unknown id is 1013 with Plesk's own text (``Php handler does
not exists``, as a real Plesk answers and clients such as the PHP SDK match on). ``get``
answers ``handler-status`` ``disabled`` for a disabled handler; ``enable`` and
``disable`` answer ``id``; ``get-usage`` answers ``id`` and ``usage``: a ``domain``
(``id``, ``name``) per domain whose hosting chose the handler, a ``plan`` (``id``,
``name``, ``type``) per service plan or add-on that did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from lxml import etree

from panelkey.core.server.catalogue import PHP_HANDLERS
from panelkey.core.server.php_handlers import NOT_FOUND
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.select import Filter, one, values

HANDLER_NOT_FOUND = NOT_FOUND  # core/server/php_handlers.py holds Plesk's text

# A handler of the catalogue with whether the admin left it enabled.
PhpHandler = tuple[tuple[str, str, str, str, str, str, str, str], bool]


def _all(req: Request) -> list[PhpHandler]:
    enabled = {h.id: h.enabled for h in req.ctx.panel.php_handlers.list()}
    return [(h, enabled[h[0]]) for h in PHP_HANDLERS]


def _every(req: Request, _item: etree._Element) -> list[PhpHandler]:
    return _all(req)


# Handlers by id; a site (``site-id``, ``site-name``) may use every handler, so it
# names them all, as an empty filter does.
FILTER: Filter[PhpHandler] = Filter(
    HANDLER_NOT_FOUND,
    {
        "id": one(lambda req, asked: next((h for h in _all(req) if h[0][0] == asked), None)),
        "site-id": _every,
        "site-name": _every,
    },
    _all,
    echo=None,
    echo_id=False,
    ident=lambda h: h[0][0],
)


def _handler(found: PhpHandler) -> list[render.Field]:
    h, enabled = found
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
        ("handler-status", "enabled" if enabled else "disabled"),
    ]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, _handler)


# -- enable, disable, get-usage: the admin's -------------------------------------------


def _each_asked(act: Callable[[Request, str], list[render.Field]]) -> Handler:
    """One result per id asked (every handler for none): ``id`` then what `act`
    answers, or the error it raised."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        asked = values(op.find("filter"), "id") or [h[0] for h in PHP_HANDLERS]
        return [render.outcome(partial(act, req, hid), [("id", hid)]) for hid in asked]

    handler.__name__ = act.__name__
    return handler


def enable(req: Request, hid: str) -> list[render.Field]:
    req.ctx.panel.php_handlers.switch(req.identity, hid, True)
    return []


def disable(req: Request, hid: str) -> list[render.Field]:
    req.ctx.panel.php_handlers.switch(req.identity, hid, False)
    return []


def get_usage(req: Request, hid: str) -> list[render.Field]:
    used = req.ctx.panel.php_handlers.usage(req.identity, hid)
    fields: list[render.Field] = [
        ("domain", render.element("domain", [("id", d.id), ("name", d.name)])) for d in used.domains
    ]
    fields += [
        ("plan", render.element("plan", [("id", p.id), ("name", p.name), ("type", p.kind)]))
        for p in used.plans
    ]
    return [("usage", render.element("usage", fields))]


OPERATIONS: Operator = {
    "get": get,
    "enable": _each_asked(enable),
    "disable": _each_asked(disable),
    "get-usage": _each_asked(get_usage),
}
