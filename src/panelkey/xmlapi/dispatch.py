"""Running a checked packet: every operation in document order, each in its own element."""

from __future__ import annotations

import logging

from lxml import etree

from panelkey import metrics
from panelkey.core.errors import MalformedRequest, PanelkeyError
from panelkey.core.keypolicy import is_read
from panelkey.xmlapi import render
from panelkey.xmlapi.budgets import answer_limit_error
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


def only_reads(steps: Plan, limit: int) -> bool:
    """True for a packet of at most `limit` operations that only read (`get`, `get_info`,
    `get-domain-list`, ...): such a packet is cheaper run where it is than in a thread."""
    count = 0
    for operator, ops in steps:
        for op, _ in ops:
            count += 1
            if count > limit or not is_read(operator, str(op.tag)):
                return False
    return True


def run(steps: Plan, req: Request, answer_limit: int | None = None) -> etree._Element:
    """The answer packet. An error in one operation answers in that operation only.

    Past `answer_limit` bytes of answer, no further operation runs: each answers 1024,
    and so does the read that passed the limit, in place of what it read. A packet of
    one operation is measured once serialized instead (`over_limit`), at no extra cost."""
    root = render.packet()
    scope = req.identity.scope
    size = 0
    over = False
    if answer_limit is not None and sum(len(ops) for _, ops in steps) <= 1:
        answer_limit = None
    for operator, ops in steps:
        answer = etree.SubElement(root, operator)
        for op, handler in ops:
            out = etree.SubElement(answer, str(op.tag))
            if over:
                assert answer_limit is not None
                out.append(render.error(answer_limit_error(answer_limit)))
                metrics.request("xml", f"{operator}/{op.tag}", "error")
                continue
            try:
                if scope is not None and not scope.allows(operator, str(op.tag)):
                    # Outside the key's scope: this operation answers 1006, the rest run.
                    raise req.ctx.panel.auth.scope_denied(
                        req.identity, operator, str(op.tag), face=req.face, address=req.address
                    )
                results = handler(req, op)
            except PanelkeyError as exc:
                results = [render.error(exc)]
            except Exception as exc:  # noqa: BLE001 - one broken operation must not sink the packet
                log.exception("xml %s/%s failed", operator, op.tag)
                results = [render.error(exc)]
            if answer_limit is not None:
                size += sum(len(etree.tostring(r)) for r in results)
                if size > answer_limit:
                    over = True
                    if is_read(operator, str(op.tag)):
                        results = [render.error(answer_limit_error(answer_limit))]
            out.extend(results)
            failed = any(render.text_of(r, "status") == "error" for r in results)
            metrics.request("xml", f"{operator}/{op.tag}", "error" if failed else "ok")
    return root


def over_limit(steps: Plan, answer: bytes, limit: int) -> etree._Element | None:
    """For the serialized answer of a packet of one operation (`run` measures bigger
    packets as they run): past `limit` bytes, when that operation only read, the answer
    with it saying 1024 instead (nothing was written, nothing is lost). Else None."""
    if len(answer) <= limit or sum(len(ops) for _, ops in steps) != 1:
        return None
    operator, op = next((o, op) for o, ops in steps for op, _ in ops)
    if not is_read(operator, str(op.tag)):
        return None  # a write ran: its answer stands
    root = render.packet()
    out = etree.SubElement(etree.SubElement(root, operator), str(op.tag))
    out.append(render.error(answer_limit_error(limit)))
    return root
