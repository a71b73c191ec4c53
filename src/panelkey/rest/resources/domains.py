"""`/domains`: subscriptions and sites over the core's domains (`core/domains/domains.py`),
with their site aliases, owner, status and service plan; the same ones XML `webspace`,
`site` and `domain` read and write. A new domain gets its default DNS zone.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from panelkey.core import patterns
from panelkey.core.accounts.accounts import Account
from panelkey.core.clock import plesk_date
from panelkey.core.content.site_aliases import SiteAlias
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, OwnerNotFound
from panelkey.core.plans.plans import Plan
from panelkey.core.plans.subscriptions import Checked
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import bad_request, not_found
from panelkey.rest.resources import (
    Answer,
    Call,
    Query,
    Resource,
    created,
    reference,
)
from panelkey.rest.resources.clients import client_dict

T = TypeVar("T")
_OWNER_REFS = ("id", "login", "guid", "external_id")  # OwnerClientReference's order

# -- handlers -------------------------------------------------------------------------------


def domain_dict(c: Call, d: Domain, of_site: list[SiteAlias] | None = None) -> dict[str, Any]:
    """Plesk's DomainResponse: the domain with its site aliases (`dns`: a zone of its own);
    `of_site`, when given, are those aliases, read beforehand with every other domain's."""
    aliases = [
        {
            "id": a.id,
            "name": a.name,
            "ascii_name": a.ascii_name,
            "web": a.web,
            "dns": a.manage_dns,
            "mail": a.mail,
            "seo_redirect": a.seo_redirect,
        }
        for a in (c.ctx.panel.site_aliases.list(c.identity, d) if of_site is None else of_site)
    ]
    answer = d.as_dict()
    answer["created"] = plesk_date(d.created)
    answer["aliases"] = aliases
    return answer


def domain_dicts(c: Call, domains: list[Domain]) -> Iterator[dict[str, Any]]:
    """`domain_dict` of each, made as the answer is written (its budget may stop it), with
    every alias read at once (the caller sees these)."""
    aliases = c.ctx.panel.site_aliases.of_sites({d.id for d in domains})
    return (domain_dict(c, d, aliases.get(d.id, [])) for d in domains)


def find_domain(c: Call, ref: dict[str, Any], what: str = "parent_domain") -> Domain | None:
    """The domain a DomainReference names (by id, name or guid), of those the caller
    sees; None when there is none."""
    return c.ctx.panel.domains.find(c.identity, reference(ref, ("id", "name", "guid"), what))


def _domain(c: Call) -> Domain:
    found = c.ctx.panel.domains.get(c.identity, c.params["id"])
    if found is None:
        raise not_found("Domain")
    return found


def _named(
    ref: dict[str, Any] | None, find: Callable[[dict[str, Any]], T | None], error: Exception
) -> T | None:
    """What an optional reference names: None without one, `error` raised when it names
    nothing the caller sees."""
    if not ref:
        return None
    found = find(ref)
    if found is None:
        raise error
    return found


def _owner_client(c: Call, ref: dict[str, Any] | None) -> Account | None:
    return _named(
        ref,
        lambda r: c.ctx.panel.accounts.find(c.identity, reference(r, _OWNER_REFS, "owner_client")),
        OwnerNotFound("The owner client does not exist"),
    )


def _base_domain(c: Call, ref: dict[str, Any] | None) -> Domain | None:
    return _named(
        ref,
        lambda r: find_domain(c, r, "base_domain"),
        InvalidValue("The base domain does not exist"),
    )


def _ip_address(b: dict[str, Any]) -> str:
    given = [*b.get("ipv4", []), *b.get("ipv6", []), *b.get("ip_addresses", [])]
    if not given:
        return ""
    try:
        return str(ipaddress.ip_address(given[0].strip()))
    except ValueError:
        raise InvalidValue(f"Invalid IP address: {given[0]!r}") from None


def _plan(c: Call, ref: dict[str, Any] | None, owner: Account | None) -> Plan | None:
    """The service plan a PlanReference names, from the plans the subscription's owner
    may use (its reseller's, or the admin's); None when it names none. An unknown name is
    NotFound (404), as Plesk's XML `plan-name`."""
    name = (ref or {}).get("name")
    if not name:
        return None
    vendor = owner or c.ctx.panel.accounts.get(c.identity.account_id)
    if vendor is None:
        raise not_found("Client")
    return c.ctx.panel.subscriptions.find_plan(vendor, "service", "name", name)


