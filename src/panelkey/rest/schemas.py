"""The JSON shapes of the REST API, named as Plesk's published document names its fields.

Both OpenAPI documents are made from these, and request bodies are checked against
them before any handler runs (`checking.py`), so the documents and the behaviour
cannot disagree.
Schemas use the subset OpenAPI 3.0 and Swagger 2.0 share, and `anyOf`, which the Swagger
document replaces by its first choice; `{"$ref": "Name"}` points at another schema here
and `nullable` is written as each document version spells it.
"""

from __future__ import annotations

from typing import Any

from panelkey.core.server.extensions import CATALOGUE

Schema = dict[str, Any]
INT32 = 2**31 - 1


# Text the store can keep: no NUL. Lone surrogates are refused too (check() below), but no
# pattern names them: the regex engines of schema validators cannot.
STORABLE = r"^[^\x00]*$"
# Python's whitespace spelled out: `\s` is a different set in Python, ECMA-262 and Rust, and
# the patterns here are read by all three (this module, fuzzers, validators).
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IP4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_HEX = "[0-9A-Fa-f]{1,4}"
_IP6 = (
    "(?:"
    + "|".join(
        [
            f"(?:{_HEX}:){{7}}{_HEX}",
            f"(?:{_HEX}:){{1,7}}:",
            *(f"(?:{_HEX}:){{1,{7 - n}}}(?::{_HEX}){{1,{n}}}" for n in range(1, 7)),
            f":(?:(?::{_HEX}){{1,7}}|:)",
        ]
    )
    + ")"
)
# Networks with their host bits zero, as core/access/addresses.py wants them: IPv4 at a byte
# boundary, IPv6 at a group boundary with `::` after its groups; /32 and /128 are addresses.
_NET4 = (
    rf"(?:{_OCTET}\.0\.0\.0/8|{_OCTET}\.{_OCTET}\.0\.0/16|{_OCTET}(?:\.{_OCTET}){{2}}\.0/24"
    rf"|0\.0\.0\.0/0|{_IP4}/32)"
)
_NET6 = (
    "(?:"
    + "|".join([f"(?:{_HEX}:){{1,{n}}}:/{16 * n}" for n in range(1, 8)] + ["::/0", f"{_IP6}/128"])
    + ")"
)
_IP = f"(?:{_IP4}|{_IP6})"
_ADDRESS = f"(?:{_IP}|{_NET4}|{_NET6})"


