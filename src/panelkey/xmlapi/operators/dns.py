"""Operator ``dns``: records (``get_rec``, ``add_rec``, ``del_rec``), zone settings
(``get``, ``set``, ``enable``, ``disable``) and ``sync-with-template``.

Hosts are answered absolute with a trailing dot; a relative host on input (``www``,
``_acme-challenge``, empty for the apex) is made absolute in the site's zone, and
an absolute one must lie inside it. ``opt`` carries what Plesk puts beside a value
(MX priority, SRV 'priority weight port' or ``<Srv .../>``, CAA 'flag tag'). Records
of a zone the caller may not see answer 1013, as if they did not exist.

The server-wide template is reached as Plesk does: ``add_rec`` without ``site-id``,
``get_rec``/``del_rec`` with ``<template/>`` after the filter (whose ``id`` children
are then template record ids), ``get``/``set``/``enable``/``disable`` without a
filter. Only the administrator reaches the template (1006 otherwise).

``get_rec`` takes Plesk's ``include-subdomains`` (any content): a zone named by
``site-id`` or ``dns-zone-name`` then answers the records of the zones of the caller's
sites named under it too (``shop.example.com`` under ``example.com``), each with its
own ``site-id``. ``set``'s ``soa`` values come in any order.

Record filters hold children of one kind: ``id``, ``site-id``, ``dns-zone-name`` or
``site-alias-id``. An empty filter means every record the caller may see, as in Plesk.

A site alias with ``manage-dns`` has a zone: its site's records under the alias's name
(`dns_zones.mirrored`), answered by ``get_rec`` with ``site-alias-id`` in ``data`` and
by the DNS listener. It follows its site's zone, so records are added to and deleted
from the site's zone; ``add_rec`` or ``del_rec`` through the alias answer 1006.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lxml import etree

from panelkey.core.dns.rdata import srv_opt
from panelkey.core.dns.records import Record
from panelkey.core.dns.zones import SOA_FIELDS, Soa, TemplateRecord, Zone, mirrored
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import MalformedRequest, NotFound, PanelkeyError, PermissionDenied
from panelkey.xmlapi import render
from panelkey.xmlapi.operators import dns_answers as answers
from panelkey.xmlapi.operators.site import SITE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request

RECORD_NOT_FOUND = "DNS record does not exist"
ALIAS_NOT_FOUND = "Site alias does not exist"
ALIAS_FOLLOWS_SITE = (
    "The zone of a site alias follows its site's zone: change the records of the site"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A record a filter named, or the error result for what it named in vain."""

    record: Record | None = None
    error: etree._Element | None = None
    alias_id: int | None = None  # set for a record of a site alias's zone


def _zone(req: Request, kind: str, value: str) -> Domain | None:
    domains = req.ctx.panel.domains
    if kind == "site-id":
        return domains.get(req.identity, int(value))
    if kind in ("dns-zone-name", "site-name"):
        return domains.by_name(req.identity, value)
    return None


def _subzones(req: Request, zone: Domain) -> list[Domain]:
    """The zones of the caller's sites named under `zone` (``shop.example.com`` under
    ``example.com``): what Plesk's ``include-subdomains`` adds, nearest name first."""
    suffix = "." + zone.ascii_name
    under = [d for d in req.ctx.panel.domains.list(req.identity) if d.ascii_name.endswith(suffix)]
    return sorted(under, key=lambda d: (d.ascii_name.count("."), d.ascii_name))


def select(req: Request, flt: etree._Element | None, *, subdomains: bool = False) -> list[Found]:
    """The records a filter names, in request order; with `subdomains`, a zone named by
    ``site-id`` or ``dns-zone-name`` brings the records of its subdomains' zones too."""
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
            found += _alias_records(req, int(value))
            continue
        zone = _zone(req, kind, value)
        if zone is None:
            found.append(Found(error=render.error(NotFound(SITE_NOT_FOUND))))
            continue
        found += [Found(r) for r in panel.dns.records(req.identity, zone)]
        if subdomains:
            for sub in _subzones(req, zone):
                found += [Found(r) for r in panel.dns.records(req.identity, sub)]
    return found


