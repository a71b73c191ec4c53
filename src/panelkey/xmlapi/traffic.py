"""``get_traffic`` and ``set_traffic`` of ``site`` and ``webspace`` over
core/domains/traffic.py: a site's traffic per day, a subscription's summed over its
domains."""

from __future__ import annotations

import datetime

from lxml import etree

from panelkey.core.domains.domains import Domain
from panelkey.core.domains.traffic import COUNTERS
from panelkey.core.errors import NotFound
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Handler, Request


def _date(op: etree._Element, tag: str) -> datetime.date | None:
    text = render.text_of(op, tag)
    return None if text is None else datetime.date.fromisoformat(text.strip()[:10])


def days(req: Request, op: etree._Element, d: Domain) -> list[render.Field]:
    """One ``traffic`` per day of ``since_date``..``to_date`` (default today): the
    domain's, or for a subscription the sum over its domains."""
    panel = req.ctx.panel
    ids = [d.id]
    if d.is_webspace:
        ids += [s.id for s in panel.domains.in_webspace(req.identity, d.id)]
    out: list[render.Field] = []
    for day, counters in panel.traffic.days(ids, _date(op, "since_date"), _date(op, "to_date")):
        fields: list[render.Field] = [("date", day.isoformat())]
        fields += [(c, counters[c]) for c in COUNTERS]
        out.append(("traffic", render.element("traffic", fields)))
    return out


def setter(missing: str, *, webspace: bool) -> Handler:
    """``set_traffic``: ``dom_id``, ``date``, then the counters it gives (Plesk's order
    is checked by the schema). One result: status and the domain's id; a domain out of
    reach (or, for ``webspace``, not a subscription) is 1013 `missing`."""

    def set_traffic(req: Request, op: etree._Element) -> list[etree._Element]:
        panel = req.ctx.panel
        dom_id = int(render.text_of(op, "dom_id") or 0)
        domain = panel.domains.get(req.identity, dom_id)
        if domain is None or (webspace and not domain.is_webspace):
            return [render.error(NotFound(missing), [("id", dom_id)])]
        day = _date(op, "date")
        assert day is not None  # the schema requires it
        values = {c: int(text) for c in COUNTERS if (text := render.text_of(op, c)) is not None}
        panel.traffic.set(req.identity, domain, day, values)
        return [render.ok([("id", dom_id)])]

    return set_traffic
