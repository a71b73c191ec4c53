"""Running a checked packet: every operation in document order, each in its own element."""

from __future__ import annotations

import logging

from lxml import etree

from panelkey.core.errors import MalformedRequest, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators import OPERATORS
from panelkey.xmlapi.request import Handler, Request, needs_store

log = logging.getLogger("panelkey.xmlapi")

Plan = list[tuple[str, list[tuple[etree._Element, Handler]]]]


def plan(packet: etree._Element) -> tuple[Plan, bool]:
    """Pair every operation with its handler before anything runs.

    Returns the plan and whether any handler needs the store. Raises MalformedRequest
    for an operation the schema knows but no handler serves yet, so that such a packet
    runs nothing at all.
    """
    steps: Plan = []
    store = False
    for operator in render.children(packet):
        handlers = OPERATORS.get(str(operator.tag), {})
        ops: list[tuple[etree._Element, Handler]] = []
        for op in render.children(operator):
            handler = handlers.get(str(op.tag))
            if handler is None:
                raise MalformedRequest(
                    f"Request is invalid. Error in line {op.sourceline}: operation "
                    f"'{operator.tag}/{op.tag}' is not supported by this server"
                )
            store = store or needs_store(handler)
            ops.append((op, handler))
        steps.append((str(operator.tag), ops))
    return steps, store


def run(steps: Plan, req: Request) -> etree._Element:
    """The answer packet. An error in one operation answers in that operation only."""
    root = render.packet()
    for operator, ops in steps:
        answer = etree.SubElement(root, operator)
        for op, handler in ops:
            out = etree.SubElement(answer, str(op.tag))
            try:
                results = handler(req, op)
            except PanelkeyError as exc:
                results = [render.error(exc)]
            except Exception as exc:  # noqa: BLE001 - one broken operation must not sink the packet
                log.exception("xml %s/%s failed", operator, op.tag)
                results = [render.error(exc)]
            out.extend(results)
    return root
