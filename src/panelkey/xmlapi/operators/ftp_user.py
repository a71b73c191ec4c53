"""Operator ``ftp-user``: ``add``, ``get``, ``set``, ``del``.

``add`` > ``name``, ``password``, ``home``? (left out: the subscription's root, as
Plesk does), ``create-non-existent``? (accepted: nothing is on disk), ``quota``?,
``permissions``? (``read``, ``write``), then ``webspace-id`` | ``webspace-name`` ->
``id``. ``get`` answers ``filter-id``, ``id``, ``name``, ``home``,
``quota``, ``permissions``, ``webspace-id`` (never a password). Filters: ``id``,
``name``, ``webspace-id``, ``webspace-name``. ``get``, ``set`` and ``del`` also take a
``webspace-id`` | ``webspace-name`` beside the filter (Plesk's): the filter is read in
that subscription only (an FTP user of another one is a miss; an empty filter, all of
its FTP users). An FTP user out of reach is 1013 ``FTP user does not exist``; a
subscription out of reach 1013 ``Webspace does not exist``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from panelkey.core.content.ftp_users import NOT_FOUND, FtpUser
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.selection import (
    Hit,
    answer_each,
    boolean,
    flag,
    miss,
    one,
    select,
)
from panelkey.xmlapi.operators.site import WEBSPACE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request


def _webspace(req: Request, kind: str, value: str) -> Domain | None:
    domains = req.ctx.panel.domains
    found = domains.get(req.identity, int(value)) if kind.endswith("-id") else None
    if kind.endswith("-name"):
        found = domains.by_name(req.identity, value)
    return found if found is not None and found.is_webspace else None


def _values(parent: etree._Element) -> dict[str, Any]:
    """The model's values of ``name``, ``password``, ``home``, ``quota``, ``permissions``."""
    values: dict[str, Any] = {
        k: render.text_of(parent, k) for k in ("name", "password", "home", "quota")
    }
    flag(render.text_of(parent, "create-non-existent"), "create-non-existent")
    perms = parent.find("permissions")
    if perms is not None:
        values["read"] = flag(render.text_of(perms, "read"), "read")
        values["write"] = flag(render.text_of(perms, "write"), "write")
    return values


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    try:
        kind = "webspace-id" if op.find("webspace-id") is not None else "webspace-name"
        webspace = _webspace(req, kind, (render.text_of(op, kind) or "").strip())
        if webspace is None:
            raise NotFound(WEBSPACE_NOT_FOUND)
        values = _values(op)
        made = req.ctx.panel.ftp_users.create(
            req.identity,
            webspace,
            name=values["name"] or "",
            password=values["password"] or "",
            home=values["home"],
            quota=values["quota"] if values["quota"] is not None else -1,
            read=values.get("read") is not False,
            write=bool(values.get("write")),
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", made.id)])]


def _scope(req: Request, op: etree._Element) -> Domain | None:
    """The subscription named beside the filter (the schema allows one), or None when
    none is. Raises NotFound (out of reach)."""
    named = [e for e in op if e.tag in ("webspace-id", "webspace-name")]
    if not named:
        return None
    webspace = _webspace(req, str(named[0].tag), (named[0].text or "").strip())
    if webspace is None:
        raise NotFound(WEBSPACE_NOT_FOUND)
    return webspace


def _hits(req: Request, op: etree._Element) -> list[Hit[FtpUser]]:
    """The filter's hits, read in the subscription beside it when one is named. Raises
    NotFound (see `_scope`)."""
    users, who = req.ctx.panel.ftp_users, req.identity
    scope = _scope(req, op)
    if scope is not None:
        home = scope.base_domain_id or scope.id
        return [
            h
            if h.obj is None or h.obj.domain_id == home
            else Hit(h.filter_id, None, True, h.asked_id)
            for h in _select(req, op, lambda: users.list(who, scope))
        ]
    return _select(req, op, lambda: users.list(who))


def _select(
    req: Request, op: etree._Element, everything: Callable[[], list[FtpUser]]
) -> list[Hit[FtpUser]]:
    users, who = req.ctx.panel.ftp_users, req.identity

    def of(kind: str) -> Any:
        def resolve(value: str) -> list[FtpUser] | None:
            webspace = _webspace(req, kind, value)
            return None if webspace is None else users.list(who, webspace)

        return resolve

    return select(
        op.find("filter"),
        everything,
        {
            "id": lambda v: one(users.get(who, int(v))),
            "name": lambda v: one(users.by_name(who, v)),
            "webspace-id": of("webspace-id"),
            "webspace-name": of("webspace-name"),
        },
    )


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    results: list[etree._Element] = []
    try:
        hits = _hits(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    for hit in hits:
        if hit.miss:
            results.append(miss(hit, NOT_FOUND))
            continue
        u = hit.obj
        if u is None:
            results.append(render.ok([("filter-id", hit.filter_id)]))
            continue
        perms = render.element(
            "permissions", [("read", boolean(u.read)), ("write", boolean(u.write))]
        )
        results.append(
            render.ok(
                [
                    ("filter-id", hit.filter_id),
                    ("id", u.id),
                    ("name", u.name),
                    ("home", u.home),
                    ("quota", u.quota),
                    ("permissions", perms),
                    ("webspace-id", u.domain_id),
                ]
            )
        )
    return results or [render.ok()]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``values``: one result (``filter-id``, ``id``) per FTP user."""
    users = req.ctx.panel.ftp_users
    values = op.find("values")
    assert values is not None  # the schema requires it
    try:
        hits = _hits(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    return answer_each(hits, NOT_FOUND, lambda u: users.update(req.identity, u, _values(values)))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    users = req.ctx.panel.ftp_users
    try:
        hits = _hits(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    return answer_each(hits, NOT_FOUND, lambda u: users.delete(req.identity, u))


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}
