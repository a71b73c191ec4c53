"""Example values for the OpenAPI documents: what Swagger UI shows and fills in.

Without them Swagger UI draws a sample from each schema (random text fitting a pattern,
`2147483647` for an integer bounded by INT32), which reads like noise. `apply` gives
every property of every schema an `example` that looks like real data and fits that
property's schema, every named schema a whole example made of them, and every path and
query parameter one too. A property not in these tables (a schema that grew) still gets
a fitting example made from its type; the test holds every example to its schema.
"""

from __future__ import annotations

import copy
from typing import Any

# By property name, whatever the schema.
BY_NAME: dict[str, Any] = {
    "active": True,
    "active_domains": 3,
    "additional": False,
    "address": "12 Harbour Street",
    "ascii_name": "example.com",
    "base_domain_id": 0,
    "city": "Springfield",
    "code": "A00B00-CDE001-FGH002-IJK003-LMN004",
    "company": "Example Hosting Ltd",
    "country": "US",
    "created": "2026-03-14T09:26:53Z",
    "database_id": 7,
    "databases": 2,
    "db_count": 4,
    "default_user_id": 12,
    "description": "Shop of Jane Doe",
    "disk_space": 524288000,
    "dns": True,
    "email": "jane.doe@example.com",
    "email_postboxes": 5,
    "email_redirects": 1,
    "email_response_messages": 0,
    "env": {"LANG": "C"},
    "expires": "30d",
    "extension_release": "1",
    "extension_version": "18.0.62",
    "external_id": "crm-10442",
    "fax": "+1 555 0100 199",
    "ftp_login": "janedoe",
    "ftp_password": "Corr3ct-Horse-Battery",
    "file": "/root/extension.zip",
    "guid": "5b2d3f0e-8c1a-4e6b-9f27-1d0c4a9e7b31",
    "home": "/httpdocs",
    "host": "www.example.com.",
    "hostname": "panel.example.com",
    "hosting_settings": {"ftp_login": "janedoe", "ftp_password": "s3cret-Ftp-pass"},
    "id": 42,
    "interface": "eth0",
    "ip": "192.0.2.10",
    "ip_addresses": ["192.0.2.10"],
    "ips": ["192.0.2.10", "203.0.113.0/24"],
    "ipv4": ["192.0.2.10"],
    "ipv6": ["2001:db8::10"],
    "is_default": True,
    "is_local": True,
    "key": "c4a1f9d2-7b3e-4f60-8d15-2e9a0b6c3f78",
    "last_used": "2026-03-15T17:02:11Z",
    "last_used_ip": "192.0.2.44",
    "locale": "en-US",
    "login": "janedoe",
    "mail": True,
    "mailing_lists": 0,
    "message": "Not found",
    "multiple_sessions": True,
    "name": "Jane Doe",
    "netmask": "255.255.255.0",
    "opt": "",
    "owner_login": "admin",
    "panel_build_date": "2026-02-24",
    "panel_revision": "b3c2e1a",
    "panel_update_version": "2",
    "panel_version": "18.0.62",
    "parent_domain": 42,
    "password": "Corr3ct-Horse-Battery",
    "permissions": {"read": "true", "write": "true"},
    "phone": "+1 555 0100 123",
    "platform": "Unix",
    "port": 3306,
    "post_code": "49007",
    "quota": 1073741824,
    "rate": "100/m",
    "refusals": 2,
    "release": "1",
    "requests": 1520,
    "scope": ["read", "dns/*"],
    "send_announce": False,
    "seo_redirect": True,
    "server_id": 1,
    "server_name": "panel.example.com",
    "skip_mfa": False,
    "source_server": "",
    "state": "IL",
    "status": 0,
    "stderr": "",
    "stdout": "Secret key created: c4a1f9d2-...\n",
    "subdomains": 1,
    "traffic": 73400320,
    "traffic_prevday": 1048576,
    "ttl": 3600,
    "url": "https://example.com/extension.zip",
    "user_ip": "192.0.2.44",
    "value": "192.0.2.10",
    "version": "18.0.62",
    "web": True,
    "www_root": "/var/www/vhosts/example.com/httpdocs",
}

