"""`/dns/records`: a zone's records over the core's DNS (`core/dns/records.py`), checked
and stored by the same rules as XML `dns/add_rec`. `?domain=` is required to list or add
(Plesk's quirk), and POST answers 200 with the record."""

from __future__ import annotations

from panelkey.core import patterns
from panelkey.core.dns.records import Record
from panelkey.core.domains.domains import Domain
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import bad_request, not_found
from panelkey.rest.resources import SUCCESS, Answer, Call, Query, Resource

# -- handlers -------------------------------------------------------------------------------


def _zone(c: Call) -> Domain:
    name = c.query.get("domain")
    if name is None:
        raise bad_request("The query parameter 'domain' is required")
    found = c.ctx.panel.domains.by_name(c.identity, name)
    if found is None:
        raise not_found("Domain")
    return found


def _record(c: Call) -> Record:
    found = c.ctx.panel.dns.get(c.identity, c.params["id"])
    if found is None:
        raise not_found("DNS record")
    return found


def list_records(c: Call) -> Answer:
    return 200, (r.as_dict() for r in c.ctx.panel.dns.records(c.identity, _zone(c)))


def add_record(c: Call) -> Answer:
    zone = _zone(c)
    b = c.body
    record = c.ctx.panel.dns.add(
        c.identity,
        zone,
        type=b["type"],
        host=b["host"],
        value=b["value"],
        opt=b.get("opt") or "",
        ttl=b.get("ttl"),
    )
    return 200, record.as_dict()  # Plesk answers 200, not 201


def get_record(c: Call) -> Answer:
    return 200, _record(c).as_dict()


def update_record(c: Call) -> Answer:
    values = {k: c.body[k] for k in ("type", "host", "value", "opt", "ttl") if k in c.body}
    c.ctx.panel.dns.update(c.identity, _record(c), values)
    return 200, SUCCESS


def delete_record(c: Call) -> Answer:
    c.ctx.panel.dns.delete(c.identity, _record(c).id)
    return 200, SUCCESS


# -- schemas --------------------------------------------------------------------------------

# The 14 of Plesk's document: the types a zone keeps, then SOA (a zone's settings) and
# AXFR (no record); adding either of these is refused with the core's reason (400).
_TYPES = [*patterns.DNS_TYPES, "SOA", "AXFR"]
VALUE_MAX = 16384
_FIELDS: dict[str, js.Schema] = {
    "type": js.string(enum=_TYPES),
    "host": js.string(
        "Relative to the zone or absolute; answered absolute with a trailing dot",
        maxLength=js.DOMAIN_REF,
    ),
    # A TXT record's text, escaped: the core keeps at most 16000 bytes of it.
    "value": js.string(minLength=1, maxLength=VALUE_MAX),
    "opt": js.string("MX priority and the like", maxLength=patterns.TEXT_MAX),
    "ttl": js.integer(),
}
SCHEMAS: dict[str, js.Schema] = {
    # No required members: Plesk's PUT /dns/records/{id} takes this shape, any subset.
    "DnsRecord": js.obj({"id": js.ID, **_FIELDS}),
    "DnsRecordRequest": js.obj(_FIELDS, ("type", "host", "value")),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("DNS",), "dns")
_ZONE = (Query("domain", "Domain or domain alias name", required=True),)
_ONE = "/dns/records/{id}"
ROUTES = (
    _R.get(
        "/dns/records",
        list_records,
        "List DNS records",
        js.many("DnsRecord"),
        operation="get_rec",
        query=_ZONE,
    ),
    _R.post(
        "/dns/records",
        add_record,
        "Create DNS record",
        js.ref("DnsRecord"),
        operation="add_rec",
        body="DnsRecordRequest",
        query=_ZONE,
    ),
    _R.get(_ONE, get_record, "Get DNS record", js.ref("DnsRecord"), operation="get_rec"),
    _R.put(
        _ONE, update_record, "Update DNS record", js.STATUS, operation="set_rec", body="DnsRecord"
    ),
    _R.delete(_ONE, delete_record, "Delete DNS record", js.STATUS, operation="del_rec"),
)
