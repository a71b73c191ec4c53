"""Operator ``session``: ``get`` (live panel sessions) and ``terminate``.

Sessions are made by ``server/create_session``. A listing shows each session's
``id`` as create_session returned it (kept sealed under the server's session key, see
core/access/sessions.py); ``terminate`` takes that id or its public handle.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.access.sessions import Session
from panelkey.core.errors import PermissionDenied
from panelkey.core.identity import AccountType
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request


def _login_time(s: Session) -> str:
    return s.created.replace("T", " ").removesuffix("Z")


def _session(s: Session) -> etree._Element:
    return render.element(
        "session",
        [
            ("id", s.session_id or s.handle),
            ("type", s.type),
            ("ip-address", s.ip),
            ("login", s.login),
            ("login-time", _login_time(s)),
            ("idle", s.idle_seconds()),
        ],
    )


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    found = req.ctx.panel.sessions.list(req.identity)
    return [render.ok([("session", _session(s)) for s in found])]


def terminate(req: Request, op: etree._Element) -> list[etree._Element]:
    if req.identity.type == AccountType.CUSTOMER.value:
        raise PermissionDenied()
    req.ctx.panel.sessions.terminate(req.identity, op.findtext("session-id") or "")
    return [render.ok()]


OPERATIONS: Operator = {"get": get, "terminate": terminate}
