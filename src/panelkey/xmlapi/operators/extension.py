"""Operator ``extension`` (the administrator's): ``install``, ``uninstall``, ``get`` and
``call``, over the registry of installed extensions REST ``/extensions`` shows
(core/server/extensions.py).

``call`` holds one element per extension, named after its id, with that extension's own
operation inside: one result each. panelkey runs the code of its test extension only,
``panelkey-test``, whose every operation answers with itself, arguments and all.
"""

from __future__ import annotations

import copy

from lxml import etree

from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.server.extensions import NOT_INSTALLED, Extension
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request


def install(req: Request, op: etree._Element) -> list[etree._Element]:
    extensions = req.ctx.panel.extensions
    url = render.text_of(op, "url")
    ext_id = extensions.id_of_url(url) if url is not None else render.text_of(op, "id") or ""
    extensions.install(req.identity, ext_id.strip())
    return [render.ok()]


def uninstall(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.extensions.uninstall(req.identity, (render.text_of(op, "id") or "").strip())
    return [render.ok()]


def _details(e: Extension) -> list[render.Field]:
    details = render.element(
        "details",
        [
            ("id", e.id),
            ("name", e.name),
            ("version", e.version),
            ("release", e.release),
            ("active", "true" if e.active else "false"),
        ],
    )
    return [("details", details)]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    installed = {e.id: e for e in req.ctx.panel.extensions.installed(req.identity)}
    asked = [(e.text or "").strip() for e in op.findall("filter/id")]
    if not asked:
        return [render.ok(_details(e)) for e in installed.values()] or [render.ok()]
    return [
        render.ok(_details(installed[i]))
        if i in installed
        else render.error(NotFound(NOT_INSTALLED))
        for i in asked
    ]


def call(req: Request, op: etree._Element) -> list[etree._Element]:
    extensions = req.ctx.panel.extensions
    results: list[etree._Element] = []
    for asked in render.children(op):
        try:
            extensions.call(req.identity, str(asked.tag))
        except PanelkeyError as exc:
            results.append(render.error(exc))
            continue
        # panelkey-test: the call itself is the answer
        echo = copy.deepcopy(asked)
        echo.tail = None
        results.append(render.ok([(str(asked.tag), echo)]))
    return results


OPERATIONS: Operator = {
    "install": install,
    "uninstall": uninstall,
    "call": call,
    "get": get,
}
