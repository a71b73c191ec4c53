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

from panelkey.rest import databases as db
from panelkey.rest import extensions as x
from panelkey.rest import ftp as f
from panelkey.rest import handlers as h
from panelkey.rest import resources as r
from panelkey.rest.schemas import INT32, Schema, ref

Handler = Callable[[h.Call], h.Answer]


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    required: bool = False
    type: str = "string"  # or "integer"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler | None
    summary: str  # Plesk's exact summary: generated clients name operations after it
    tags: tuple[str, ...]
    status: int = 200
    answer: Schema | None = None
    body: str | None = None  # schema name of the JSON body
    body_required: bool = True
    query: tuple[Query, ...] = ()
    auth: bool = True
    inline: bool = False  # runs on the event loop: must not touch the store
    int_params: frozenset[str] = field(default_factory=frozenset)
    extension: str = ""  # set for panelkey's additions: what they add to Plesk's API

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


def _list(name: str) -> Schema:
    return {"type": "array", "items": ref(name)}


_ID = frozenset({"id"})
_STATUS = ref("StatusResponse")
_CREATED = ref("CreatedResponse")
_AUTH = ("Authentication",)
_SERVER = ("Server",)
_CLI = ("Cli",)
_EXT = ("Extensions",)
_CLIENTS = ("Clients",)
_DOMAINS = ("Domains",)
_FTP = ("FtpUsers",)
_DB = ("Databases",)
_DNS = ("DNS",)
_DOC = "This API as "