# Where a name means something else in one schema.
BY_SCHEMA: dict[tuple[str, str], Any] = {
    ("CliCallRequest", "params"): ["--list", "-format", "json"],
    ("CliCallResponse", "code"): 0,
    ("CliCallResponse", "stdout"): '[{"id": 1, "description": "deploy"}]\n',
    ("Admin", "name"): "Server Administrator",
    ("Admin", "email"): "admin@example.com",
    ("ServerIp", "ipv4"): "192.0.2.10",
    ("ServerIp", "ipv6"): "2001:db8::10",
    ("ServerIp", "type"): "shared",
    ("ServerMeta", "guid"): "0d3f6a52-2b8e-4c1d-a9e3-7f41c05b6e28",
    ("Extension", "id"): "letsencrypt",
    ("Extension", "name"): "Let's Encrypt",
    ("Extension", "version"): "3.2.1",
    ("ExtensionInstallRequest", "id"): "letsencrypt",
    ("Client", "type"): "customer",
    ("ClientRequest", "type"): "customer",
    ("DomainReference", "id"): 42,
    ("DomainReference", "name"): "example.com",
    ("OwnerClientReference", "id"): 7,
    ("PlanReference", "name"): "Default Domain",
    ("DomainRequest", "name"): "example.com",
    ("DomainRequest", "description"): "Jane's shop",
    ("DomainRequest", "hosting_type"): "virtual",
    ("DomainResponse", "name"): "example.com",
    ("DomainResponse", "description"): "Jane's shop",
    ("DomainResponse", "hosting_type"): "virtual",
    ("DomainAlias", "name"): "example.net",
    ("DomainAlias", "ascii_name"): "example.net",
    ("DomainStatus", "status"): "active",
    ("DnsRecord", "type"): "A",
    ("DnsRecordRequest", "type"): "A",
    ("FtpUser", "name"): "janedoe_ftp",
    ("FtpUserRequest", "name"): "janedoe_ftp",
    ("FtpUserUpdateRequest", "name"): "janedoe_ftp",
    ("FtpUser", "home"): "/httpdocs",
    ("Database", "name"): "shop_db",
    ("Database", "type"): "mysql",
    ("DatabaseRequest", "name"): "shop_db",
    ("DatabaseRequest", "type"): "mysql",
    ("DatabaseUser", "login"): "shop_user",
    ("DatabaseUserRequest", "login"): "shop_user",
    ("DatabaseUserUpdateRequest", "login"): "shop_user",
    ("DatabaseServer", "host"): "localhost",
    ("DatabaseServer", "type"): "mysql",
    ("DatabaseServer", "status"): "online",
    ("StatusResponse", "status"): "success",
    ("ErrorResponse", "code"): 404,
    ("ErrorResponse", "message"): "Not found",
    ("SecretKeyRequest", "ip"): "192.0.2.10",
    ("SecretKeyRequest", "description"): "deploy pipeline",
    ("SecretKeyRequest", "login"): "admin",
    ("SecretKeyInfo", "description"): "deploy pipeline",
    ("SecretKeyInfo", "login"): "admin",
    ("SecretKeyInfo", "expires"): "2026-04-13T09:26:53Z",
    ("SessionResponse", "id"): "9f3c2a1b7d4e6f80a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ("ServerLicense", "key"): "PLSK.01234567.0000",
}

_PASSWORD = "Corr3ct-Horse-Battery"  # noqa: S105 - an example shown in the docs

# Whole examples of request bodies: the request one would really send (made of the
# properties' examples, a body would name every optional part at once).
WHOLE: dict[str, dict[str, Any]] = {
    "SecretKeyRequest": {
        "ips": ["192.0.2.10"], "description": "deploy pipeline", "expires": "30d",
        "scope": ["read", "dns/*"], "rate": "100/m",
    },
    "SessionRequest": {"login": "janedoe", "user_ip": "192.0.2.44"},
    "CliCallRequest": {"params": ["--list", "-format", "json"]},
    "ServerLicense": {"code": "A00B00-CDE001-FGH002-IJK003-LMN004"},
    "ClientRequest": {
        "name": "Jane Doe", "company": "Example Hosting Ltd", "login": "janedoe",
        "password": _PASSWORD, "email": "jane.doe@example.com", "type": "customer",
    },
    "ClientUpdateRequest": {"company": "Example Shops Ltd", "email": "jane@example.org"},
    "DomainRequest": {
        "name": "example.com", "description": "Jane's shop", "hosting_type": "virtual",
        "hosting_settings": {"ftp_login": "janedoe", "ftp_password": _PASSWORD},
        "owner_client": {"login": "janedoe"}, "ip_addresses": ["192.0.2.10"],
    },
    "DnsRecordRequest": {"type": "A", "host": "www", "value": "192.0.2.10", "ttl": 3600},
    "FtpUserRequest": {
        "name": "janedoe_ftp", "password": _PASSWORD, "home": "/httpdocs",
        "parent_domain": {"name": "example.com"},
    },
    "FtpUserUpdateRequest": {"home": "/httpdocs/shop", "quota": 1073741824},
    "DatabaseRequest": {
        "name": "shop_db", "type": "mysql", "parent_domain": {"name": "example.com"},
    },
    "DatabaseUserRequest": {"login": "shop_user", "password": _PASSWORD, "database_id": 7},
    "DatabaseUserUpdateRequest": {"password": _PASSWORD},
}  # fmt: skip

