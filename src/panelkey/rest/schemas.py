"""The JSON shapes of the REST API, named as Plesk's published document names its fields.

Both OpenAPI documents are made from these, and request bodies are checked against
them before any handler runs, so the documents and the behaviour cannot disagree.
Schemas use the subset OpenAPI 3.0 and Swagger 2.0 share; `{"$ref": "Name"}` points at
another schema here and `nullable` is written as each document version spells it.
"""

from __future__ import annotations

from typing import Any

from panelkey.rest.errors import bad_request

Schema = dict[str, Any]
INT32 = 2**31 - 1


def _str(description: str = "", **extra: Any) -> Schema:
    out: Schema = {"type": "string", **extra}
    if description:
        out["description"] = description
    return out


def _int(description: str = "", minimum: int = 0, **extra: Any) -> Schema:
    out: Schema = {"type": "integer", "minimum": minimum, "maximum": INT32, **extra}
    if description:
        out["description"] = description
    return out


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    out: Schema = {"type": "object", "properties": properties, **extra}
    if required:
        out["required"] = list(required)
    return out


def _list(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def ref(name: str) -> Schema:
    return {"$ref": name}


_CLIENT_TYPES = ["customer", "reseller"]
_ACCOUNT_STATUS = _int(
    "0 active, 16 disabled by the administrator (4 and 256 as Plesk)", enum=[0, 4, 16, 256]
)
_CLIENT_FIELDS: dict[str, Schema] = {
    "name": _str("Contact name"),
    "company": _str(),
    "login": _str(
        "1-60 of A-Z a-z 0-9 . _ - @, starting with a letter or digit", minLength=1, maxLength=60
    ),
    "password": _str(minLength=1),
    "email": _str("Empty, or an e-mail address"),
    "type": _str(enum=_CLIENT_TYPES),
    "status": _ACCOUNT_STATUS,
    "locale": _str(),
    "owner_login": _str("Login of the owner (the admin or a reseller); default: the admin"),
    "external_id": _str(),
    "description": _str(),
}
_DOMAIN_REFERENCE = _obj(
    {"id": _int(minimum=1), "name": _str(), "guid": _str()},
    description="One of id, name or guid",
)
_HOSTING_TYPES = ["virtual", "standard_forwarding", "frame_forwarding", "none"]
_DOMAIN_STATUSES = ["active", "suspended", "disabled"]
_DNS_TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "CAA"]
_DNS_FIELDS: dict[str, Schema] = {
    "type": _str(enum=_DNS_TYPES),
    "host": _str("Relative to the zone or absolute; answered absolute with a trailing dot"),
    "value": _str(minLength=1),
    "opt": _str("MX priority and the like"),
    "ttl": _int(),
}

_SERVER_FIELDS = (
    "platform",
    "hostname",
    "guid",
    "panel_version",
    "panel_revision",
    "panel_build_date",
    "panel_update_version",
    "extension_version",
    "extension_release",
)

