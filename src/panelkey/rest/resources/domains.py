"""Handlers of clients, domains and DNS records: JSON in, core calls, JSON out.

Bodies arrive already checked against their schema (types, enums, ranges); the core
checks the rest (logins, names, addresses) and its errors become 400/403/404.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from panelkey.core.accounts.accounts import ACTIVE, DISABLED, Account
from panelkey.core.clock import plesk_date
from panelkey.core.content.site_aliases import SiteAlias
from panelkey.core.dns.records import Record
from panelkey.core.domains.domains import Domain
from panelkey.core.domains.statistics import client_statistics as client_statistics_of
from panelkey.core.errors import InvalidValue, OwnerNotFound
from panelkey.core.plans.plans import Plan
from panelkey.core.plans.subscriptions import Checked
from panelkey.rest.errors import bad_request, not_found
from panelkey.rest.handlers import SUCCESS, Answer, Call

_CLIENT_TEXT = ("name", "company", "email", "locale", "description", "external_id")


# -- clients ----------------------------------------------------------------------------


def client_dict(a: Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "created": plesk_date(a.created),  # Plesk types it as a date
        "name": a.name,
        "company": a.company,
        "login": a.login,
        "status": a.status,
        "email": a.email,
        "locale": a.locale,
        "guid": a.guid,
        "description": a.description,
        "type": a.type,
        "owner_login": a.owner_login,
        "external_id": a.external_id,
    }


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
    return {**d.as_dict(), "created": plesk_date(d.created), "aliases": aliases}


def _domain_dicts(c: Call, domains: list[Domain]) -> list[dict[str, Any]]:
    """`domain_dict` of each, with every alias read at once (the caller sees these)."""
    aliases = c.ctx.panel.site_aliases.of_sites({d.id for d in domains})
    return [domain_dict(c, d, aliases.get(d.id, [])) for d in domains]


def _created(obj: Account | Domain) -> dict[str, Any]:
    return {"id": obj.id, "guid": obj.guid}


def _client(c: Call) -> Account:
    found = c.ctx.panel.accounts.get(c.params["id"])
    if found is None or not c.ctx.panel.accounts.can_manage(c.identity, found):
        raise not_found("Client")
    return found


def _owner(c: Call, login: str | None) -> Account | None:
    if not login:
        return None
    owner = c.ctx.panel.accounts.by_login(login)
    if owner is None:
        raise OwnerNotFound(f"Owner {login!r} does not exist")
    return owner


def list_clients(c: Call) -> Answer:
    accounts = c.ctx.panel.accounts
    return 200, [
        client_dict(a) for a in accounts.visible(c.identity, accounts.list()) if a.type != "admin"
    ]


def create_client(c: Call) -> Answer:
    b = c.body
    created = c.ctx.panel.accounts.create(
        c.identity,
        type=b["type"],
        login=b["login"],
        password=b["password"],
        owner=_owner(c, b.get("owner_login")),
        status=b.get("status", ACTIVE),
        **{k: b[k] for k in _CLIENT_TEXT if k in b},
    )
    return 201, _created(created)


def get_client(c: Call) -> Answer:
    return 200, client_dict(_client(c))


def update_client(c: Call) -> Answer:
    account = _client(c)
    b = c.body
    if b.get("type") is not None and b["type"] != account.type:
        raise bad_request("The type of a client cannot change")
    values: dict[str, Any] = {
        k: b[k] for k in (*_CLIENT_TEXT, "login", "password", "status") if k in b
    }
    if b.get("owner_login") and b["owner_login"] != account.owner_login:
        values["owner"] = _owner(c, b["owner_login"])  # naming the owner it has is no change
    return 200, _created(c.ctx.panel.accounts.update(c.identity, account, values))


def delete_client(c: Call) -> Answer:
    account = _client(c)
    c.ctx.panel.accounts.delete(c.identity, account)
    return 200, _created(account)


def activate_client(c: Call) -> Answer:
    c.ctx.panel.accounts.update(c.identity, _client(c), {"status": ACTIVE})
    return 200, SUCCESS


def suspend_client(c: Call) -> Answer:
    c.ctx.panel.accounts.update(c.identity, _client(c), {"status": DISABLED})
    return 200, SUCCESS


def client_statistics(c: Call) -> Answer:
    return 200, client_statistics_of(c.ctx.panel.db, _client(c).id)


def client_domains(c: Call) -> Answer:
    account = _client(c)
    domains = c.ctx.panel.domains.list(c.identity)
    return 200, _domain_dicts(c, [d for d in domains if d.owner_id == account.id])


# -- domains ----------------------------------------------------------------------------


def _domain(c: Call) -> Domain:
    found = c.ctx.panel.domains.get(c.identity, c.params["id"])
    if found is None:
        raise not_found("Domain")
    return found


def _owner_client(c: Call, ref: dict[str, Any] | None) -> Account | None:
    if not ref:
        return None
    accounts = c.ctx.panel.accounts
    found: Account | None = None
    if ref.get("id") is not None:
        found = accounts.get(ref["id"])
    elif ref.get("login"):
        found = accounts.by_login(ref["login"])
    elif ref.get("guid"):
        found = accounts.by_guid(ref["guid"])
    elif ref.get("external_id"):
        found = accounts.by_external_id(ref["external_id"])
    else:
        raise bad_request("owner_client needs one of id, login, guid or external_id")
    if found is None or not accounts.can_manage(c.identity, found):
        raise OwnerNotFound("The owner client does not exist")
    return found


def _base_domain(c: Call, ref: dict[str, Any] | None) -> Domain | None:
    if not ref:
        return None
    domains = c.ctx.panel.domains
    found: Domain | None = None
    if ref.get("id") is not None:
        found = domains.get(c.identity, ref["id"])
    elif ref.get("name"):
        found = domains.by_name(c.identity, ref["name"])
    elif ref.get("guid"):
        found = domains.by_guid(c.identity, ref["guid"])
    if found is None:
        raise InvalidValue("The base domain does not exist")
    return found


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
    return 200, _domain_dicts(c, domains.list(c.identity))


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
    created = c.ctx.panel.domains.create(
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
    return 201, _created(created)


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
    return 200, _created(updated)


def delete_domain(c: Call) -> Answer:
    domain = _domain(c)
    c.ctx.panel.domains.delete(c.identity, domain)
    return 200, _created(domain)


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


# -- DNS records ------------------------------------------------------------------------


def _zone(c: Call, *, required: bool) -> Domain | None:
    name = c.query.get("domain")
    if name is None:
        if required:
            raise bad_request("The query parameter 'domain' is required")
        return None
    found = c.ctx.panel.domains.by_name(c.identity, name)
    if found is None:
        raise not_found("Domain")
    return found


def list_records(c: Call) -> Answer:
    zone = _zone(c, required=True)  # Plesk's quirk: ?domain= is required
    assert zone is not None
    return 200, [r.as_dict() for r in c.ctx.panel.dns.records(c.identity, zone)]


def add_record(c: Call) -> Answer:
    zone = _zone(c, required=True)
    assert zone is not None
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


def _record(c: Call) -> Record:
    found = c.ctx.panel.dns.get(c.identity, c.params["id"])
    if found is None:
        raise not_found("DNS record")
    return found


def get_record(c: Call) -> Answer:
    return 200, _record(c).as_dict()


def update_record(c: Call) -> Answer:
    values = {k: c.body[k] for k in ("type", "host", "value", "opt", "ttl") if k in c.body}
    c.ctx.panel.dns.update(c.identity, _record(c), values)
    return 200, SUCCESS


def delete_record(c: Call) -> Answer:
    c.ctx.panel.dns.delete(c.identity, _record(c).id)
    return 200, SUCCESS