def _str(description: str = "", **extra: Any) -> Schema:
    out: Schema = {"type": "string", "pattern": STORABLE, **extra}
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
_LOGIN = _str(
    "1-60 of A-Z a-z 0-9 . _ - @, starting with a letter or digit",
    minLength=1,
    maxLength=60,
    pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,59}$",
)
_EMAIL_PART = rf"[^@\x00{_SPACE}]+"
_EMAIL = _str(
    "Empty, or an e-mail address",
    pattern=rf"^(|{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART})$",
)
_ACCOUNT_STATUS = _int(
    "0 active, 16 disabled by the administrator (4 and 256 as Plesk)", enum=[0, 4, 16, 256]
)
_CLIENT_FIELDS: dict[str, Schema] = {
    "name": _str("Contact name"),
    "company": _str(),
    "login": _LOGIN,
    "status": _ACCOUNT_STATUS,
    "email": _EMAIL,
    "locale": _str(),
    "owner_login": _str("Login of the owner (the admin or a reseller); default: the admin"),
    "external_id": _str(),
    "description": _str(),
    "password": _str(minLength=1),
}
_LDH = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# Internationalised labels in lower-case Latin letters, short enough that their ASCII
# (punycode) form stays within a label's 63 characters.
_U_LABEL = "[a-z0-9\u00df-\u00f6\u00f8-\u00ff]{1,12}"
_TLD = "[0-9]{0,30}[A-Za-z](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?"
# With one internationalised label, at most four short others: the ASCII form must stay
# within 253 characters, which no pattern can count.
_SHORT = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,18}[A-Za-z0-9])?"
_SHORT_TLD = "[0-9]{0,9}[A-Za-z](?:[A-Za-z0-9-]{0,9}[A-Za-z0-9])?"
_DOMAIN_NAME = _str(
    "A domain name: labels of letters, digits and hyphens, the last one not all digits; "
    "or an internationalised name with one label in lower-case Latin letters",
    minLength=4,
    maxLength=245,  # room for the zone's records below it, as webmail.<name> (253 at most)
    pattern=rf"^(?:(?:{_LDH}\.)+{_TLD}|(?:{_SHORT}\.){{0,2}}{_U_LABEL}\.(?:{_SHORT}\.){{0,2}}{_SHORT_TLD})\.?$",
)
_DOMAIN_REFERENCE = ref("DomainReference")
_HOSTING_TYPES = ["virtual", "standard_forwarding", "frame_forwarding", "none"]
_DOMAIN_STATUSES = ["active", "suspended", "disabled"]
# The 14 of Plesk's document. The core keeps the first 12 as records; an SOA is a zone's
# settings and AXFR no record, so adding either is refused with the core's reason (400).
_DNS_TYPES = [
    "A",
    "AAAA",
    "CNAME",
    "MX",
    "NS",
    "TXT",
    "SRV",
    "PTR",
    "CAA",
    "DS",
    "TLSA",
    "HTTPS",
    "SOA",
    "AXFR",
]
_DNS_FIELDS: dict[str, Schema] = {
    "type": _str(enum=_DNS_TYPES),
    "host": _str("Relative to the zone or absolute; answered absolute with a trailing dot"),
    "value": _str(minLength=1),
    "opt": _str("MX priority and the like"),
    "ttl": _int(),
}
_DB_TYPES = ["mysql", "postgresql", "mssql"]
_DB_TYPES_SERVED = ["mysql", "postgresql"]  # the servers panelkey has: what a request may name
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
_CLIENT_ANSWER = (
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
# Plesk's document and answers spell FTP permissions as the strings "true" and "false".
_FLAG = _str(enum=["true", "false"])
_FTP_PERMISSIONS = _obj(
    {"read": _FLAG, "write": _FLAG},
    description='Read and write access to the home directory: "true" or "false"',
)
# Requests take Plesk's strings, and JSON's true and false as well.
_FLAG_GIVEN: Schema = {"anyOf": [_FLAG, {"type": "boolean"}]}
_FTP_PERMISSIONS_GIVEN = _obj(
    {"read": _FLAG_GIVEN, "write": _FLAG_GIVEN},
    description='Read and write access to the home directory: "true" or "false" (JSON\'s '
    "true and false are taken too)",
)
# Plesk types `created` as a date (2026-11-22).
_DATE = _str("The day it was made, YYYY-MM-DD", format="date")
_SECRET = _str(minLength=1, maxLength=255)
# A path below the subscription's root: no `..` segment, no backslash, no white space.
_PATH_CHAR = rf"[^/\\\x00{_SPACE}]"
_NOT_DOT = rf"[^/\\.\x00{_SPACE}]"
_SEGMENT = rf"(?:{_NOT_DOT}{_PATH_CHAR}*|\.(?:{_NOT_DOT}{_PATH_CHAR}*)?|\.\.{_PATH_CHAR}+)?"
_HOME = _str(
    "Below the domain's root; default: the root",
    maxLength=1024,
    pattern=rf"^{_SEGMENT}(?:/{_SEGMENT})*$",
)
_DURATION = "[1-9][0-9]{0,4} *[smhd]"
_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"  # 29 February is refused: the pattern cannot count years
)
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_ISO_TIME = rf"[1-9][0-9]{{3}}-{_DAY}(?:[T ]{_CLOCK})?(?:Z|\+00:?00)?"
_ADMIN_FIELDS = (
    "name",
    "email",
    "company",
    "phone",
    "fax",
    "address",
    "city",
    "state",
    "post_code",
    "country",
    "locale",
)

