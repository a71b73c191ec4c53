"""Operator ``locale``: ``get``, the interface languages installed (core/server/catalogue.py)."""

from __future__ import annotations

from lxml import etree

from panelkey.core.errors import NotFound
from panelkey.core.server.catalogue import LOCALES
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store

LOCALE_NOT_FOUND = "Locale does not exist"


@no_store
def get(req: Request, op: etree._Element) -> list[etree._Element]:
    asked = [(i.text or "").strip() for i in op.findall("filter/id")]
    known = {loc[0]: loc for loc in LOCALES}
    results: list[etree._Element] = []
    for lid in asked or list(known):
        loc = known.get(lid)
        if loc is None:
            results.append(render.error(NotFound(LOCALE_NOT_FOUND), [("id", lid)]))
            continue
        info = render.element(
            "info",
            [
                ("id", loc[0]),
                ("lang", loc[1]),
                ("country", loc[2]),
                ("used", 1),
                ("enabled", "true"),
            ],
        )
        results.append(render.ok([("id", loc[0]), ("info", info)]))
    return results


OPERATIONS: Operator = {"get": get}
