"""What an operation handler is given, and how it says it needs no store.

A handler is a plain function::

    def handler(req: Request, op: etree._Element) -> list[etree._Element]

``op`` is the request's operation element (``<create>``, ``<get>``...), already
checked against agent.xsd. The handler returns the children of the answer's
operation element, usually one ``<result>`` per object (see render.py); a result
that is the same for every request may be given as its bytes, made once. It may
raise a core error (PanelkeyError) to answer the whole operation with one error
result; errors about one object belong in that object's result instead.

Handlers run in a worker thread and may call the store through ``req.ctx.panel``,
unless marked with ``@no_store``: a packet made only of such operations runs on
the event loop. So mark a handler ``@no_store`` only when it does no I/O and its
answer depends on nothing but ``op``, ``req.identity`` and the fixed ``req.ctx.info``.
No answer is remembered: every packet is parsed and run, and checked unless the
very same bytes passed the checks before (checked.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity

FACE = "xml"


class Request(NamedTuple):
    """The authenticated caller of one packet (a tuple: made for every packet, it costs
    a third of a frozen dataclass)."""

    ctx: Context
    identity: Identity
    address: str
    face: str = FACE


_tuple_new = tuple.__new__


def request_of(ctx: Context, identity: Identity, address: str) -> Request:
    """The Request of a packet: tuple.__new__ in C, without the named tuple's __new__ in
    Python (half the cost of making one)."""
    return _tuple_new(Request, (ctx, identity, address, FACE))


Handler = Callable[[Request, etree._Element], Sequence[etree._Element | bytes]]
Operator = dict[str, Handler]

_H = TypeVar("_H", bound=Handler)
_NO_STORE: set[Handler] = set()


def no_store(handler: _H) -> _H:
    """Mark a handler that does no I/O and answers from (op, identity, ctx.info) alone:
    it runs on the event loop."""
    _NO_STORE.add(handler)
    return handler


def needs_store(handler: Handler) -> bool:
    return handler not in _NO_STORE
