"""Operator ``db_server``: the database servers (``get``), the types served
(``get-supported-types``) and each type's default and local server (``get-default``,
``get-local``).

The servers are the local MySQL and PostgreSQL made at first start. ``get`` shows a
server's details (its administrator's login among them) and is the administrator's
only (1006 for others); the other three are read by any caller, since a customer
needs a server id to put a database on.

``add``, ``set``, ``del`` and ``set-default`` are the administrator's (1006 for
others): each answers ``result/{status, id}``. panelkey connects to no server: an
entry is kept (host, port, type, administrator login; the password is never stored).
A server with databases, a local one or a type's default cannot be removed (1023).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from lxml import etree

from panelkey.core.databases import (
    SERVER_NOT_FOUND,
    SERVERS_ADMIN_ONLY,
    TYPES,
    DbServer,
    check_type,
)
from panelkey.core.errors import PanelkeyError
from panelkey.core.identity import require_admin
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.select import Filter, by_id, one, required, values
from panelkey.xmlapi.values import boolean

FILTER: Filter[DbServer] = Filter(
    SERVER_NOT_FOUND,
    {"id": one(by_id(lambda req, i: req.ctx.panel.databases.server(i)))},
    lambda req: req.ctx.panel.databases.servers(),
    echo="id",
    echo_id=False,
)


def _data(s: DbServer) -> list[render.Field]:
    data = render.element(
        "data",
        [
            ("host", s.host),
            ("port", s.port),
            ("type", s.type),
            ("admin", s.admin_login),
            ("status", "online"),
            ("db_num", s.db_count),
            ("default", boolean(s.is_default)),
            ("local", boolean(s.is_local)),
        ],
    )
    return [("id", s.id), ("data", data)]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """``filter`` with ``id``s (empty: every server): ``result/{status, id, data}``."""
    require_admin(req.identity, SERVERS_ADMIN_ONLY)
    return FILTER.read(req, op, _data)


@no_store
def get_supported_types(req: Request, op: etree._Element) -> list[etree._Element]:
    return [render.ok([("type", t) for t in TYPES])]


def _server(req: Request, kind: str, *, local: bool) -> list[render.Field]:
    dbs = req.ctx.panel.databases
    check_type(kind)
    server = dbs.local_server(kind) if local else dbs.default_server(kind)
    return [("id", required(server, SERVER_NOT_FOUND).id)]


def _by_type(req: Request, op: etree._Element, *, local: bool) -> list[etree._Element]:
    """Per ``type`` asked (none: every type): ``result/{status, type, id}``."""
    return [
        render.outcome(partial(_server, req, kind, local=local), [("type", kind)])
        for kind in values(op.find("filter"), "type") or list(TYPES)
    ]


def get_default(req: Request, op: etree._Element) -> list[etree._Element]:
    return _by_type(req, op, local=False)


def get_local(req: Request, op: etree._Element) -> list[etree._Element]:
    return _by_type(req, op, local=True)


def _answer(op: etree._Element, act: Callable[[], DbServer]) -> list[etree._Element]:
    try:
        server = act()
    except PanelkeyError as exc:
        given = render.text_of(op, "id")
        return [render.error(exc, [("id", given.strip())] if given else [])]
    return [render.ok([("id", server.id)])]


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    """``host``, ``port``, ``type``, ``admin``, ``password``?, ``default``?."""
    return _answer(
        op,
        lambda: req.ctx.panel.db_servers.add(
            req.identity,
            host=render.text_of(op, "host") or "",
            port=render.text_of(op, "port") or "",
            type=render.text_of(op, "type") or "",
            admin=render.text_of(op, "admin") or "",
            default=op.find("default") is not None,
        ),
    )


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``host``, ``port``, ``admin``, ``password``?, ``id``."""
    return _answer(
        op,
        lambda: req.ctx.panel.db_servers.update(
            req.identity,
            int((render.text_of(op, "id") or "0").strip()),
            host=render.text_of(op, "host") or "",
            port=render.text_of(op, "port") or "",
            admin=render.text_of(op, "admin") or "",
        ),
    )


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return _answer(
        op,
        lambda: req.ctx.panel.db_servers.delete(
            req.identity, int((render.text_of(op, "id") or "0").strip())
        ),
    )


def set_default(req: Request, op: etree._Element) -> list[etree._Element]:
    """``id`` (that server) or ``type`` (the type's local server)."""
    given = render.text_of(op, "id")
    return _answer(
        op,
        lambda: req.ctx.panel.db_servers.set_default(
            req.identity,
            server_id=int(given.strip()) if given is not None else None,
            type=render.text_of(op, "type"),
        ),
    )


OPERATIONS: Operator = {
    "get": get,
    "get-supported-types": get_supported_types,
    "get-default": get_default,
    "get-local": get_local,
    "add": add,
    "set": set_,
    "del": del_,
    "set-default": set_default,
}
