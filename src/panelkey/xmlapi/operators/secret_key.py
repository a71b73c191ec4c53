"""Operator ``secret_key``: ``create``, ``get_info``, ``delete``; the admin only.

Every other caller gets 1006 in each result. Listings show key ids, never values.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.access.keys import KeyInfo
from panelkey.core.errors import PermissionDenied
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, values

KEY_NOT_FOUND = "Key is not found"


# Keys by ``key`` (a value or an id), echoing what was asked.
KEYS: Filter[KeyInfo] = Filter(
    KEY_NOT_FOUND,
    {"key": one(lambda req, ref: req.ctx.panel.keys.find(ref))},
    lambda req: req.ctx.panel.keys.list(),
    echo="key",
    echo_id=False,
)


def _refused(asked: list[str]) -> list[etree._Element]:
    """Any caller but the admin: 1006, once per key asked (once for none)."""
    if not asked:
        return [render.error(PermissionDenied())]
    return [render.error(PermissionDenied(), [("key", ref)]) for ref in asked]


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        raise PermissionDenied()
    ips = (render.text_of(op, "ip_address") or "").strip()
    login = render.text_of(op, "login")
    value, _info = req.ctx.panel.keys.create(
        req.identity,
        addresses=ips or req.address,  # no address named: bound to the caller's
        description=render.text_of(op, "description") or "",
        login=login.strip() if login is not None else None,
        face=req.face,
        source_ip=req.address,
        expires=render.text_of(op, "expires"),
        scope=render.text_of(op, "scope"),
        rate=render.text_of(op, "rate"),
    )
    return [render.ok([("key", value)])]


def _key_info(info: KeyInfo) -> etree._Element:
    fields: list[render.Field] = [
        ("key", info.id),
        ("ip_address", ",".join(info.ips)),
        ("description", info.description),
        ("login", info.login),
    ]
    if not info.plain:
        # panelkey's extensions, after Plesk's elements: a plain key keeps Plesk's shape.
        fields += [
            ("expires", info.expires or ""),
            ("scope", ",".join(info.scope)),
            ("rate", info.rate),
            ("requests", info.requests),
            ("refusals", info.refusals),
        ]
    return render.element("key_info", fields)


def get_info(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    flt = op.find("filter")
    if not req.identity.is_admin:
        return _refused(values(flt, "key"))
    return KEYS.get(KEYS.select(req, flt), lambda info: [("key_info", _key_info(info))])


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    """Each key asked (by value or id; the core says 1013 for one not there), or all."""
    asked = values(op.find("filter"), "key")
    if not req.identity.is_admin:
        return _refused(asked)
    keys = req.ctx.panel.keys
    if not asked:
        infos = keys.delete_all(req.identity, face=req.face, source_ip=req.address)
        return [render.ok([("key", i.id)]) for i in infos] or [render.ok()]

    def deleted(ref: str) -> list[render.Field]:
        info = keys.delete(req.identity, ref, face=req.face, source_ip=req.address)
        return [("key", info.id)]

    return [render.outcome(partial(deleted, ref), failed=[("key", ref)]) for ref in asked]


OPERATIONS: Operator = {"create": create, "get_info": get_info, "delete": delete}
