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

from collections.abc import Sequence
from functools import partial
from typing import Any

from lxml import etree

from panelkey.core.content.ftp_users import NOT_FOUND, FtpUser
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.owned import in_site
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, Hit
from panelkey.xmlapi.values import SWITCH, boolean, flag

_WEBSPACE_REFS = ("id", "name")


def _values(parent: etree._Element) -> dict[str, Any]:
    """The model's values of ``name``, ``password``, ``home``, ``quota``, ``permissions``."""
    values: dict[str, Any] = {
        k: render.text_of(parent, k) for k in ("name", "password", "home", "quota")
    }
    flag(render.text_of(parent, "create-non-existent"), "create-non-existent", SWITCH)
    perms = parent.find("permissions")
    if perms is not None:
        values["read"] = flag(render.text_of(perms, "read"), "read", SWITCH)
        values["write"] = flag(render.text_of(perms, "write"), "write", SWITCH)
    return values


def add(req: Request, op: etree._Element) -> list[etree._Element]:
    webspace = reach.domain_of(req, op, "webspace-", kinds=_WEBSPACE_REFS, is_webspace=True)
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
    return [render.ok([("id", made.id)])]


FILTER: Filter[FtpUser] = in_site(
    lambda req: req.ctx.panel.ftp_users,
    NOT_FOUND,
    {f"webspace-{k}": reach.webspace(k) for k in _WEBSPACE_REFS},
)


def _hits(req: Request, op: etree._Element) -> list[Hit[FtpUser]]:
    """The filter's hits, read in the subscription named beside it when one is (the
    schema allows one): an FTP user of another subscription is a miss, an empty filter
    all of that one's. Raises NotFound for a subscription out of reach."""
    flt = op.find("filter")
    if reach.named(op, "webspace-", _WEBSPACE_REFS) is None:
        return FILTER.select(req, flt)
    scope = reach.domain_of(req, op, "webspace-", kinds=_WEBSPACE_REFS, is_webspace=True)
    home = scope.base_domain_id or scope.id
    return [
        h if h.obj is None or h.obj.domain_id == home else FILTER.missed(h)
        for h in FILTER.select(
            req, flt, lambda req: req.ctx.panel.ftp_users.list(req.identity, scope)
        )
    ]


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    def fields(u: FtpUser) -> list[render.Field]:
        perms = render.element(
            "permissions", [("read", boolean(u.read)), ("write", boolean(u.write))]
        )
        return [
            ("id", u.id),
            ("name", u.name),
            ("home", u.home),
            ("quota", u.quota),
            ("permissions", perms),
            ("webspace-id", u.domain_id),
        ]

    return FILTER.get(_hits(req, op), fields)


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``values``: one result (``filter-id``, ``id``) per FTP user."""
    values = op.find("values")
    assert values is not None  # the schema requires it

    users = req.ctx.panel.ftp_users
    return FILTER.each(_hits(req, op), lambda u: users.update(req.identity, u, _values(values)))


def del_(req: Request, op: etree._Element) -> list[etree._Element]:
    return FILTER.each(_hits(req, op), partial(req.ctx.panel.ftp_users.delete, req.identity))


OPERATIONS: Operator = {"add": add, "get": get, "set": set_, "del": del_}