def _alias_records(req: Request, alias_id: int) -> list[Found]:
    """The zone of a site alias the caller may see (1013 for any other)."""
    panel = req.ctx.panel
    alias = panel.site_aliases.get(req.identity, alias_id)
    site = None if alias is None else panel.domains.get(req.identity, alias.domain_id)
    if alias is None or site is None or not alias.manage_dns:
        return [Found(error=render.error(NotFound(ALIAS_NOT_FOUND)))]
    records = mirrored(panel.dns.records(req.identity, site), site.ascii_name, alias.ascii_name)
    return [Found(r, alias_id=alias.id) for r in records]


def _data(r: Record | TemplateRecord, alias_id: int | None = None) -> etree._Element:
    site = [("site-id", r.domain_id)] if isinstance(r, Record) else []
    if alias_id is not None:
        site = [("site-alias-id", alias_id)]
    return render.element(
        "data", [*site, ("type", r.type), ("host", r.host), ("value", r.value), ("opt", r.opt)]
    )


def _template_ids(req: Request, flt: etree._Element) -> list[TemplateRecord | etree._Element]:
    """Template records a ``<template/>`` selection names: all, or by ``id``."""
    items = render.children(flt)
    if any(str(i.tag) != "id" for i in items):
        raise MalformedRequest("With <template/>, a filter names template records by id only")
    if not req.identity.is_admin:
        raise PermissionDenied("Only the administrator manages the DNS template.")
    template = {t.id: t for t in req.ctx.panel.dns_zones.template()}
    if not items:
        return list(template.values())
    out: list[TemplateRecord | etree._Element] = []
    for item in items:
        value = (item.text or "").strip()
        found = template.get(int(value))
        out.append(
            found
            if found is not None
            else render.error(NotFound(RECORD_NOT_FOUND), [("id", value)])
        )
    return out


