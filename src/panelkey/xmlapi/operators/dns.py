"""Operator ``dns``: ``get_rec``, ``add_rec``, ``del_rec`` over the zones of sites.

Hosts are answered absolute with a trailing dot; a relative host on input (``www``,
``_acme-challenge``, empty for the apex) is made absolute in the site's zone, and
an absolute one must lie inside it. ``opt`` carries the MX priority. Records of a
zone the caller may not see answer 1013, as if they did not exist.

Filters hold children of one kind: ``id`` (records), ``site-id`` (zones),
``dns-zone-name`` (zones by name) or ``site-alias-id`` (panelkey has no aliases:
always 1013). An empty filter means every record the caller may see, as in Plesk.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from panelkey.core.dns import Record
from panelkey.core.domains import Domain
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.site import SITE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request

RECORD_NOT_FOUND = "DNS record does not exist"
ALIAS_NOT_FOUND = "Site alias does not exist"


@dataclass(frozen=True, slots=True)
class Found:
    """A record a filter named, or the error result for what it named in vain."""

    record: Record | None = None
    error: etree._Element | None = None


def _zone(req: Request, kind: str, value: str) -> Domain | None:
    domains = req.ctx.panel.domains
    if kind == "site-id":
        return domains.get(req.identity, int(value))
    if kind == "dns-zone-name":
        return domains.by_name(req.identity, value)
    return None


def select(req: Request, flt: etree._Element | None) -> list[Found]:
    """The records a filter names, in request order."""
    panel = req.ctx.panel
    items = [] if flt is None else render.children(flt)
    if not items:
        return [
            Found(r)
            for d in panel.domains.list(req.identity)
            for r in panel.dns.records(req.identity, d)
        ]
    found: list[Found] = []
    for item in items:
        kind, value = str(item.tag), (item.text or "").strip()
        if kind == "id":
            record = panel.dns.get(req.identity, int(value))
            if record is None:
                found.append(Found(error=render.error(NotFound(RECORD_NOT_FOUND), [("id", value)])))
            else:
                found.append(Found(record))
            continue
        if kind == "site-alias-id":
            found.append(Found(error=render.error(NotFound(ALIAS_NOT_FOUND))))
            continue
        zone = _zone(req, kind, value)
        if zone is None:
            found.append(Found(error=render.error(NotFound(SITE_NOT_FOUND))))
            continue
        found += [Found(r) for r in panel.dns.records(req.identity, zone)]
    return found


def _record_result(r: Record) -> etree._Element:
    data = render.element(
        "data",
        [
            ("site-id", r.domain_id),
            ("type", r.type),
            ("host", r.host),
            ("value", r.value),
            ("opt", r.opt),
        ],
    )
    return render.ok([("id", r.id), ("data", data)])


def get_rec(req: Request, op: etree._Element) -> list[etree._Element]:
    results = [
        f.error if f.record is None else _record_result(f.record)
        for f in select(req, op.find("filter"))
    ]
    return [r for r in results if r is not None] or [render.ok()]


def add_rec(req: Request, op: etree._Element) -> list[etree._Element]:
    """(``site-id`` | ``site-alias-id``), ``type``, ``host``, ``value``, ``opt``?."""
    if render.text_of(op, "site-alias-id") is not None:
        return [render.error(NotFound(ALIAS_NOT_FOUND))]
    site_id = render.text_of(op, "site-id") or ""
    zone = req.ctx.panel.domains.get(req.identity, int(site_id.strip()))
    if zone is None:
        return [render.error(NotFound(SITE_NOT_FOUND))]
    host = (render.text_of(op, "host") or "").strip()
    try:
        # The core makes the host absolute and refuses one outside the zone (1019).
        record = req.ctx.panel.dns.add(
            req.identity,
            zone,
            type=(render.text_of(op, "type") or "").strip(),
            host=host,
            value=render.text_of(op, "value") or "",
            opt=render.text_of(op, "opt") or "",
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", record.id)])]


def del_rec(req: Request, op: etree._Element) -> list[etree._Element]:
    """One result per record deleted (``status``, ``id``); misses answer 1013."""
    results: list[etree._Element] = []
    for f in select(req, op.find("filter")):
        if f.record is None:
            if f.error is not None:
                results.append(f.error)
            continue
        try:
            req.ctx.panel.dns.delete(req.identity, f.record.id)
        except NotFound:
            results.append(render.error(NotFound(RECORD_NOT_FOUND), [("id", f.record.id)]))
            continue
        except PanelkeyError as exc:
            results.append(render.error(exc, [("id", f.record.id)]))
            continue
        results.append(render.ok([("id", f.record.id)]))
    return results or [render.ok()]


OPERATIONS: Operator = {"get_rec": get_rec, "add_rec": add_rec, "del_rec": del_rec}
