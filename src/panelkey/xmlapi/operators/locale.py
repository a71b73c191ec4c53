"""Operator ``locale``: ``get``, the interface languages installed (core/server/catalogue.py);
``enable`` and ``disable`` (the admin's) and ``get-message`` (core/server/locales.py).

``get`` answers ``info/enabled`` as the admin left it. ``enable`` and ``disable`` take a
``filter`` of ``id``: one result each (``id``), every locale for none; the default
locale cannot be disabled (1023). ``get-message`` takes a ``filter`` of ``key`` and the
locale's ``id``: one result per key, ``filter-id`` (the key) and ``message``. An unknown
locale is 1013 ``Locale does not exist``, an unknown key 1013 ``Message does not exist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.server.catalogue import LOCALES
from panelkey.core.server.locales import NOT_FOUND, Locale
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Handler, Operator, Request
from panelkey.xmlapi.select import Filter, one, values

LOCALE_NOT_FOUND = NOT_FOUND  # core/server/locales.py holds the text


def _known(req: Request) -> dict[str, Locale]:
    return {loc.id: loc for loc in req.ctx.panel.locales.list()}


FILTER: Filter[Locale] = Filter(
    LOCALE_NOT_FOUND,
    {"id": one(lambda req, asked: _known(req).get(asked))},
    lambda req: list(_known(req).values()),
    echo="id",
    echo_id=False,
    ident=lambda loc: loc.id,
)


def _info(loc: Locale) -> list[render.Field]:
    enabled = "true" if loc.enabled else "false"
    info = render.element(
        "info",
        [
            ("id", loc.id),
            ("lang", loc.lang),
            ("country", loc.country),
            ("used", 1),
            ("enabled", enabled),
        ],
    )
    return [("id", loc.id), ("info", info)]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    return FILTER.read(req, op, _info)


# -- enable, disable (the admin's), get-message ----------------------------------------


def _each_asked(on: bool) -> Handler:
    """One result per locale id asked (every locale for none): ``id``, or the error."""

    def handler(req: Request, op: etree._Element) -> list[etree._Element]:
        asked = values(op.find("filter"), "id") or [loc[0] for loc in LOCALES]

        def switch(lid: str) -> None:
            req.ctx.panel.locales.switch(req.identity, lid, on)

        return [render.outcome(partial(switch, lid), [("id", lid)]) for lid in asked]

    handler.__name__ = "enable" if on else "disable"
    return handler


def get_message(req: Request, op: etree._Element) -> list[etree._Element]:
    lid, locales = render.text_of(op, "id") or "", req.ctx.panel.locales
    return [
        render.outcome(
            partial(lambda k: [("message", locales.message(lid, k))], key), [("filter-id", key)]
        )
        for key in values(op.find("filter"), "key")
    ]


OPERATIONS: Operator = {
    "get": get,
    "get-message": get_message,
    "enable": _each_asked(True),
    "disable": _each_asked(False),
}