def list_domains(c: Call) -> Answer:
    domains = c.ctx.panel.domains
    name = c.query.get("name")
    if name is not None:
        found = domains.by_name(c.identity, name)
        return 200, [domain_dict(c, found)] if found else []
    return 200, domain_dicts(c, domains.list(c.identity))


def create_domain(c: Call) -> Answer:
    """Plesk's one DomainRequest serves create and update, so it requires nothing: a new
    domain's name is checked here."""
    b = c.body
    if "name" not in b:
        raise bad_request("Missing required field 'name'")
    hosting = b.get("hosting_settings") or {}
    owner = _owner_client(c, b.get("owner_client"))
    base = _base_domain(c, b.get("base_domain") or b.get("parent_domain"))
    # A subscription is made on the plan named; a site takes its subscription's.
    plan = None if base is not None else _plan(c, b.get("plan"), owner)
    within = None
    if plan is not None:
        within = c.ctx.panel.subscriptions.writer(Checked(), main=plan, actor=c.identity)
    made = c.ctx.panel.domains.create(
        c.identity,
        name=b["name"],
        owner=owner,
        hosting_type=b.get("hosting_type") or "virtual",
        base_domain=base,
        ip_address=_ip_address(b),
        ftp_login=hosting.get("ftp_login") or "",
        description=b.get("description") or "",
        within=within,
    )
    return 201, created(made)


def get_domain(c: Call) -> Answer:
    return 200, domain_dict(c, _domain(c))


def update_domain(c: Call) -> Answer:
    """Name, description and hosting type, each when given; a `plan` other than the
    subscription's own switches it (its own settings then follow the new plan, as XML
    `webspace/switch-subscription`); the plan it has already is no change."""
    domain = _domain(c)
    values = {k: c.body[k] for k in ("name", "description", "hosting_type") if k in c.body}
    subscriptions = c.ctx.panel.subscriptions
    plan = None
    if domain.is_webspace and c.body.get("plan"):
        plan = _plan(c, c.body["plan"], c.ctx.panel.accounts.get(domain.owner_id))
        current, _addons = subscriptions.plans_of(domain.id)
        if plan is not None and current is not None and current.id == plan.id:
            plan = None
    updated = c.ctx.panel.domains.update(c.identity, domain, values)
    if plan is not None:
        subscriptions.switch(c.identity, updated, plan)
    return 200, created(updated)


def delete_domain(c: Call) -> Answer:
    domain = _domain(c)
    c.ctx.panel.domains.delete(c.identity, domain)
    return 200, created(domain)


def domain_client(c: Call) -> Answer:
    owner = c.ctx.panel.accounts.get(_domain(c).owner_id)
    if owner is None:
        raise not_found("Client")
    return 200, client_dict(owner)


def get_domain_status(c: Call) -> Answer:
    return 200, {"status": _domain(c).status}


def set_domain_status(c: Call) -> Answer:
    domain = _domain(c)
    updated = c.ctx.panel.domains.update(c.identity, domain, {"status": c.body["status"]})
    return 200, {"status": updated.status}


# -- schemas --------------------------------------------------------------------------------

_HOSTING_TYPE = js.string(enum=list(patterns.HOSTING_TYPES))
_NAMED = js.string(minLength=1, maxLength=js.DOMAIN_REF)
_ALIAS_FIELDS = ("id", "name", "ascii_name", "web", "dns", "mail", "seo_redirect")
_RESPONSE_FIELDS = (
    "id",
    "name",
    "ascii_name",
    "hosting_type",
    "base_domain_id",
    "www_root",
    "guid",
    "created",
    "description",
    "aliases",
)


def _addresses(pattern: str) -> js.Schema:
    """A list of addresses, each with its spaces (the first one is used)."""
    return js.array(js.string(maxLength=64, pattern=rf"^ *{pattern} *$"), maxItems=16)


def _one_of(properties: dict[str, js.Schema], description: str) -> js.Schema:
    """A reference: one or more of its members, and nothing else."""
    return js.obj(properties, description=description, minProperties=1, additionalProperties=False)