# Plesk's operations in the order of Plesk's document, then panelkey's additions.
ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/auth/keys",
        h.create_key,
        "Generate API secret key",
        _AUTH,
        status=201,
        answer=ref("SecretKeyResponse"),
        body="SecretKeyRequest",
        body_required=False,
    ),
    Route(
        "DELETE",
        "/auth/keys/{key}",
        h.delete_key,
        "Delete API secret key",
        _AUTH,
        answer=_STATUS,
    ),
    Route(
        "POST",
        "/server/session",
        h.create_session,
        "Create a session token",
        ("Authentication", "Server"),
        status=201,
        answer=ref("SessionResponse"),
        body="SessionRequest",
    ),
    Route(
        "GET",
        "/cli/commands",
        h.cli_commands,
        "List CLI commands",
        _CLI,
        answer={"type": "array", "items": {"type": "string"}},
        inline=True,
    ),
    Route(
        "GET",
        "/cli/{id}/ref",
        h.cli_ref,
        "Get CLI command reference",
        _CLI,
        answer={
            "type": "object",
            "properties": {
                "allowed_commands": {"type": "array", "items": {"type": "string"}},
                "allowed_options": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["allowed_commands", "allowed_options"],
        },
        inline=True,
    ),
    Route(
        "POST",
        "/cli/{id}/call",
        h.cli_call,
        "Execute CLI command",
        _CLI,
        answer=ref("CliCallResponse"),
        body="CliCallRequest",
        body_required=False,
    ),
    Route(
        "GET",
        "/server",
        h.server_info,
        "Get server information",
        _SERVER,
        answer=ref("ServerMeta"),
        inline=True,
    ),
    Route(
        "POST",
        "/server/init",
        h.server_init,
        "Initialize server",
        _SERVER,
        answer=_STATUS,
        body="ServerInit",
    ),
    Route(
        "POST",
        "/server/license",
        h.install_license,
        "Install license key",
        _SERVER,
        answer=_STATUS,
        body="ServerLicense",
    ),
    Route(
        "GET",
        "/server/ips",
        h.server_ips,
        "List server IP addresses",
        _SERVER,
        answer=_list("ServerIp"),
    ),
    Route(
        "GET",
        "/extensions",
        x.list_extensions,
        "List installed extensions",
        _EXT,
        answer=_list("Extension"),
    ),
    Route(
        "POST",
        "/extensions",
        x.install_extension,
        "Install extension",
        _EXT,
        answer=_STATUS,
        body="ExtensionInstallRequest",
    ),
    Route(
        "GET",
        "/extensions/{id}",
        x.get_extension,
        "Get extension details",
        _EXT,
        answer=ref("Extension"),
    ),
    Route(
        "DELETE",
        "/extensions/{id}",
        x.uninstall_extension,
        "Uninstall extension",
        _EXT,
        answer=_STATUS,
    ),
    Route(
        "PUT",
        "/extensions/{id}/enable",
        x.enable_extension,
        "Enable extension",
        _EXT,
        answer=_STATUS,
    ),
    Route(
        "PUT",
        "/extensions/{id}/disable",
        x.disable_extension,
        "Disable extension",
        _EXT,
        answer=_STATUS,
    ),
    Route("GET", "/clients", r.list_clients, "List clients", _CLIENTS, answer=_list("Client")),
    Route(
        "POST",
        "/clients",
        r.create_client,
        "Create client account",
        _CLIENTS,
        status=201,
        answer=_CREATED,
        body="ClientRequest",
    ),
    Route(
        "GET",
        "/clients/{id}",
        r.get_client,
        "Get client details",
        _CLIENTS,
        answer=ref("Client"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}",
        r.update_client,
        "Update client account",
        _CLIENTS,
        answer=_CREATED,
        body="ClientUpdateRequest",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/clients/{id}",
        r.delete_client,
        "Delete client account",
        _CLIENTS,
        answer=_CREATED,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/clients/{id}/domains",
        r.client_domains,
        "List client domains",
        _CLIENTS,
        answer=_list("DomainResponse"),
        int_params=_ID,
    ),
    Route(
        "GET",
        "/clients/{id}/statistics",
        r.client_statistics,
        "Get client statistics",
        _CLIENTS,
        answer=ref("ClientStatistics"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}/activate",
        r.activate_client,
        "Activate client",
        _CLIENTS,
        answer=_STATUS,
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/clients/{id}/suspend",
        r.suspend_client,
        "Suspend client",
        _CLIENTS,
        answer=_STATUS,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/domains",
        r.list_domains,
        "List domains",
        _DOMAINS,
        answer=_list("DomainResponse"),
        query=(Query("name", "Filter data by domain name"),),
    ),
    Route(
        "POST",
        "/domains",
        r.create_domain,
        "Create domain",
        _DOMAINS,
        status=201,
        answer=_CREATED,
        body="DomainRequest",
    ),
    Route(
        "GET",
        "/domains/{id}",
        r.get_domain,
        "Get domain details",
        _DOMAINS,
        answer=ref("DomainResponse"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/domains/{id}",
        r.update_domain,
        "Update domain",
        _DOMAINS,
        answer=_CREATED,
        body="DomainRequest",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/domains/{id}",
        r.delete_domain,
        "Delete domain",
        _DOMAINS,
        answer=_CREATED,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/domains/{id}/client",
        r.domain_client,
        "Get domain owner",
        _DOMAINS,
        answer=ref("Client"),
        int_params=_ID,
    ),
    Route(
        "GET",
        "/domains/{id}/status",
        r.get_domain_status,
        "Get domain status",
        _DOMAINS,
        answer=ref("DomainStatus"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/domains/{id}/status",
        r.set_domain_status,
        "Update domain status",
        _DOMAINS,
        answer=ref("DomainStatus"),
        body="DomainStatus",
        int_params=_ID,
    ),
    Route(
        "GET",
        "/ftpusers",
        f.list_ftp_users,
        "List FTP users",
        _FTP,
        answer=_list("FtpUser"),
        query=(
            Query("name", "Filter data by user name"),
            Query("domain", "Filter data by domain name"),
        ),
    ),
    Route(
        "POST",
        "/ftpusers",
        f.create_ftp_user,
        "Create FTP user",
        _FTP,
        answer=ref("FtpUser"),
        body="FtpUserRequest",
    ),
    Route(
        "PUT",
        "/ftpusers/{name}",
        f.update_ftp_user,
        "Update FTP user",
        _FTP,
        answer=_STATUS,
        body="FtpUserUpdateRequest",
    ),
    Route(
        "DELETE",
        "/ftpusers/{name}",
        f.delete_ftp_user,
        "Delete FTP user",
        _FTP,
        answer=_STATUS,
    ),
    Route(
        "GET",
        "/databases",
        db.list_databases,
        "List databases",
        _DB,
        answer=_list("Database"),
        query=(Query("domain", "Filter data by domain name"),),
    ),
    Route(
        "POST",
        "/databases",
        db.create_database,
        "Create database",
        _DB,
        answer=ref("Database"),
        body="DatabaseRequest",
    ),
    Route(
        "DELETE",
        "/databases/{id}",
        db.delete_database,
        "Delete database",
        _DB,
        answer=_STATUS,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/dbusers",
        db.list_db_users,
        "List database users",
        _DB,
        answer=_list("DatabaseUser"),
        query=(Query("dbId", "Filter data by database ID", type="integer"),),
    ),
    Route(
        "POST",
        "/dbusers",
        db.create_db_user,
        "Create database user",
        _DB,
        answer=ref("DatabaseUser"),
        body="DatabaseUserRequest",
    ),
    Route(
        "PUT",
        "/dbusers/{id}",
        db.update_db_user,
        "Update database user",
        _DB,
        answer=_STATUS,
        body="DatabaseUserUpdateRequest",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/dbusers/{id}",
        db.delete_db_user,
        "Delete database user",
        _DB,
        answer=_STATUS,
        int_params=_ID,
    ),
    Route(
        "GET",
        "/dbservers",
        db.list_db_servers,
        "List database servers",
        _DB,
        answer=_list("DatabaseServer"),
        query=(Query("id", "Filter data by database server id", type="integer"),),
    ),
    Route(
        "GET",
        "/dns/records",
        r.list_records,
        "List DNS records",
        _DNS,
        answer=_list("DnsRecord"),
        query=(Query("domain", "Domain or domain alias name", required=True),),
    ),
    Route(
        "POST",
        "/dns/records",
        r.add_record,
        "Create DNS record",
        _DNS,
        answer=ref("DnsRecord"),
        body="DnsRecordRequest",
        query=(Query("domain", "Domain or domain alias name", required=True),),
    ),
    Route(
        "GET",
        "/dns/records/{id}",
        r.get_record,
        "Get DNS record",
        _DNS,
        answer=ref("DnsRecord"),
        int_params=_ID,
    ),
    Route(
        "PUT",
        "/dns/records/{id}",
        r.update_record,
        "Update DNS record",
        _DNS,
        answer=_STATUS,
        body="DnsRecord",
        int_params=_ID,
    ),
    Route(
        "DELETE",
        "/dns/records/{id}",
        r.delete_record,
        "Delete DNS record",
        _DNS,
        answer=_STATUS,
        int_params=_ID,
    ),
    # panelkey's additions.
    Route(
        "GET",
        "/auth/keys",
        h.list_keys,
        "List API secret keys",
        _AUTH,
        answer=_list("SecretKeyInfo"),
        extension="lists the keys with their owners and last use, never their values",
    ),
    Route(
        "GET",
        "/openapi.json",
        None,
        _DOC + "an OpenAPI 3.0 document",
        ("Docs",),
        answer={"type": "object"},
        auth=False,
        inline=True,
        extension="this document, open without authentication",
    ),
    Route(
        "GET",
        "/swagger.json",
        None,
        _DOC + "a Swagger 2.0 document (JSON)",
        ("Docs",),
        answer={"type": "object"},
        auth=False,
        inline=True,
        extension="the Swagger 2.0 document, open without authentication",
    ),
    Route(
        "GET",
        "/swagger.yml",
        None,
        _DOC + "a Swagger 2.0 document (YAML)",
        ("Docs",),
        answer={"type": "object"},
        auth=False,
        inline=True,
        extension="the Swagger 2.0 document in YAML, open without authentication",
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
