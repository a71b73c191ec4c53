"""Operator ``event_log``: ``get``, ``get_events``, ``get-last-id`` (the admin only).

Every create, change and delete done through panelkey, whatever the face, is one
event: ``type`` is Plesk's action name (``client_create``), ``class`` the object
class (``client``), ``time`` a Unix timestamp.
"""

from __future__ import annotations

import calendar
import time

from lxml import etree

from panelkey.core.errors import PermissionDenied
from panelkey.core.events import Event
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request


def _time(e: Event) -> int:
    return calendar.timegm(time.strptime(e.at, "%Y-%m-%dT%H:%M:%SZ"))


def _values(tag: str, values: dict[str, str]) -> etree._Element:
    return render.element(
        tag,
        [
            ("field", render.element("field", [("name", k), ("value", v)]))
            for k, v in values.items()
        ],
    )


def _admin_only(req: Request) -> etree._Element | None:
    return None if req.identity.is_admin else render.error(PermissionDenied())


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if (refused := _admin_only(req)) is not None:
        return [refused]
    found = req.ctx.panel.events.list()
    if (op.findtext("flush_selected_range") or "").strip() in ("true", "1") and found:
        req.ctx.panel.events.clear(found[-1].id)
    return [
        render.ok(
            [
                (
                    "event",
                    render.element(
                        "event",
                        [
                            ("type", e.action),
                            ("time", _time(e)),
                            ("class", e.obj_class),
                            ("id", e.obj_id),
                        ],
                    ),
                )
                for e in found
            ]
        )
    ]


def get_events(req: Request, op: etree._Element) -> list[etree._Element]:
    if (refused := _admin_only(req)) is not None:
        return [refused]
    last = int((op.findtext("lastId") or "0").strip() or 0)
    wanted = [
        ((f.findtext("type") or "").strip(), (f.findtext("class") or "").strip())
        for f in op.findall("events")
    ]

    def matches(e: Event) -> bool:
        return not wanted or any(
            (not t or t in (e.action, e.action.removeprefix(f"{e.obj_class}_")))
            and (not c or c == e.obj_class)
            for t, c in wanted
        )

    found = [e for e in req.ctx.panel.events.list(after_id=last) if matches(e)]
    return [
        render.ok(
            [
                (
                    "event",
                    render.element(
                        "event",
                        [
                            ("id", e.id),
                            ("type", e.action),
                            ("time", _time(e)),
                            ("class", e.obj_class),
                            ("obj_id", e.obj_id),
                            ("obj_name", e.obj_name),
                            ("user", e.actor),
                            ("host", ""),
                            ("old", _values("old", e.old_values)),
                            ("new", _values("new", e.new_values)),
                        ],
                    ),
                )
                for e in found
            ]
        )
    ]


def get_last_id(req: Request, op: etree._Element) -> list[etree._Element]:
    if (refused := _admin_only(req)) is not None:
        return [refused]
    return [render.ok([("id", req.ctx.panel.events.last_id())])]


OPERATIONS: Operator = {"get": get, "get_events": get_events, "get-last-id": get_last_id}
