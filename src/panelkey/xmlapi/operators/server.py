"""Operator ``server``: ``get_protos`` (everyone) and ``get`` (the admin)."""

from __future__ import annotations

import copy

from lxml import etree

from panelkey.core.errors import PermissionDenied
from panelkey.xmlapi import render
from panelkey.xmlapi.parsing import SUPPORTED_VERSIONS
from panelkey.xmlapi.request import Operator, Request, no_store


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


_PROTOS = tuple(sorted(SUPPORTED_VERSIONS, key=_version_key))
# Built once: the hot path copies it (in C) rather than building 30-odd elements.
_PROTOS_RESULT = render.ok([("protos", render.element("protos", [("proto", v) for v in _PROTOS]))])


@no_store
def get_protos(req: Request, op: etree._Element) -> list[etree._Element]:
    return [copy.deepcopy(_PROTOS_RESULT)]


def _gen_info(req: Request) -> etree._Element:
    info = req.ctx.info
    return render.element(
        "gen_info",
        [("server_name", info.hostname), ("server_guid", info.guid), ("mode", "standard")],
    )


# The sections of server/get this server fills; the others the schema accepts are
# answered by leaving them out, as Plesk leaves out what does not apply.
_SECTIONS = {"gen_info": _gen_info}


@no_store
def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        return [render.error(PermissionDenied())]
    asked = [str(c.tag) for c in render.children(op)] or list(_SECTIONS)
    return [render.ok([(name, _SECTIONS[name](req)) for name in asked if name in _SECTIONS])]


OPERATIONS: Operator = {"get_protos": get_protos, "get": get}
