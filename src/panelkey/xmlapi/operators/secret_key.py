"""Operator ``secret_key``: ``create``, ``get_info``, ``delete``; the admin only.

Every other caller gets 1006 in each result. Listings show key ids, never values.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.access.keys import KeyInfo
from panelkey.core.errors import NotFound, PanelkeyError, PermissionDenied
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request

KEY_NOT_FOUND = "Key is not found"
KEY_DOES_NOT_EXIST = "Secret key does not exist"


def _asked(op: etree._Element) -> list[str]:
    """The ``filter/key`` values as given; empty means every key."""
    flt = op.find("filter")
    return [] if flt is None else [k.text or "" for k in flt.findall("key")]


def _refuse_all(asked: list[str]) -> list[etree._Element]:
    if not asked:
        return [render.error(PermissionDenied())]
    return [render.error(PermissionDenied(), [("key", ref)]) for ref in asked]


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        return [render.error(PermissionDenied())]
    ips = (render.text_of(op, "ip_address") or "").strip()
    login = render.text_of(op, "login")
    try:
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
    except PanelkeyError as exc:
        return [render.error(exc)]
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


def get_info(req: Request, op: etree._Element) -> list[etree._Element]:
    asked = _asked(op)
    if not req.identity.is_admin:
        return _refuse_all(asked)
    keys = req.ctx.panel.keys
    if not asked:
        infos = keys.list()
        return [render.ok([("key_info", _key_info(i))]) for i in infos] or [render.ok()]
    results = []
    for ref in asked:
        info = keys.find(ref)
        if info is None:
            results.append(render.error(NotFound(KEY_NOT_FOUND), [("key", ref)]))
        else:
            results.append(render.ok([("key_info", _key_info(info))]))
    return results


def delete(req: Request, op: etree._Element) -> list[etree._Element]:
    asked = _asked(op)
    if not req.identity.is_admin:
        return _refuse_all(asked)
    keys = req.ctx.panel.keys
    if not asked:
        infos = keys.delete_all(req.identity, face=req.face, source_ip=req.address)
        return [render.ok([("key", i.id)]) for i in infos] or [render.ok()]
    results = []
    for ref in asked:
        try:
            info = keys.delete(req.identity, ref, face=req.face, source_ip=req.address)
        except NotFound:
            results.append(render.error(NotFound(KEY_DOES_NOT_EXIST), [("key", ref)]))
        except PanelkeyError as exc:
            results.append(render.error(exc, [("key", ref)]))
        else:
            results.append(render.ok([("key", info.id)]))
    return results


OPERATIONS: Operator = {"create": create, "get_info": get_info, "delete": delete}
