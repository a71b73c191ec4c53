"""Running a checked packet: every operation in document order, each in its own element."""

from __future__ import annotations

import functools
import logging

from lxml import etree

from panelkey import metrics
from panelkey.core.access.keypolicy import is_read
from panelkey.core.errors import MalformedRequest, PanelkeyError
from panelkey.core.identity import note, operation_label
from panelkey.store.outage import StoreUnavailable, is_store_failure, outage_of
from panelkey.xmlapi import render
from panelkey.xmlapi.budgets import Budget, Tally, answer_limit_error
from panelkey.xmlapi.operators import OPERATORS
from panelkey.xmlapi.request import FACE, Handler, Request, needs_store

log = logging.getLogger("panelkey.xmlapi")

# Each operator's name with its operations: element, handler and the element's name (read
# from lxml once, where the plan is made).
Plan = list[tuple[str, list[tuple[etree._Element, Handler, str]]]]


# What `plan` gives: the plan; whether any handler needs the store; the passwords the
# packet sets (counted when its budgets are checked); and the first operation the schema
# may know but no handler serves yet, which the caller raises once the schema has had
# its say, so that such a packet runs nothing. (A plain tuple: made for every packet.)
Planned = tuple[Plan, bool, int, MalformedRequest | None]


def plan(packet: etree._Element, budget: Budget | None = None) -> Planned:
    """Pair every operation with its handler before anything runs; with `budget`, check
    the packet's budgets on the same walk (budgets.Tally: LimitReached or InvalidValue
    raised at once), so that lxml makes each element's proxy once."""
    steps: Plan = []
    store = False
    unsupported: MalformedRequest | None = None
    tally = None if budget is None else Tally(packet, budget)
    for operator in packet if tally is None else tally.children:
        name = operator.tag
        if not isinstance(name, str):  # a comment or a processing instruction
            continue
        if tally is not None:
            text = operator.text
            if text or name == "filter":
                tally.element(operator, name, text)
        handlers = OPERATORS.get(name, _NO_HANDLERS)
        ops: list[tuple[etree._Element, Handler, str]] = []
        for op in operator:
            tag = op.tag
            if not isinstance(tag, str):
                continue
            if tally is not None:
                text = op.text
                if text or tag == "filter":
                    tally.element(op, tag, text)
                if len(op):
                    tally.below(op)
            handler = handlers.get(tag)
            if handler is None:
                if unsupported is None:
                    unsupported = MalformedRequest(
                        f"Request is invalid. Error in line {op.sourceline}: operation "
                        f"'{name}/{tag}' is not supported by this server"
                    )
                continue
            store = store or needs_store(handler)
            ops.append((op, handler, tag))
        steps.append((name, ops))
    passwords = 0 if tally is None else tally.finish(packet)
    return steps, store, passwords, unsupported


_NO_HANDLERS: dict[str, Handler] = {}


def count(steps: Plan) -> int:
    """The operations of a plan (a loop: a generator and `sum` cost more for one)."""
    n = 0
    for _, ops in steps:
        n += len(ops)
    return n


def label(steps: Plan) -> str:
    """The journal's label of a plan (identity.operation_label), a lone operation's made
    at once."""
    if len(steps) == 1 and len(steps[0][1]) == 1:
        operator, ((_, _, tag),) = steps[0]
        return f"{operator}/{tag}"
    return operation_label(f"{o}/{tag}" for o, ops in steps for _, _, tag in ops)


def only_reads(steps: Plan, limit: int) -> bool:
    """True for a packet of at most `limit` operations that only read (`get`, `get_info`,
    `get-domain-list`, ...): such a packet is cheaper run where it is than in a thread."""
    count = 0
    for operator, ops in steps:
        for _, _, tag in ops:
            count += 1
            if count > limit or not is_read(operator, tag):
                return False
    return True