def get_rec(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    """``filter``, then ``template`` or ``include-subdomains`` (either, as Plesk)."""
    flt = op.find("filter")
    assert flt is not None
    if op.find("template") is not None:
        return [
            t if isinstance(t, etree._Element) else render.ok([("id", t.id), ("data", _data(t))])
            for t in _template_ids(req, flt)
        ] or [render.ok()]
    found = select(req, flt, subdomains=op.find("include-subdomains") is not None)
    records = [f for f in found if f.record is not None]
    made = iter(
        render.written(
            (_result_text(f.record, f.alias_id) for f in records if f.record is not None),
            lambda: [
                render.ok([("id", f.record.id), ("data", _data(f.record, f.alias_id))])
                for f in records
                if f.record is not None
            ],
        )
    )
    results: list[etree._Element | bytes | None] = [
        next(made) if f.record is not None else f.error for f in found
    ]
    return [r for r in results if r is not None] or [render.ok()]


def _result_text(r: Record, alias_id: int | None) -> str:
    """A record's ``<result>`` as text, as ``render.ok`` with `_data` makes it: a zone's
    records are many, and text costs a fraction of elements made one by one."""
    t = render.tag
    site = (
        f"<site-alias-id>{alias_id}</site-alias-id>"
        if alias_id is not None
        else f"<site-id>{r.domain_id}</site-id>"
    )
    return (
        f"<result><status>ok</status><id>{r.id}</id><data>{site}{t('type', r.type)}"
        f"{t('host', r.host)}{t('value', r.value)}{t('opt', r.opt)}</data></result>"
    )


def _opt(op: etree._Element, host: str) -> tuple[str, str]:
    """(opt, host): Plesk's ``<Srv Protocol= Port= Priority= Weight=/>`` made plain."""
    opt = op.find("opt")
    if opt is None:
        return "", host
    srv = opt.find("Srv")
    text = "".join(str(t) for t in opt.itertext()).strip()
    if srv is None and text.startswith("<Srv"):
        try:
            srv = etree.fromstring(text.encode())
        except etree.XMLSyntaxError:
            srv = None
    if srv is None:
        return text, host
    protocol = (srv.get("Protocol") or "").strip()
    if protocol:
        protocol = protocol if protocol.startswith("_") else f"_{protocol}"
        head, _, rest = host.partition(".")
        if not rest.startswith(protocol):
            host = f"{head}.{protocol}" + (f".{rest}" if rest else "")
    port, priority, weight = (srv.get(k) or "" for k in ("Port", "Priority", "Weight"))
    return srv_opt(protocol, port, priority, weight), host


def add_rec(req: Request, op: etree._Element) -> list[etree._Element]:
    """(``site-id`` | ``site-alias-id``)?, ``type``, ``host``, ``value``, ``opt``?."""
    alias_id = render.text_of(op, "site-alias-id")
    if alias_id is not None:
        found = _alias_records(req, int(alias_id.strip()))
        if found and found[0].error is not None:
            return [found[0].error]
        return [render.error(PermissionDenied(ALIAS_FOLLOWS_SITE))]
    opt, host = _opt(op, (render.text_of(op, "host") or "").strip())
    fields = {
        "type": (render.text_of(op, "type") or "").strip(),
        "host": host,
        "value": render.text_of(op, "value") or "",
        "opt": opt,
    }
    site_id = render.text_of(op, "site-id")
    try:
        if site_id is None:
            made = req.ctx.panel.dns_zones.add_template(req.identity, **fields)
            return [render.ok([("id", made.id)])]
        zone = req.ctx.panel.domains.get(req.identity, int(site_id.strip()))
        if zone is None:
            return [render.error(NotFound(SITE_NOT_FOUND))]
        # The core makes the host absolute and refuses one outside the zone (1019).
        record = req.ctx.panel.dns.add(
            req.identity,
            zone,
            type=fields["type"],
            host=fields["host"],
            value=fields["value"],
            opt=fields["opt"],
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", record.id)])]


def del_rec(req: Request, op: etree._Element) -> list[etree._Element]:
    """One result per record deleted (``status``, ``id``); misses answer 1013."""
    flt = op.find("filter")
    assert flt is not None
    results: list[etree._Element] = []
    if op.find("template") is not None:
        for t in _template_ids(req, flt):
            if isinstance(t, etree._Element):
                results.append(t)
                continue
            req.ctx.panel.dns_zones.delete_template(req.identity, t.id)
            results.append(render.ok([("id", t.id)]))
        return results or [render.ok()]
    for f in select(req, flt):
        if f.record is None:
            if f.error is not None:
                results.append(f.error)
            continue
        if f.alias_id is not None:
            results.append(
                render.error(PermissionDenied(ALIAS_FOLLOWS_SITE), [("id", f.record.id)])
            )
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


# -- zone settings ------------------------------------------------------------------


def _zones(req: Request, flt: etree._Element) -> list[tuple[str, Domain | None]]:
    """(site-id as asked, the zone or None) per filter child; empty = every zone seen."""
    items = render.children(flt)
    if not items:
        return [(str(d.id), d) for d in req.ctx.panel.domains.list(req.identity)]
    out: list[tuple[str, Domain | None]] = []
    for item in items:
        kind, value = str(item.tag), (item.text or "").strip()
        zone = _zone(req, kind, value)
        out.append((str(zone.id) if zone is not None else value, zone))
    return out


def _soa(soa: Soa) -> etree._Element:
    return render.element("soa", list(asdict(soa).items()))


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    """Zone type and status (and SOA with ``<soa/>``) per zone; the template's without
    a filter."""
    panel, flt, with_soa = req.ctx.panel, op.find("filter"), op.find("soa") is not None
    if flt is None:
        status, soa = panel.dns_zones.template_soa()
        return [render.ok([("soa", _soa(soa)), ("zone_status", status)])]
    results: list[etree._Element] = []
    for asked, domain in _zones(req, flt):
        if domain is None:
            results.append(render.error(NotFound(SITE_NOT_FOUND), [("site-id", asked)]))
            continue
        zone: Zone = panel.dns_zones.zone(req.identity, domain)
        results.append(
            render.ok(
                [
                    ("site-id", domain.id),
                    ("soa", _soa(zone.soa) if with_soa else None),
                    ("zone_type", panel.dns_server.zone_type(req.identity, domain)),
                    ("zone_status", zone.status),
                ]
            )
        )
    return results or [render.ok()]


def _apply(req: Request, op: etree._Element, **change: object) -> list[etree._Element]:
    zones = req.ctx.panel.dns_zones
    flt = op.find("filter")
    if flt is None:
        zones.set_template(req.identity, **change)  # type: ignore[arg-type]
        return [render.ok()]
    results: list[etree._Element] = []
    for asked, domain in _zones(req, flt):
        if domain is None:
            results.append(render.error(NotFound(SITE_NOT_FOUND), [("site-id", asked)]))
            continue
        try:
            if "soa" in change:
                zones.set_soa(req.identity, domain, change["soa"])  # type: ignore[arg-type]
            else:
                zones.set_status(req.identity, domain, str(change["status"]))
        except PanelkeyError as exc:
            results.append(render.error(exc, [("site-id", domain.id)]))
            continue
        results.append(render.ok([("site-id", domain.id)]))
    return results or [render.ok()]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    soa = op.find("soa")
    assert soa is not None
    values = {name: render.text_of(soa, name) for name in SOA_FIELDS}
    return _apply(req, op, soa={k: v for k, v in values.items() if v is not None})


def enable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _apply(req, op, status="enabled")


def disable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _apply(req, op, status="disabled")


def switch(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``zone_type`` (master | slave): per zone ``result/{status, site-id}``."""
    flt = op.find("filter")
    assert flt is not None  # the schema requires it
    kind = render.text_of(op, "zone_type") or ""
    results: list[etree._Element] = []
    for asked, domain in _zones(req, flt):
        try:
            if domain is None:
                raise NotFound(SITE_NOT_FOUND)
            req.ctx.panel.dns_server.switch(req.identity, domain, kind)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("site-id", asked)]))
            continue
        results.append(render.ok([("site-id", domain.id)]))
    return results or [render.ok()]


def sync_with_template(req: Request, op: etree._Element) -> list[etree._Element]:
    """Re-apply the template to the zones made for ``used-ip`` (or named by site-id)."""
    zones = req.ctx.panel.dns_zones
    flt = op.find("filter")
    assert flt is not None
    targets: list[Domain] = []
    for item in render.children(flt):
        value = (item.text or "").strip()
        if str(item.tag) == "used-ip":
            targets += zones.domains_using_ip(req.identity, value)
            continue
        domain = req.ctx.panel.domains.get(req.identity, int(value))
        if domain is None:
            return [render.error(NotFound(SITE_NOT_FOUND), [("site-id", value)])]
        targets.append(domain)
    for domain in {d.id: d for d in targets}.values():
        zones.sync(req.identity, domain)
    return [render.ok()]


OPERATIONS: Operator = {
    "get_rec": get_rec,
    "add_rec": add_rec,
    "del_rec": del_rec,
    "get": get,
    "set": set_,
    "enable": enable,
    "disable": disable,
    "sync-with-template": sync_with_template,
    "switch": switch,
    "get_acl": answers.get_acl,
    "add_to_acl": answers.add_to_acl,
    "remove_from_acl": answers.remove_from_acl,
    "add_master_server": answers.add_master_server,
    "get_master_server": answers.get_master_server,
    "del_master_server": answers.del_master_server,
    "enable-remote-dns": answers.enable_remote_dns,
    "disable-remote-dns": answers.disable_remote_dns,
    "get-status-remote-dns": answers.get_status_remote_dns,
    "set-recursion": answers.set_recursion,
    "get-recursion": answers.get_recursion,
    "get-supported-recursion": answers.get_supported_recursion,
}
