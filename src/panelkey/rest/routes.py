"""The route table: the one source the router and both OpenAPI documents read.

A route names its method, path (below `/api/v2`), handler, request body schema, query
parameters and success answer. Path parameters named `id` are integers, except under
`/cli/` where they are command names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from panelkey.rest import handlers as h
from panelkey.rest import resources as r
from panelkey.rest.schemas import INT32, Schema, ref

Handler = Callable[[h.Call], h.Answer]


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler | None
    summary: str
    tag: str
    status: int = 200
    answer: Schema | None = None
    body: str | None = None  # schema name of the JSON body
    body_required: bool = True
    query: tuple[Query, ...] = ()
    auth: bool = True
    inline: bool = False  # runs on the event loop: must not touch the store
    int_params: frozenset[str] = field(default_factory=frozenset)

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


def _list(name: str) -> Schema:
    return {"type": "array", "items": ref(name)}


_ID = frozenset({"id"})
_STATUS = ref("StatusResponse")
_CREATED = ref("CreatedResponse")

ROUTES: tuple[Route, ...] = (
    # The documents themselves: handled by the app, open without authentication.
    Route(
        "GET",
        "/openapi.json",
        None,
        "This API as an OpenAPI 3.0 document",
        "Docs",
        answer={"type": "object"},
        auth=False,
        inline=True,
    ),
    Route(
        "GET",
        "/swagger.json",
        None,
        "This API as a Swagger 2.0 document (JSON)",
        "Docs",
        answer={"type": "object"},
        auth=False,
        inline=True,
    ),
    Route(
        "GET",
        "/swagger.yml",
        None,
        "This API as a Swagger 2.0 document (YAML)",
        "Docs",
        answer={"type": "object"},
        auth=False,
        inline=True,
    ),
    # Secret keys.
    Route(
        "POST",
        "/auth/keys",
        h.create_key,
        "Create a secret key",
        "Authentication",
        status=201,
        answer=ref("KeyResponse"),
        body="KeyRequest",
        body_required=False,
    ),
    Route(
        "GET",
        "/auth/keys",
        h.list_keys,
        "List secret keys (never their values)",
        "Authentication",
        answer=_list("KeyInfo"),
    ),
    Route(
        "DELETE",
        "/auth/keys/{key}",
        h.delete_key,
        "Delete a secret key by value or id",
        "Authentication",
        answer=_STATUS,
    ),
    # The server.
    Route(
        "GET",
        "/server",
        h.server_info,
        "Server information",
        "Server",
        answer=ref("ServerInfo"),
        inline=True,
    ),
    Route(
        "GET",
        "/server/ips",
        h.server_ips,
        "The server's IP addresses",
        "Server",
        answer=_list("ServerIp"),
    ),
    # The command-line gate.
    Route(
        "GET",
        "/cli/commands",
        h.cli_commands,
        "Commands that can be called",
        "CLI",
        answer={"type": "array", "items": {"type": "string"}},
        inline=True,
    ),
    Route(
        "GET",
        "/cli/{id}/ref",
        h.cli_ref,
        "A command's commands and options",
        "CLI",
        answer=ref("CliRef"),
        inline=True,
    ),
    Route(
        "POST",
        "/cli/{id}/call",
        h.cli_call,
        "Run a command as the command line does",
        "CLI",
        answer=ref("CliCallResult"),
        body="CliCallRequest",
        body_required=False,
    ),
    # Clients.
    Route(
        "GET", "/clients", r.list_clients, "List clients", "Clients", answer=_list("ClientResponse")
    ),
    Route(
        "POST",
        "/clients",
        r.create_client,
        "Create a client",
        "Clients",
        status=201,
        answer=_CREATED,
        body="ClientRequest",
    ),
    Route(
        "GET",
        "/clients/{id}",
        r.get_client,
        "One client",
        "Clients",
        answer=ref("ClientResponse"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}",
        r.update_client,
        "Change a client",
        "Clients",
        answer=_CREATED,
        body="ClientUpdate",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/clients/{id}",
        r.delete_client,
        "Delete a client with its keys and domains",
        "Clients",
        answer=_CREATED,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/clients/{id}/domains",
        r.client_domains,
        "A client's domains",
        "Clients",
        answer=_list("DomainResponse"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}/activate",
        r.activate_client,
        "Activate a client",
        "Clients",
        answer=_CREATED,
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}/suspend",
        r.suspend_client,
        "Suspend a client",
        "Clients",
        answer=_CREATED,
        int_params=_ID,
    ),
    # Domains.
    Route(
        "GET",
        "/domains",
        r.list_domains,
        "List domains",
        "Domains",
        answer=_list("DomainResponse"),
        query=(Query("name", "Only the domain of this name"),),
    ),
    Route(
        "POST",
        "/domains",
        r.create_domain,
        "Create a domain with its DNS zone",
        "Domains",
        status=201,
        answer=_CREATED,
        body="DomainRequest",
    ),
    Route(
        "GET",
        "/domains/{id}",
        r.get_domain,
        "One domain",
        "Domains",
        answer=ref("DomainResponse"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/domains/{id}",
        r.update_domain,
        "Change a domain",
        "Domains",
        answer=_CREATED,
        body="DomainUpdate",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/domains/{id}",
        r.delete_domain,
        "Delete a domain",
        "Domains",
        answer=_CREATED,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/domains/{id}/client",
        r.domain_client,
        "The client owning a domain",
        "Domains",
        answer=ref("ClientResponse"),
        int_params=_ID,
    ),
    Route(
        "GET",
        "/domains/{id}/status",
        r.get_domain_status,
        "A domain's status",
        "Domains",
        answer=ref("DomainStatus"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/domains/{id}/status",
        r.set_domain_status,
        "Change a domain's status",
        "Domains",
        answer=ref("DomainStatus"),
        body="DomainStatus",
        int_params=_ID,
    ),
    # DNS records.
    Route(
        "GET",
        "/dns/records",
        r.list_records,
        "DNS records of one domain, or of all",
        "DNS",
        answer=_list("DnsRecord"),
        query=(Query("domain", "The domain's name"),),
    ),
    Route(
        "POST",
        "/dns/records",
        r.add_record,
        "Add a DNS record",
        "DNS",
        status=201,
        answer=ref("DnsRecord"),
        body="DnsRecordRequest",
        query=(Query("domain", "The domain's name", required=True),),
    ),
    Route(
        "GET",
        "/dns/records/{id}",
        r.get_record,
        "One DNS record",
        "DNS",
        answer=ref("DnsRecord"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/dns/records/{id}",
        r.update_record,
        "Change a DNS record",
        "DNS",
        answer=ref("DnsRecord"),
        body="DnsRecordUpdate",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/dns/records/{id}",
        r.delete_record,
        "Delete a DNS record",
        "DNS",
        answer=_STATUS,
        int_params=_ID,
    ),
)


# -- the router ---------------------------------------------------------------------------


@dataclass
class _Path:
    template: str
    methods: dict[str, Route]
    allow: str
    names: list[str]
    int_params: frozenset[str]


class Router:
    """Static paths by dict lookup; templated ones by one regex each, in table order."""

    def __init__(self, routes: tuple[Route, ...] = ROUTES) -> None:
        grouped: dict[str, dict[str, Route]] = {}
        for route in routes:
            grouped.setdefault(route.path, {})[route.method] = route
        self.static: dict[str, _Path] = {}
        self.dynamic: list[tuple[re.Pattern[str], _Path]] = []
        for template, methods in grouped.items():
            ints = frozenset().union(*(m.int_params for m in methods.values()))
            allowed = sorted(methods) + (["HEAD"] if "GET" in methods else [])
            entry = _Path(
                template, methods, ", ".join(allowed), re.findall(r"{(\w+)}", template), ints
            )
            if "{" not in template:
                self.static[template] = entry
                continue
            pattern = re.escape(template)
            for name in entry.names:
                part = r"([0-9]{1,10})" if name in ints else r"([^/]+)"
                pattern = pattern.replace(re.escape("{" + name + "}"), part)
            self.dynamic.append((re.compile(pattern + r"\Z"), entry))

    def match(self, path: str) -> tuple[_Path, dict[str, Any]] | None:
        """The path's entry and its parameters (integers where declared), or None. An
        integer past the store's range matches nothing, as an unknown id would."""
        entry = self.static.get(path)
        if entry is not None:
            return entry, {}
        for pattern, entry in self.dynamic:
            m = pattern.match(path)
            if m is None:
                continue
            params: dict[str, Any] = {}
            for name, value in zip(entry.names, m.groups(), strict=True):
                if name in entry.int_params:
                    number = int(value)
                    if not 1 <= number <= INT32:
                        return None
                    params[name] = number
                else:
                    params[name] = value
            return entry, params
        return None