def run(
    steps: Plan,
    req: Request,
    answer_limit: int | None = None,
    operations: int | None = None,
) -> bytes:
    """The answer packet, serialized as render.finish takes it. An error in one operation
    answers in that operation only.

    Each result is serialized as soon as its operation ran, so the answer's size is known
    as it grows: past `answer_limit` bytes of results, no further operation runs and each
    answers 1024, as does the read that passed the limit, in place of what it read. A
    packet of one operation is measured whole instead (`_lone_over_limit`).

    Once the store fails (store/outage.py), that operation and every one after it answer
    1023 without running: each has its own transaction, so nothing of them is kept, and
    none waits for a store known to be out. `operations`: the plan's `count`, when the
    caller has it already."""
    parts = [render.PACKET_OPEN]
    scope = req.identity.scope
    counting = metrics.enabled()
    faults = req.ctx.panel.faults
    # Asked once a packet: a rule armed while it runs applies from the next packet on.
    armed = faults.armed
    lone = (count(steps) if operations is None else operations) <= 1
    limit = None if lone else answer_limit
    size = 0
    over = False
    down: StoreUnavailable | None = None
    used = False  # an operation used the store and it answered
    for operator, ops in steps:
        opened, closed = _tags(operator)
        parts.append(opened)
        for op, handler, tag in ops:
            if over:
                assert limit is not None
                _add_wrapped(parts, tag, [render.result_bytes(_over(limit))])
                metrics.request("xml", f"{operator}/{tag}", "error")
                continue
            if down is not None:
                _add_wrapped(parts, tag, [render.result_bytes(render.error(down))])
                metrics.request("xml", f"{operator}/{tag}", "error")
                continue
            try:
                if scope is not None and not scope.allows(operator, tag):
                    # Outside the key's scope: this operation answers 1006, the rest run.
                    raise req.ctx.panel.auth.scope_denied(
                        req.identity, operator, tag, face=req.face, address=req.address
                    )
                # A fault injected on purpose (core/testing) answers before the operation runs.
                fault = faults.before(FACE, (f"{operator}/{tag}",), req.identity) if armed else None
                results = [_injected(fault.errcode, fault.errtext)] if fault else handler(req, op)
                used = used or (fault is None and needs_store(handler))
            except PanelkeyError as exc:
                results = [render.error(exc)]
            except Exception as exc:  # noqa: BLE001 - one broken operation must not sink the packet
                if is_store_failure(exc):
                    down = outage_of(req.ctx.panel.db).failed(exc)  # logged once an outage
                    note("reason", "store unavailable")
                else:
                    log.exception("xml %s/%s failed", operator, tag)
                results = [render.error(down or exc)]
            # A handler's result made once is bytes already: no call to serialize it. (A
            # loop: a list comprehension is a function call of its own.)
            blobs: list[bytes] = []
            for result in results:
                blobs.append(result if result.__class__ is bytes else render.result_bytes(result))
            if limit is not None:
                size += sum(len(b) for b in blobs)
                if size > limit:
                    over = True
                    if is_read(operator, tag):
                        blobs = [render.result_bytes(_over(limit))]
            _add_wrapped(parts, tag, blobs)
            if counting:
                failed = any(render.ERROR_STATUS in b for b in blobs)
                metrics.request("xml", f"{operator}/{tag}", "error" if failed else "ok")
        parts.append(closed)
    parts.append(render.PACKET_CLOSE)
    if used and down is None:
        outage_of(req.ctx.panel.db).ok()
    answer = b"".join(parts)
    if lone and answer_limit is not None and len(render.DECLARATION) + len(answer) > answer_limit:
        return _lone_over_limit(steps, answer, answer_limit) or answer
    return answer


@functools.lru_cache(maxsize=1024)
def _tags(name: str) -> tuple[bytes, bytes]:
    """An element's start and end tags as bytes, made once for each name (the operators:
    few, named by the schema)."""
    encoded = name.encode()
    return b"<" + encoded + b">", b"</" + encoded + b">"


def _injected(errcode: int | None, errtext: str) -> etree._Element:
    return render.element(
        "result", [("status", "error"), ("errcode", errcode), ("errtext", errtext)]
    )


def _over(limit: int) -> etree._Element:
    return render.error(answer_limit_error(limit))


def _add_wrapped(parts: list[bytes], tag: str, blobs: list[bytes]) -> None:
    """The operation's element around its serialized results, `<tag/>` when none, added
    to the answer's `parts` (joined once, with the rest of the answer)."""
    name = tag.encode()
    if not blobs:
        parts.append(b"<" + name + b"/>")
        return
    parts.append(b"<" + name + b">")
    parts += blobs
    parts.append(b"</" + name + b">")


def _lone_over_limit(steps: Plan, answer: bytes, limit: int) -> bytes | None:
    """For the answer of a packet of one operation past `limit` bytes: when that operation
    only read, the answer with it saying 1024 instead (nothing was written, nothing is
    lost). Else None."""
    operator, tag = next((o, tag) for o, ops in steps for _, _, tag in ops)
    if not is_read(operator, tag):
        return None  # a write ran: its answer stands
    name = operator.encode()
    parts = [render.PACKET_OPEN, b"<" + name + b">"]
    _add_wrapped(parts, tag, [render.result_bytes(_over(limit))])
    parts += (b"</" + name + b">", render.PACKET_CLOSE)
    return b"".join(parts)