# Plesk's schema names, in the order of Plesk's document; panelkey's own come after.
SCHEMAS: dict[str, Schema] = {
    "SecretKeyRequest": _obj(
        {
            "ip": {
                "anyOf": [
                    _str(pattern=rf"^[ ,]*(?:{_ADDRESS}(?: *,[ ,]*{_ADDRESS})*)?[ ,]*$"),
                    _list(_str(pattern=rf"^ *{_ADDRESS} *$")),
                ],
                "description": "Addresses or networks the key may be used from, as a comma "
                "list or a list",
            },
            "ips": _list(
                _str(pattern=rf"^ *{_ADDRESS} *$"),
                description="Addresses or networks (IPv4, IPv6, CIDR with its host bits zero)",
            ),
            "login": _str("Owner login (an active reseller or customer); default: the admin"),
            "description": _str(),
            "expires": _str(
                "panelkey extension: ISO 8601 UTC time, in the future, or a duration (90s, "
                "15m, 12h, 30d)",
                pattern=rf"^ *(?:|{_DURATION}|{_ISO_TIME}) *$",
            ),
            "scope": _list(
                _str(pattern=r"^ *(?:|[Rr][Ee][Aa][Dd]|[A-Za-z0-9_*-]+/[A-Za-z0-9_*-]+) *$"),
                description="panelkey extension: read, or operator/operation patterns "
                "with * (dns/*, site/get); see docs/keys.md",
            ),
            "rate": _str(
                "panelkey extension: at most N requests per s, m or h (10/s)",
                pattern=r"^(?:| *[1-9][0-9]{0,8} */ *[smh] *)$",
            ),
        },
        description="Secret key parameters; with no ip and no ips the key is bound to the "
        "caller's address",
    ),
    "SecretKeyResponse": _obj({"key": _str("The key value, shown this once")}, ("key",)),
    "SessionRequest": _obj(
        {
            "login": _LOGIN,
            "user_ip": _str(
                "The address the session is for; default: the caller's",
                pattern=rf"^ *(?:{_IP} *)?$",
            ),
            "source_server": _str(maxLength=255),
            "skip_mfa": {
                "type": "boolean",
                "description": "Open the session without asking for a second factor; "
                "panelkey has none to ask for, so every session is opened so",
            },
        },
        ("login",),
        description="Whom a browser session is opened for",
    ),
    "SessionResponse": _obj({"id": _str("The session token")}, ("id",)),
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
    "CliCallResponse": _obj(
        {"code": _int("Exit code"), "stdout": _str(), "stderr": _str()},
        ("code", "stdout", "stderr"),
    ),
    "ServerMeta": _obj({name: _str() for name in _SERVER_FIELDS}, _SERVER_FIELDS),
    "ServerIp": _obj(
        {
            **{n: _str() for n in ("ipv4", "ipv6", "netmask", "interface")},
            "type": _str(enum=["shared", "exclusive"]),
        },
        ("ipv4", "ipv6", "netmask", "interface", "type"),
    ),
    "Admin": _obj(
        {
            **{n: _str() for n in _ADMIN_FIELDS},
            "email": _EMAIL,
            "send_announce": {"type": "boolean"},
            "multiple_sessions": {"type": "boolean"},
        },
        description="The administrator's contact information",
    ),
    "ServerInit": _obj(
        {
            "admin": ref("Admin"),
            "password": _str("The administrator's new password", minLength=1),
            "server_name": _str("The server's host name", maxLength=255),
        },
        description="Initial server setup parameters",
    ),
    "ServerLicense": _obj(
        {
            "key": _str(
                "The license key (kept as its digest, never shown)",
                pattern=rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$",
            ),
            "code": _str(
                "The activation code; given alone, it stands for the key it activates "
                "(panelkey fetches nothing)",
                maxLength=255,
            ),
            "additional": {"type": "boolean", "description": "An additional license key"},
        },
        description="License parameters: a key, an activation code, or both",
    ),
    "Extension": _obj(
        {
            "id": _str(),
            "name": _str(),
            "version": _str(),
            "release": _str(),
            "active": {"type": "boolean"},
        },
        ("id", "name", "version", "release", "active"),
        description="Extension entity",
    ),
    "ExtensionInstallRequest": _obj(
        {
            "id": _str("An id from panelkey's catalogue", enum=sorted(CATALOGUE)),
            "url": _str("Not used: panelkey installs by id from its catalogue, offline"),
            "file": _str("Not used: panelkey installs by id from its catalogue, offline"),
        },
        ("id",),
        description="Extension installation request",
    ),
    "Client": _obj(
        {
            "id": _int(minimum=1),
            "created": _DATE,
            "name": _str(),
            "company": _str(),
            "login": _str(),
            "status": _int(),
            "email": _str(),
            "locale": _str(),
            "guid": _str(),
            "owner_login": _str(),
            "external_id": _str(),
            "description": _str(),
            "type": _str(enum=["admin", *_CLIENT_TYPES]),
        },
        _CLIENT_ANSWER,
        description="The client entity",
    ),
    "ClientRequest": _obj(
        {**_CLIENT_FIELDS, "type": _str(enum=_CLIENT_TYPES)},
        ("name", "login", "password", "email", "type"),
        description="The client entity",
    ),
    "ClientUpdateRequest": _obj(_CLIENT_FIELDS, description="The client entity"),
    "ClientStatistics": _obj(
        {name: _int() for name in _STATISTICS}, _STATISTICS, description="The client statistics"
    ),
    "DomainReference": _obj(
        {"id": _int(minimum=1), "name": _str(minLength=1), "guid": _str(minLength=1)},
        description="A domain by one of id, name or guid",
        minProperties=1,
        additionalProperties=False,
    ),
    "OwnerClientReference": _obj(
        {
            "id": _int(minimum=1),
            "login": _str(minLength=1),
            "guid": _str(minLength=1),
            "external_id": _str(minLength=1),
        },
        description="A client by one of id, login, guid or external_id",
        minProperties=1,
        additionalProperties=False,
    ),
    "PlanReference": _obj(
        {"name": _str()},
        description="A service plan by name, of those the subscription's owner may use",
    ),
    "DomainRequest": _obj(
        {
            "name": _DOMAIN_NAME,
            "description": _str(),
            "hosting_type": _str(enum=_HOSTING_TYPES),
            "hosting_settings": _obj({"ftp_login": _str(), "ftp_password": _str()}),
            "base_domain": _DOMAIN_REFERENCE,
            "parent_domain": _DOMAIN_REFERENCE,
            "owner_client": ref("OwnerClientReference"),
            "ip_addresses": _list(_str(pattern=rf"^ *{_IP} *$")),
            "ipv4": _list(_str(pattern=rf"^ *{_IP4} *$")),
            "ipv6": _list(_str(pattern=rf"^ *{_IP6} *$")),
            "plan": ref("PlanReference"),
        },
        description="A domain. Creating one needs its name (the owner defaults to the admin; "
        "a subscription is made on the service plan named, a site ignores it); an update "
        "applies name, description, hosting_type and a subscription's plan, each when given",
    ),
    "DomainAlias": _obj(
        {
            "id": _int(minimum=1),
            "name": _str(),
            "ascii_name": _str(),
            "web": {"type": "boolean"},
            "dns": {"type": "boolean"},
            "mail": {"type": "boolean"},
            "seo_redirect": {"type": "boolean"},
        },
        ("id", "name", "ascii_name", "web", "dns", "mail", "seo_redirect"),
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
            "created": _DATE,
            "description": _str(),
            "aliases": _list(ref("DomainAlias")),
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
            "aliases",
        ),
    ),
    "DomainStatus": _obj({"status": _str(enum=_DOMAIN_STATUSES)}, ("status",)),
    # No required members: Plesk's PUT /dns/records/{id} takes this shape, any subset.
    "DnsRecord": _obj({"id": _int(minimum=1), **_DNS_FIELDS}),
    "DnsRecordRequest": _obj(_DNS_FIELDS, ("type", "host", "value")),
    "FtpUser": _obj(
        {
            "id": _int(minimum=1),
            "name": _str(),
            "home": _str(),
            "quota": _int("Bytes; 0 is unlimited", minimum=-1),
            "permissions": _FTP_PERMISSIONS,
            "parent_domain": _int("The domain's id", minimum=1),
        },
        ("id", "name", "home", "quota", "permissions", "parent_domain"),
    ),
    "FtpUserRequest": _obj(
        {
            "name": _LOGIN,
            "password": _SECRET,
            "home": _HOME,
            "quota": _int("Bytes; 0 or -1 is unlimited", minimum=-1),
            "permissions": _FTP_PERMISSIONS_GIVEN,
            "parent_domain": _DOMAIN_REFERENCE,
        },
        ("name", "password", "parent_domain"),
    ),
    "FtpUserUpdateRequest": _obj(
        {
            "name": _LOGIN,
            "password": _SECRET,
            "home": _HOME,
            "quota": _int(minimum=-1),
            "permissions": _FTP_PERMISSIONS_GIVEN,
        }
    ),
    "Database": _obj(
        {
            "id": _int(minimum=1),
            "name": _str(),
            "type": _str(enum=_DB_TYPES),
            "parent_domain": _int("The domain's id", minimum=1),
            "server_id": _int(minimum=1),
            "default_user_id": _int("0 when none"),
        },
        ("id", "name", "type", "parent_domain", "server_id", "default_user_id"),
    ),
    "DatabaseRequest": _obj(
        {
            "name": _str(minLength=1, maxLength=63, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$"),
            "type": _str(enum=_DB_TYPES_SERVED),
            "parent_domain": _DOMAIN_REFERENCE,
            "server_id": _int("Default: the default server of the type", minimum=1),
        },
        ("name", "type", "parent_domain"),
    ),
    "DatabaseUser": _obj(
        {"id": _int(minimum=1), "login": _str(), "database_id": _int(minimum=1)},
        ("id", "login", "database_id"),
    ),
    "DatabaseUserRequest": _obj(
        {
            "login": _str(minLength=1, maxLength=32, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"),
            "password": _SECRET,
            "parent_domain": _DOMAIN_REFERENCE,
            "server_id": _int(minimum=1),
            "database_id": _int(minimum=1),
        },
        ("login", "password", "database_id"),
    ),
    "DatabaseUserUpdateRequest": _obj(
        {
            "login": _str(minLength=1, maxLength=32, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"),
            "password": _SECRET,
        }
    ),
    "DatabaseServer": _obj(
        {
            "id": _int(minimum=1),
            "host": _str(),
            "port": _int(),
            "type": _str(enum=_DB_TYPES),
            "status": _str(),
            "db_count": _int(),
            "is_default": {"type": "boolean"},
            "is_local": {"type": "boolean"},
        },
        ("id", "host", "port", "type", "status", "db_count", "is_default", "is_local"),
    ),
    "StatusResponse": _obj({"status": _str()}, ("status",)),
    "CreatedResponse": _obj({"id": _int(minimum=1), "guid": _str()}, ("id", "guid")),
    "ErrorResponse": _obj(
        {"code": _int("The HTTP status", minimum=100), "message": _str()}, ("code", "message")
    ),
    # panelkey's own (extensions to Plesk's document).
    "SecretKeyInfo": _obj(
        {
            "id": _int(minimum=1),
            "ips": _list(_str()),
            "description": _str(),
            "login": _str(),
            "created": _str(),
            "last_used": _str(nullable=True),
            "last_used_ip": _str(nullable=True),
            "expires": _str(nullable=True),
            "scope": _list(_str()),
            "rate": _str(nullable=True),
            "requests": _int(minimum=0),
            "refusals": _int(minimum=0),
        },
        ("id", "ips", "description", "login", "created", "last_used", "last_used_ip"),
        description="panelkey extension: a key without its value; expires to refusals are "
        "given for keys with panelkey's options (docs/keys.md)",
    ),
}
