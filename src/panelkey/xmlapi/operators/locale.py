"""Operator ``locale``: ``get``, the interface languages installed (core/server/catalogue.py)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from panelkey.core.server.catalogue import LOCALES
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.select import Filter, one

LOCALE_NOT_FOUND = "Locale does not exist"

Locale = tuple[str, str, str]
_KNOWN: dict[str, Locale] = {loc[0]: loc for loc in LOCALES}
FILTER: Filter[Locale] = Filter(
    LOCALE_NOT_FOUND,
    {"id": one(lambda _req, asked: _KNOWN.get(asked))},
    lambda _req: list(_KNOWN.values()),
    echo="id",
    echo_id=False,
    ident=lambda loc: loc[0],
)


def _info(loc: Locale) -> list[render.Field]:
    lid, lang, country = loc
    info = render.element(
        "info",
        [("id", lid), ("lang", lang), ("country", country), ("used", 1), ("enabled", "true")],
    )
    return [("id", lid), ("info", info)]


@no_store
def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, _info)


OPERATIONS: Operator = {"get": get}