SCHEMAS: dict[str, js.Schema] = {
    "DomainReference": _one_of(
        {"id": js.ID, "name": _NAMED, "guid": js.GUID}, "A domain by one of id, name or guid"
    ),
    "OwnerClientReference": _one_of(
        {
            "id": js.ID,
            "login": js.string(minLength=1, maxLength=patterns.LOGIN_MAX),
            "guid": js.GUID,
            "external_id": js.GUID,
        },
        "A client by one of id, login, guid or external_id",
    ),
    "PlanReference": js.obj(
        {"name": js.string(maxLength=patterns.TEXT_MAX)},
        description="A service plan by name, of those the subscription's owner may use",
    ),
    "DomainRequest": js.obj(
        {
            "name": js.string(
                "A domain name: labels of letters, digits and hyphens, the last one not all "
                "digits; or an internationalised name with one label in lower-case Latin "
                "letters",
                minLength=patterns.DOMAIN_NAME_MIN,
                maxLength=patterns.DOMAIN_NAME_MAX,
                pattern=patterns.DOMAIN_NAME,
            ),
            "description": js.DESCRIPTION,
            "hosting_type": _HOSTING_TYPE,
            "hosting_settings": js.obj(
                {
                    # empty: the login is made from the domain's name
                    "ftp_login": js.string(
                        js.FTP_LOGIN["description"] + "; or empty",
                        maxLength=patterns.FTP_LOGIN_MAX,
                        pattern=f"^(?:|{patterns.FTP_LOGIN[1:-1]})$",
                    ),
                    "ftp_password": js.string(maxLength=patterns.PASSWORD_MAX),
                }
            ),
            "base_domain": js.ref("DomainReference"),
            "parent_domain": js.ref("DomainReference"),
            "owner_client": js.ref("OwnerClientReference"),
            "ip_addresses": _addresses(js.IP),
            "ipv4": _addresses(js.IP4),
            "ipv6": _addresses(js.IP6),
            "plan": js.ref("PlanReference"),
        },
        description="A domain. Creating one needs its name (the owner defaults to the admin; "
        "a subscription is made on the service plan named, a site ignores it); an update "
        "applies name, description, hosting_type and a subscription's plan, each when given",
    ),
    "DomainAlias": js.obj(
        {
            "id": js.ID,
            "name": js.string(),
            "ascii_name": js.string(),
            **{n: js.BOOLEAN for n in _ALIAS_FIELDS[3:]},
        },
        _ALIAS_FIELDS,
    ),
    "DomainResponse": js.obj(
        {
            "id": js.ID,
            "name": js.string(),
            "ascii_name": js.string(),
            "hosting_type": _HOSTING_TYPE,
            "base_domain_id": js.integer(),
            "www_root": js.string(),
            "guid": js.string(),
            "created": js.DATE,
            "description": js.string(),
            "aliases": js.many("DomainAlias"),
        },
        _RESPONSE_FIELDS,
    ),
    "DomainStatus": js.obj({"status": js.string(enum=list(patterns.DOMAIN_STATUSES))}, ("status",)),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("Domains",), "site")
_ONE = "/domains/{id}"
_BY_NAME = (Query("name", "Filter data by domain name"),)
ROUTES = (
    _R.get("/domains", list_domains, "List domains", js.many("DomainResponse"), query=_BY_NAME),
    _R.post(
        "/domains", create_domain, "Create domain", js.CREATED, status=201, body="DomainRequest"
    ),
    _R.get(_ONE, get_domain, "Get domain details", js.ref("DomainResponse")),
    _R.put(_ONE, update_domain, "Update domain", js.CREATED, body="DomainRequest"),
    _R.delete(_ONE, delete_domain, "Delete domain", js.CREATED),
    _R.get(f"{_ONE}/client", domain_client, "Get domain owner", js.ref("Client")),
    _R.get(f"{_ONE}/status", get_domain_status, "Get domain status", js.ref("DomainStatus")),
    _R.put(
        f"{_ONE}/status",
        set_domain_status,
        "Update domain status",
        js.ref("DomainStatus"),
        body="DomainStatus",
    ),
)
