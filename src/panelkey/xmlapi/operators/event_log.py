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
from panelkey.xmlapi.values import flag, flag_of


def _time(e: Event) -> int:
    return calendar.timegm(time.strptime(e.at, "%Y-%m-%dT%H:%M:%SZ"))


def _admin_only(req: Request) -> None:
    if not req.identity.is_admin:
        raise PermissionDenied()


def _kinds(parent: etree._Element) -> list[tuple[str, str]]:
    """The (type, class) pairs asked for: each `events/event`, or the pair straight in
    `events` as panelkey took it before 1.6.9.1's shape."""
    pairs: list[tuple[str, str]] = []
    for group in parent.findall("events"):
        for kind in group.findall("event") or [group]:
            pairs.append(
                ((kind.findtext("type") or "").strip(), (kind.findtext("class") or "").strip())
            )
    return pairs


def _matching(req: Request, last: int, wanted: list[tuple[str, str]]) -> list[Event]:
    def matches(e: Event) -> bool:
        return not wanted or any(
            (not t or t in (e.action, e.action.removeprefix(f"{e.obj_class}_")))
            and (not c or c == e.obj_class)
            for t, c in wanted
        )

    return [e for e in req.ctx.panel.events.list(after_id=last) if matches(e)]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    """The whole log; `flush_selected_range`, given straight or in `options` as Plesk's
    protocol has it (there an empty element means true), deletes what was read."""
    _admin_only(req)
    found = _matching(req, 0, [])
    flush = bool(
        flag(op.findtext("flush_selected_range"), "flush_selected_range")
        or flag_of(op.find("options/flush_selected_range"))
    )
    if flush and found:
        # The log is flushed up to the last event read (core.events clears by id).
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
    """Events after `lastId` of the kinds asked, each with the elements of Plesk's
    output schema only: id, type, time, class, obj_id, user, host."""
    _admin_only(req)
    last = int((op.findtext("lastId") or "0").strip() or 0)
    found = _matching(req, last, _kinds(op))
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
                            ("user", e.actor),
                            ("host", ""),
                        ],
                    ),
                )
                for e in found
            ]
        )
    ]


def get_last_id(req: Request, op: etree._Element) -> list[etree._Element]:
    _admin_only(req)
    return [render.ok([("id", req.ctx.panel.events.last_id())])]


OPERATIONS: Operator = {"get": get, "get_events": get_events, "get-last-id": get_last_id}
