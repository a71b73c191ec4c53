"""`/clients`: customers and resellers over the core's accounts
(`core/accounts/accounts.py`), the same ones XML `customer` and `reseller` read and write.
`status` is Plesk's integer; POST, PUT and DELETE answer a CreatedResponse."""

from __future__ import annotations

from typing import Any

from panelkey.core import patterns
from panelkey.core.accounts.accounts import ACTIVE, DISABLED, Account
from panelkey.core.clock import plesk_date
from panelkey.core.domains.statistics import client_statistics as client_statistics_of
from panelkey.core.errors import OwnerNotFound
from panelkey.core.identity import AccountType
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import bad_request, not_found
from panelkey.rest.resources import SUCCESS, Answer, Call, Resource, created

# -- handlers -------------------------------------------------------------------------------

_TEXT = ("name", "company", "email", "locale", "description", "external_id")
_ANSWER = (
    "id",
    "created",
    "name",
    "company",
    "login",
    "status",
    "email",
    "locale",
    "guid",
    "owner_login",
    "external_id",
    "description",
    "type",
)


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


def _client(c: Call) -> Account:
    found = c.ctx.panel.accounts.find(c.identity, ("id", c.params["id"]))
    if found is None:
        raise not_found("Client")
    return found


def _owner(c: Call, login: str | None) -> Account | None:
    if not login:
        return None
    # unscoped: an owner out of reach is the core's PermissionDenied (403), not a 404
    owner = c.ctx.panel.accounts.by_login(login)
    if owner is None:
        raise OwnerNotFound(f"Owner {login!r} does not exist")
    return owner


def list_clients(c: Call) -> Answer:
    reachable = c.ctx.panel.accounts.reachable(c.identity)
    return 200, (client_dict(a) for a in reachable if a.type != "admin")


def create_client(c: Call) -> Answer:
    b = c.body
    made = c.ctx.panel.accounts.create(
        c.identity,
        type=b["type"],
        login=b["login"],
        password=b["password"],
        owner=_owner(c, b.get("owner_login")),
        status=b.get("status", ACTIVE),
        **{k: b[k] for k in _TEXT if k in b},
    )
    return 201, created(made)


def get_client(c: Call) -> Answer:
    return 200, client_dict(_client(c))


def update_client(c: Call) -> Answer:
    account = _client(c)
    b = c.body
    if b.get("type") is not None and b["type"] != account.type:
        raise bad_request("The type of a client cannot change")
    values: dict[str, Any] = {k: b[k] for k in (*_TEXT, "login", "password", "status") if k in b}
    if b.get("owner_login") and b["owner_login"] != account.owner_login:
        values["owner"] = _owner(c, b["owner_login"])  # naming the owner it has is no change
    return 200, created(c.ctx.panel.accounts.update(c.identity, account, values))


def delete_client(c: Call) -> Answer:
    account = _client(c)
    c.ctx.panel.accounts.delete(c.identity, account)
    return 200, created(account)


def activate_client(c: Call) -> Answer:
    c.ctx.panel.accounts.update(c.identity, _client(c), {"status": ACTIVE})
    return 200, SUCCESS


def suspend_client(c: Call) -> Answer:
    c.ctx.panel.accounts.update(c.identity, _client(c), {"status": DISABLED})
    return 200, SUCCESS


def client_statistics(c: Call) -> Answer:
    return 200, client_statistics_of(c.ctx.panel.db, _client(c).id)


def client_domains(c: Call) -> Answer:
    # domains.py answers a domain's owner with this module's client_dict.
    from panelkey.rest.resources.domains import domain_dicts

    account = _client(c)
    domains = c.ctx.panel.domains.list(c.identity)
    return 200, domain_dicts(c, [d for d in domains if d.owner_id == account.id])


# -- schemas --------------------------------------------------------------------------------

_TYPES = sorted(t.value for t in AccountType if t is not AccountType.ADMIN)
LOCALE_MAX = 64  # Plesk's codes are five characters (en-US); room for more
_FIELDS: dict[str, js.Schema] = {
    "name": js.string("Contact name", maxLength=patterns.NAME_MAX),
    "company": js.string(maxLength=patterns.NAME_MAX),
    "login": js.LOGIN,
    "status": js.integer(
        "0 active, 16 disabled by the administrator (4 and 256 as Plesk)",
        enum=list(patterns.ACCOUNT_STATUSES),
    ),
    "email": js.EMAIL,
    "locale": js.string(maxLength=LOCALE_MAX),
    "owner_login": js.string(
        "Login of the owner (the admin or a reseller); default: the admin",
        maxLength=patterns.LOGIN_MAX,
    ),
    "external_id": js.string(maxLength=patterns.TEXT_MAX),
    "description": js.DESCRIPTION,
    "password": js.PASSWORD,
}
_STATISTICS = (
    "active_domains",
    "subdomains",
    "disk_space",
    "email_postboxes",
    "email_redirects",
    "email_response_messages",
    "mailing_lists",
    "databases",
    "traffic",
    "traffic_prevday",
)
_ENTITY = "The client entity"

SCHEMAS: dict[str, js.Schema] = {
    "Client": js.obj(
        {
            **{name: js.string() for name in _ANSWER},
            "id": js.ID,
            "created": js.DATE,
            "status": js.integer(),
            "type": js.string(enum=["admin", *_TYPES]),
        },
        _ANSWER,
        description=_ENTITY,
    ),
    "ClientRequest": js.obj(
        {**_FIELDS, "type": js.string(enum=_TYPES)},
        ("name", "login", "password", "email", "type"),
        description=_ENTITY,
    ),
    "ClientUpdateRequest": js.obj(_FIELDS, description=_ENTITY),
    "ClientStatistics": js.obj(
        {name: js.integer() for name in _STATISTICS},
        _STATISTICS,
        description="The client statistics",
    ),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("Clients",), "customer")
_ALL = "/clients"
_ONE = f"{_ALL}/{{id}}"
ROUTES = (
    _R.get(_ALL, list_clients, "List clients", js.many("Client")),
    _R.post(
        _ALL, create_client, "Create client account", js.CREATED, status=201, body="ClientRequest"
    ),
    _R.get(_ONE, get_client, "Get client details", js.ref("Client")),
    _R.put(_ONE, update_client, "Update client account", js.CREATED, body="ClientUpdateRequest"),
    _R.delete(_ONE, delete_client, "Delete client account", js.CREATED),
    _R.get(f"{_ONE}/domains", client_domains, "List client domains", js.many("DomainResponse")),
    _R.get(
        f"{_ONE}/statistics", client_statistics, "Get client statistics", js.ref("ClientStatistics")
    ),
    _R.put(f"{_ONE}/activate", activate_client, "Activate client", js.STATUS),
    _R.put(f"{_ONE}/suspend", suspend_client, "Suspend client", js.STATUS),
)