# Path and query parameters, by name.
PARAMETERS: dict[str, Any] = {
    "id": 1,
    "name": "example.com",
    "domain": "example.com",
    "login": "janedoe",
    "external_id": "crm-10442",
    "guid": "5b2d3f0e-8c1a-4e6b-9f27-1d0c4a9e7b31",
}


def _fallback(schema: dict[str, Any], name: str) -> Any:
    """A value of the schema's type for a property no table names."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return name.replace("_", "-")


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    """Type and enum only: the cheap check that keeps a shared name from a wrong slot."""
    if "enum" in schema and value not in schema["enum"]:
        return False
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str, "integer": int, "number": (int, float), "boolean": bool,
        "array": list, "object": dict,
    }  # fmt: skip
    kind = schema.get("type")
    if not isinstance(kind, str) or kind not in kinds:
        return True  # no type to hold it to
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    return isinstance(value, kinds[kind])


def property_example(schema_name: str, prop: str, schema: dict[str, Any]) -> Any:
    value = BY_SCHEMA.get((schema_name, prop), BY_NAME.get(prop))
    if value is None or not _fits(value, schema):
        if "anyOf" in schema:
            return property_example(schema_name, prop, schema["anyOf"][0])
        value = _fallback(schema, prop)
    return copy.deepcopy(value)


def _target(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _annotate(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """Put an example on each property of `schema` (and its nested objects); return the
    example of the whole, built from its properties (references' examples copied)."""
    if "$ref" in schema:
        return copy.deepcopy(schemas.get(_target(schema["$ref"]), {}).get("example"))
    if "properties" in schema:
        whole: dict[str, Any] = {}
        for prop, sub in schema["properties"].items():
            if "$ref" in sub:
                whole[prop] = _annotate(name, sub, schemas)
                continue
            if sub.get("type") == "object" and "properties" in sub:
                sub.setdefault("example", _annotate(f"{name}.{prop}", sub, schemas))
            known = (name, prop) in BY_SCHEMA or prop in BY_NAME
            if sub.get("type") == "array" and isinstance(sub.get("items"), dict) and not known:
                item = _annotate(name, sub["items"], schemas)
                sub.setdefault("example", [item] if item is not None else [])
            sub.setdefault("example", property_example(name, prop, sub))
            whole[prop] = sub["example"]
        return whole
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        item = _annotate(name, schema["items"], schemas)
        return [item] if item is not None else []
    return None


def _examples(schemas: dict[str, Any]) -> None:
    """Every schema's example, those it refers to first (a cycle is cut where met)."""
    done: set[str] = set()

    def make(name: str, seen: frozenset[str]) -> None:
        if name in done or name in seen or name not in schemas:
            return
        for other in _refs(schemas[name]):
            make(other, seen | {name})
        whole = _annotate(name, schemas[name], schemas)
        if name in WHOLE:
            whole = copy.deepcopy(WHOLE[name])
        if whole is not None:
            schemas[name].setdefault("example", whole)
        done.add(name)

    for name in list(schemas):
        make(name, frozenset())


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        found = [_target(schema["$ref"])] if "$ref" in schema else []
        for value in schema.values():
            found += _refs(value)
        return found
    if isinstance(schema, list):
        return [r for v in schema for r in _refs(v)]
    return []


# What each error answer says, as the REST face words it (one shape: ErrorResponse).
ERROR_MESSAGES = {
    400: "Invalid value of 'name'",
    401: "Authentication required: send X-API-Key or Basic credentials",
    403: "Only the administrator may use the REST API",
    404: "Not found",
    413: "The request body is too large",
}


def _operations(paths: dict[str, Any], swagger: bool) -> None:
    """Examples of path and query parameters and of each error answer."""
    for operations in paths.values():
        for op in operations.values():
            for param in op.get("parameters", ()):
                if param.get("in") not in ("path", "query") or param["name"] not in PARAMETERS:
                    continue
                schema = param if swagger else param.get("schema", {})
                value = PARAMETERS[param["name"]]
                if _fits(value, schema):
                    # Swagger 2.0 has no `example` on a parameter; Swagger UI reads x-example.
                    param["x-example" if swagger else "example"] = value
            for code, answer in op.get("responses", {}).items():
                if not code.isdigit() or int(code) not in ERROR_MESSAGES:
                    continue
                body = {"code": int(code), "message": ERROR_MESSAGES[int(code)]}
                if swagger:
                    answer["examples"] = {"application/json": body}
                elif "application/json" in answer.get("content", {}):
                    answer["content"]["application/json"]["example"] = body


def apply(document: dict[str, Any]) -> dict[str, Any]:
    """Give `document` (an OpenAPI 3.0 or Swagger 2.0 one, as openapi.py makes it) its
    examples, in place; returns it."""
    swagger = "swagger" in document
    schemas = document["definitions"] if swagger else document["components"]["schemas"]
    _examples(schemas)
    _operations(document["paths"], swagger)
    return document
