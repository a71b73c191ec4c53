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

from collections.abc import Callable

from lxml import etree

from panelkey.core.databases import SERVER_NOT_FOUND, TYPES, DbServer, check_type
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store


def _data(s: DbServer) -> etree._Element:
    return render.element(
        "data",
        [
            ("host", s.host),
            ("port", s.port),
            ("type", s.type),
            ("admin", s.admin_login),
            ("status", "online"),
            ("db_num", s.db_count),
            ("default", str(s.is_default).lower()),
            ("local", str(s.is_local).lower()),
        ],
    )


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter`` with ``id``s (empty: every server): ``result/{status, id, data}``."""
    dbs = req.ctx.panel.databases
    try:
        dbs.require_admin(req.identity)
    except PanelkeyError as exc:
        return [render.error(exc)]
    flt = op.find("filter")
    ids = [(i.text or "").strip() for i in flt.findall("id")] if flt is not None else []
    if not ids:
        return [render.ok([("id", s.id), ("data", _data(s))]) for s in dbs.servers()]
    results: list[etree._Element] = []
    for asked in ids:
        server = dbs.server(int(asked))
        if server is None:
            results.append(render.error(NotFound(SERVER_NOT_FOUND), [("id", asked)]))
            continue
        results.append(render.ok([("id", server.id), ("data", _data(server))]))
    return results


@no_store
def get_supported_types(req: Request, op: etree._Element) -> list[etree._Element]:
    return [render.ok([("type", t) for t in TYPES])]


def _by_type(req: Request, op: etree._Element, *, local: bool) -> list[etree._Element]:
    dbs = req.ctx.panel.databases
    flt = op.find("filter")
    asked = [(t.text or "").strip() for t in flt.findall("type")] if flt is not None else []
    results: list[etree._Element] = []
    for kind in asked or list(TYPES):
        try:
            check_type(kind)
            server = dbs.local_server(kind) if local else dbs.default_server(kind)
            if server is None:
                raise NotFound(SERVER_NOT_FOUND)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("type", kind)]))
            continue
        results.append(render.ok([("type", kind), ("id", server.id)]))
    return results


def get_default(req: Request, op: etree._Element) -> list[etree._Element]:
    """Per ``type`` asked (none: every type): ``result/{status, type, id}``."""
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
