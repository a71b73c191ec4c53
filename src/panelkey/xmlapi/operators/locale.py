"""Operator ``locale``: ``get``, the interface languages installed (core/server/catalogue.py);
``enable`` and ``disable`` (the admin's) and ``get-message`` (core/server/locales.py).

``get`` answers ``info/enabled`` as the admin left it. ``enable`` and ``disable`` take a
``filter`` of ``id``: one result each (``id``), every locale for none; the default
locale cannot be disabled (1023). ``get-message`` takes a ``filter`` of ``key`` and the
locale's ``id``: one result per key, ``filter-id`` (the key) and ``message``. An unknown
locale is 1013 ``Locale does not exist``, an unknown key 1013 ``Message does not exist``.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.server.catalogue import LOCALES
from panelkey.core.server.locales import NOT_FOUND
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Handler, Operator, Request

LOCALE_NOT_FOUND = NOT_FOUND  # core/server/locales.py holds the text


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    asked = [(i.text or "").strip() for i in op.findall("filter/id")]
    known = {loc.id: loc for loc in req.ctx.panel.locales.list()}
    results: list[etree._Element] = []
    for lid in asked or list(known):
        loc = known.get(lid)
        if loc is None:
            results.append(render.error(NotFound(LOCALE_NOT_FOUND), [("id", lid)]))
            continue
        info = render.element(
            "info",
            [
                ("id", loc.id),
                ("lang", loc.lang),
                ("country", loc.country),
                ("used", 1),
                ("enabled", "true" if loc.enabled else "false"),
            ],
        )
        results.append(render.ok([("id", loc.id), ("info", info)]))
    return results


# -- enable, disable (the admin's), get-message ----------------------------------------


def _each_asked(on: bool) -> Handler:
    """One result per locale id asked (every locale for none): ``id``, or the error."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        asked = [(i.text or "").strip() for i in op.findall("filter/id")]
        results: list[etree._Element] = []
        for lid in asked or [loc[0] for loc in LOCALES]:
            try:
                req.ctx.panel.locales.switch(req.identity, lid, on)
            except PanelkeyError as exc:
                results.append(render.error(exc, [("id", lid)]))
                continue
            results.append(render.ok([("id", lid)]))
        return results

    handler.__name__ = "enable" if on else "disable"
    return handler


def get_message(req: Request, op: etree._Element) -> list[etree._Element]:
    lid, locales = render.text_of(op, "id") or "", req.ctx.panel.locales
    results: list[etree._Element] = []
    for key in [(k.text or "").strip() for k in op.findall("filter/key")]:
        try:
            results.append(render.ok([("filter-id", key), ("message", locales.message(lid, key))]))
        except PanelkeyError as exc:
            results.append(render.error(exc, [("filter-id", key)]))
    return results


OPERATIONS: Operator = {
    "get": get,
    "get-message": get_message,
    "enable": _each_asked(True),
    "disable": _each_asked(False),
}