SCHEMAS: dict[str, Schema] = {
    "Error": _obj(
        {"code": _int("The HTTP status", minimum=100), "message": _str()}, ("code", "message")
    ),
    "StatusResponse": _obj({"status": _str()}, ("status",)),
    "KeyRequest": _obj(
        {
            "ip": _str(
                "An address or network the key may be used from; a list is accepted too",
                **{"x-also-list": True},
            ),
            "ips": _list(_str(), description="Addresses or networks (IPv4, IPv6, CIDR)"),
            "login": _str("Owner login (an active reseller or customer); default: the admin"),
            "description": _str(),
        },
        description="With no ip and no ips the key is bound to the caller's address",
    ),
    "KeyResponse": _obj({"key": _str("The key value, shown this once")}, ("key",)),
    "KeyInfo": _obj(
        {
            "id": _int(minimum=1),
            "ips": _list(_str()),
            "description": _str(),
            "login": _str(),
            "created": _str(),
            "last_used": _str(nullable=True),
            "last_used_ip": _str(nullable=True),
        },
        ("id", "ips", "description", "login", "created", "last_used", "last_used_ip"),
    ),
    "ServerInfo": _obj({name: _str() for name in _SERVER_FIELDS}, _SERVER_FIELDS),
    "ServerIp": _obj(
        {n: _str() for n in ("ipv4", "ipv6", "netmask", "interface", "type")},
        ("ipv4", "ipv6", "netmask", "interface", "type"),
    ),
    "CliRef": _obj(
        {"allowed_commands": _list(_str()), "allowed_options": _list(_str())},
        ("allowed_commands", "allowed_options"),
    ),
    "CliCallRequest": _obj(
        {
            "params": _list(_str(), description="The command line's arguments"),
            "env": _obj(
                {},
                additionalProperties=_str(),
                description="Accepted for compatibility; not passed on",
            ),
        }
    ),
    "CliCallResult": _obj(
        {"code": _int("Exit code"), "stdout": _str(), "stderr": _str()},
        ("code", "stdout", "stderr"),
    ),
    "ClientRequest": _obj(_CLIENT_FIELDS, ("name", "login", "password", "email", "type")),
    "ClientUpdate": _obj(_CLIENT_FIELDS),
    "ClientResponse": _obj(
        {
            "id": _int(minimum=1),
            "created": _str(),
            "name": _str(),
            "company": _str(),
            "login": _str(),
            "status": _int(),
            "email": _str(),
            "locale": _str(),
            "guid": _str(),
            "description": _str(),
            "type": _str(enum=["admin", *_CLIENT_TYPES]),
            "owner_login": _str(),
            "external_id": _str(),
        },
        (
            "id",
            "created",
            "name",
            "company",
            "login",
            "status",
            "email",
            "locale",
            "guid",
            "description",
            "type",
            "owner_login",
            "external_id",
        ),
    ),
    "CreatedResponse": _obj({"id": _int(minimum=1), "guid": _str()}, ("id", "guid")),
    "DomainRequest": _obj(
        {
            "name": _str("The domain name; internationalised names are accepted"),
            "description": _str(),
            "hosting_type": _str(enum=_HOSTING_TYPES),
            "hosting_settings": _obj({"ftp_login": _str(), "ftp_password": _str()}),
            "base_domain": _DOMAIN_REFERENCE,
            "parent_domain": _DOMAIN_REFERENCE,
            "owner_client": _obj(
                {"id": _int(minimum=1), "login": _str(), "guid": _str(), "external_id": _str()},
                description="One of id, login, guid or external_id; default: the admin",
            ),
            "ip_addresses": _list(_str()),
            "ipv4": _list(_str()),
            "ipv6": _list(_str()),
            "plan": _obj({"name": _str()}, description="Accepted; panelkey has no plans"),
        },
        ("name",),
    ),
    "DomainUpdate": _obj(
        {
            "name": _str(),
            "description": _str(),
            "hosting_type": _str(enum=_HOSTING_TYPES),
        }
    ),
    "DomainResponse": _obj(
        {
            "id": _int(minimum=1),
            "name": _str(),
            "ascii_name": _str(),
            "hosting_type": _str(enum=_HOSTING_TYPES),
            "base_domain_id": _int(),
            "www_root": _str(),
            "guid": _str(),
            "created": _str(),
            "description": _str(),
        },
        (
            "id",
            "name",
            "ascii_name",
            "hosting_type",
            "base_domain_id",
            "www_root",
            "guid",
            "created",
            "description",
        ),
    ),
    "DomainStatus": _obj({"status": _str(enum=_DOMAIN_STATUSES)}, ("status",)),
    "DnsRecordRequest": _obj(_DNS_FIELDS, ("type", "host", "value")),
    "DnsRecordUpdate": _obj(_DNS_FIELDS),
    "DnsRecord": _obj(
        {"id": _int(minimum=1), **_DNS_FIELDS, "value": _str()},
        ("id", "type", "host", "value", "opt", "ttl"),
    ),
}


# -- checking request bodies -------------------------------------------------------------

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
}


def check(value: Any, schema: Schema, where: str = "body") -> None:
    """Raise a 400 ApiError unless `value` fits `schema`. Extra object members are allowed
    (clients generated from Plesk's document send more fields than panelkey keeps).
    Strings must be storable: no NUL character, no lone surrogate."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    kind = schema.get("type")
    if value is None and schema.get("nullable"):
        return
    if kind == "string" and schema.get("x-also-list") and isinstance(value, list):
        for i, item in enumerate(value):
            check(item, {"type": "string"}, f"{where}[{i}]")
        return
    if not _is(value, kind):
        raise bad_request(f"Invalid value of {where}: expected {_TYPE_NAMES.get(str(kind), kind)}")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(x) for x in schema["enum"])
        raise bad_request(f"Invalid value of {where}: expected one of {allowed}")
    if kind == "string":
        _check_text(value, where)
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1 << 30):
            raise bad_request(f"Invalid value of {where}: wrong length")
    elif kind == "integer":
        if value < schema.get("minimum", -INT32) or value > schema.get("maximum", INT32):
            raise bad_request(f"Invalid value of {where}: out of range")
    elif kind == "array":
        for i, item in enumerate(value):
            check(item, schema["items"], f"{where}[{i}]")
    elif kind == "object":
        for name in schema.get("required", ()):
            if name not in value:
                raise bad_request(f"Missing required field {name!r}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            _check_text(name, where)
            if name in properties:
                check(item, properties[name], f"{name!r}" if where == "body" else f"{where}.{name}")
            elif isinstance(extra, dict):
                check(item, extra, f"{where}.{name}")


def _is(value: Any, kind: str | None) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return True


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise bad_request(f"Invalid value of {where}: NUL characters are not allowed")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(f"Invalid value of {where}: not valid Unicode text") from None


def check_text(text: str, where: str) -> str:
    """A query or path value, checked as body strings are."""
    _check_text(text, where)
    return text
