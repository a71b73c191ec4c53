"""``get-limit-descriptor``, ``get-permission-descriptor``,
``get-physical-hosting-descriptor`` of every operator that has them (webspace, site,
service-plan, service-plan-addon, reseller-plan, reseller): the settings table of one
block of core/plans/settings.py, answered by blocks.descriptor.

An empty (or absent) filter is answered once, server-wide; a filter naming objects is
answered per object by the operator's own `each` (1013 for a miss, as its other
operations answer)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from panelkey.xmlapi import blocks, render
from panelkey.xmlapi.request import Handler, Request

Each = Callable[[Callable[[Request, etree._Element, Any], list[render.Field]]], Handler]


def handler(block: str, each: Each, guard: Callable[[Request], None] | None = None) -> Handler:
    """The descriptor operation of `block`; `each` wraps a per-object act into the
    operator's one-result-per-object handler; `guard` (raising PermissionDenied) says
    who may ask at all."""

    def describe(_req: Request, _op: etree._Element, _obj: Any) -> list[render.Field]:
        return [("descriptor", blocks.descriptor(block))]

    per_object = each(describe)

    def answer(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
        if guard is not None:
            guard(req)
        flt = op.find("filter")
        if flt is None or not render.children(flt):
            return [render.ok([("descriptor", blocks.descriptor(block))])]
        return per_object(req, op)

    return answer
