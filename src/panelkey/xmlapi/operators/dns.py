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

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial

from lxml import etree

from panelkey.core.dns.rdata import srv_opt
from panelkey.core.dns.records import Record
from panelkey.core.dns.zones import SOA_FIELDS, Soa, TemplateRecord, Zone, mirrored
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import MalformedRequest, NotFound, PanelkeyError, PermissionDenied
from panelkey.xmlapi import dns_answers as answers
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.reach import SITE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, by_id, one, text, under
from panelkey.xmlapi.values import id_of

RECORD_NOT_FOUND = "DNS record does not exist"
ALIAS_NOT_FOUND = "Site alias does not exist"
ALIAS_FOLLOWS_SITE = (
    "The zone of a site alias follows its site's zone: change the records of the site"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A record a filter named; `alias_id` is set for a record of a site alias's zone."""

    record: Record
    alias_id: int | None = None

    @property
    def id(self) -> int:
        return self.record.id


def _record(req: Request, record_id: int) -> Found | None:
    found = req.ctx.panel.dns.get(req.identity, record_id)
    return None if found is None else Found(found)


def _records(req: Request, zone: Domain) -> list[Found]:
    return [Found(r) for r in req.ctx.panel.dns.records(req.identity, zone)]


def _with_subzones(req: Request, zone: Domain) -> list[Found]:
    """The records of `zone`, then those of the zones of the caller's sites named under
    it (``shop.example.com`` under ``example.com``): what Plesk's ``include-subdomains``
    adds, nearest name first."""
    suffix = "." + zone.ascii_name
    under_it = [
        d for d in req.ctx.panel.domains.list(req.identity) if d.ascii_name.endswith(suffix)
    ]
    subzones = sorted(under_it, key=lambda d: (d.ascii_name.count("."), d.ascii_name))
    return [f for z in (zone, *subzones) for f in _records(req, z)]


def _alias_zone(req: Request, value: str) -> list[Found] | None:
    """The zone of a site alias the caller may see, with ``manage-dns``: its site's
    records under the alias's name. None for any other alias."""
    panel = req.ctx.panel
    alias_id = id_of(value)
    alias = None if alias_id is None else panel.site_aliases.get(req.identity, alias_id)
    site = None if alias is None else panel.domains.get(req.identity, alias.domain_id)
    if alias is None or site is None or not alias.manage_dns:
        return None
    records = mirrored(panel.dns.records(req.identity, site), site.ascii_name, alias.ascii_name)
    return [Found(r, alias_id=alias.id) for r in records]


def _records_filter(subzones: bool) -> Filter[Found]:
    """Records by ``id``, or of a zone (``site-id``, ``dns-zone-name``, and with
    `subzones` the zones under it), or of a site alias (``site-alias-id``). An empty
    filter means every record the caller may see, as in Plesk."""
    zone = _with_subzones if subzones else _records
    return Filter(
        SITE_NOT_FOUND,
        {
            "id": one(by_id(_record)),
            "site-id": under(reach.domain("id"), zone),
            "dns-zone-name": under(reach.domain("name"), zone),
            "site-alias-id": lambda req, item: _alias_zone(req, text(item)),
        },
        lambda req: [f for d in req.ctx.panel.domains.list(req.identity) for f in _records(req, d)],
        misses={"id": RECORD_NOT_FOUND, "site-alias-id": ALIAS_NOT_FOUND},
        echo=None,
    )


RECORDS = _records_filter(subzones=False)
RECORDS_AND_SUBZONES = _records_filter(subzones=True)
# Zones for get, set, enable, disable, answered by site-id. A site alias's zone follows
# its site's and has no settings of its own: site-alias-id names none.
ZONES: Filter[Domain] = Filter(
    SITE_NOT_FOUND,
    {
        "site-id": one(reach.domain("id")),
        "site-name": one(reach.domain("name")),
        "site-alias-id": lambda _req, _item: None,
    },
    lambda req: req.ctx.panel.domains.list(req.identity),
    echo="site-id",
    echo_id=False,
)
# sync-with-template: the zones made for a used-ip, or named by site-id.
SYNCED: Filter[Domain] = Filter(
    SITE_NOT_FOUND,
    {
        "used-ip": lambda req, item: req.ctx.panel.dns_zones.domains_using_ip(
            req.identity, text(item)
        ),
        "site-id": one(reach.domain("id")),
    },
    echo="site-id",
    echo_id=False,
)


def _data(r: Record | TemplateRecord, alias_id: int | None = None) -> etree._Element:
    site = [("site-id", r.domain_id)] if isinstance(r, Record) else []
    if alias_id is not None:
        site = [("site-alias-id", alias_id)]
    return render.element(
        "data", [*site, ("type", r.type), ("host", r.host), ("value", r.value), ("opt", r.opt)]
    )


def _template(req: Request, flt: etree._Element) -> Filter[TemplateRecord]:
    """The filter of the template's records a ``<template/>`` selection names: all, or
    by ``id``; the administrator's only."""
    if any(str(i.tag) != "id" for i in render.children(flt)):
        raise MalformedRequest("With <template/>, a filter names template records by id only")
    if not req.identity.is_admin:
        raise PermissionDenied("Only the administrator manages the DNS template.")
    template = {t.id: t for t in req.ctx.panel.dns_zones.template()}
    return Filter(
        RECORD_NOT_FOUND,
        {"id": one(by_id(lambda _req, i: template.get(i)))},
        lambda _req: list(template.values()),
        echo=None,
    )


def get_rec(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """``filter``, then ``template`` or ``include-subdomains`` (either, as Plesk)."""
    flt = op.find("filter")
    assert flt is not None
    if op.find("template") is not None:
        template = _template(req, flt)
        return template.get(template.select(req, flt), lambda t: [("id", t.id), ("data", _data(t))])
    records = RECORDS_AND_SUBZONES if op.find("include-subdomains") is not None else RECORDS
    hits = records.select(req, flt)
    found = [h.obj for h in hits if h.obj is not None]
    made = iter(
        render.written(
            (_result_text(f.record, f.alias_id) for f in found),
            lambda: [
                render.ok([("id", f.id), ("data", _data(f.record, f.alias_id))]) for f in found
            ],
        )
    )
    results = [next(made) if h.obj is not None else records.miss(h) for h in hits]
    return results or [render.ok()]


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
    given = "".join(str(t) for t in opt.itertext()).strip()
    if srv is None and given.startswith("<Srv"):
        try:
            srv = etree.fromstring(given.encode())
        except etree.XMLSyntaxError:
            srv = None
    if srv is None:
        return given, host
    protocol = (srv.get("Protocol") or "").strip()
    if protocol:
        protocol = protocol if protocol.startswith("_") else f"_{protocol}"
        head, _, rest = host.partition(".")
        if not rest.startswith(protocol):
            host = f"{head}.{protocol}" + (f".{rest}" if rest else "")
    port, priority, weight = (srv.get(k) or "" for k in ("Port", "Priority", "Weight"))
    return srv_opt(protocol, port, priority, weight), host


def _ok_id(record_id: int) -> bytes:
    """``ok([("id", record_id)])`` as the answer holds it, written as text: the answer of
    every record write, for a fraction of the cost of making its elements."""
    return b"<result><status>ok</status><id>%d</id></result>" % record_id


def add_rec(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    """(``site-id`` | ``site-alias-id``)?, ``type``, ``host``, ``value``, ``opt``?."""
    alias_id = render.text_of(op, "site-alias-id")
    if alias_id is not None:
        if _alias_zone(req, alias_id.strip()) is None:
            raise NotFound(ALIAS_NOT_FOUND)
        raise PermissionDenied(ALIAS_FOLLOWS_SITE)
    opt, host = _opt(op, (render.text_of(op, "host") or "").strip())
    fields = {
        "type": (render.text_of(op, "type") or "").strip(),
        "host": host,
        "value": render.text_of(op, "value") or "",
        "opt": opt,
    }
    if render.text_of(op, "site-id") is None:
        made = req.ctx.panel.dns_zones.add_template(req.identity, **fields)
        return [render.ok([("id", made.id)])]
    zone = reach.domain_of(req, op, kinds=("id",))
    # The core makes the host absolute and refuses one outside the zone (1019).
    record = req.ctx.panel.dns.add(
        req.identity,
        zone,
        type=fields["type"],
        host=fields["host"],
        value=fields["value"],
        opt=fields["opt"],
    )
    return [_ok_id(record.id)]


def _delete(req: Request, found: Found) -> None:
    if found.alias_id is not None:
        raise PermissionDenied(ALIAS_FOLLOWS_SITE)
    req.ctx.panel.dns.delete(req.identity, found.id)


def del_rec(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
    """One result per record deleted (``status``, ``id``); misses answer 1013."""
    flt = op.find("filter")
    assert flt is not None
    results: list[etree._Element | bytes] = []
    if op.find("template") is not None:
        template = _template(req, flt)
        for t in template.select(req, flt):
            if t.obj is None:
                results.append(template.miss(t))
                continue
            req.ctx.panel.dns_zones.delete_template(req.identity, t.obj.id)
            results.append(render.ok([("id", t.obj.id)]))
        return results or [render.ok()]
    for hit in RECORDS.select(req, flt):
        if hit.obj is None:
            results.append(RECORDS.miss(hit))
            continue
        try:
            _delete(req, hit.obj)
        except PanelkeyError as exc:  # this record's error; the others go on (render.outcome)
            results.append(render.error(exc, [("id", hit.obj.id)]))
            continue
        results.append(_ok_id(hit.obj.id))
    return results or [render.ok()]


# -- zone settings ------------------------------------------------------------------


def _soa(soa: Soa) -> etree._Element:
    return render.element("soa", list(asdict(soa).items()))


def get(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """Zone type and status (and SOA with ``<soa/>``) per zone; the template's without
    a filter."""
    panel, flt, with_soa = req.ctx.panel, op.find("filter"), op.find("soa") is not None
    if flt is None:
        status, soa = panel.dns_zones.template_soa()
        return [render.ok([("soa", _soa(soa)), ("zone_status", status)])]

    def fields(domain: Domain) -> list[render.Field]:
        zone: Zone = panel.dns_zones.zone(req.identity, domain)
        return [
            ("site-id", domain.id),
            ("soa", _soa(zone.soa) if with_soa else None),
            ("zone_type", panel.dns_server.zone_type(req.identity, domain)),
            ("zone_status", zone.status),
        ]

    return ZONES.read(req, op, fields)


def _apply(
    req: Request, op: etree._Element, soa: Mapping[str, str] | None, status: str = ""
) -> list[etree._Element]:
    """The SOA values (or the status) given, to the zones of the filter, one result
    each; the template's without a filter."""
    zones = req.ctx.panel.dns_zones
    flt = op.find("filter")
    if flt is None:
        zones.set_template(req.identity, soa=soa, status=status or None)
        return [render.ok()]

    def change(domain: Domain) -> None:
        if soa is not None:
            zones.set_soa(req.identity, domain, soa)
        else:
            zones.set_status(req.identity, domain, status)

    results = [
        ZONES.miss(hit)
        if hit.obj is None
        else render.outcome(partial(change, hit.obj), [("site-id", hit.obj.id)])
        for hit in ZONES.select(req, flt)
    ]
    return results or [render.ok()]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    soa = op.find("soa")
    assert soa is not None
    values = {name: render.text_of(soa, name) for name in SOA_FIELDS}
    return _apply(req, op, soa={k: v for k, v in values.items() if v is not None})


def enable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _apply(req, op, None, status="enabled")


def disable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _apply(req, op, None, status="disabled")


def switch(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``zone_type`` (master | slave): per zone ``result/{status, site-id}``."""
    kind = render.text_of(op, "zone_type") or ""

    def act(domain: Domain) -> None:
        req.ctx.panel.dns_server.switch(req.identity, domain, kind)

    results: list[etree._Element] = []
    for hit in ZONES.select(req, op.find("filter")):
        if hit.obj is None:
            results.append(ZONES.miss(hit if hit.missing is not None else ZONES.missed(hit)))
        else:
            results.append(render.outcome(partial(act, hit.obj), [("site-id", hit.obj.id)]))
    return results or [render.ok()]


def sync_with_template(req: Request, op: etree._Element) -> list[etree._Element]:
    """Re-apply the template to the zones made for ``used-ip`` (or named by site-id); a
    site out of reach answers alone, and nothing is synced."""
    flt = op.find("filter")
    assert flt is not None
    hits = SYNCED.select(req, flt)
    missed = next((h for h in hits if h.obj is None), None)
    if missed is not None:
        return [SYNCED.miss(missed)]
    for domain in {h.obj.id: h.obj for h in hits if h.obj is not None}.values():
        req.ctx.panel.dns_zones.sync(req.identity, domain)
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
