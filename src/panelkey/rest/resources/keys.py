"""`/auth/keys`: secret keys made, listed (panelkey's addition: never their values) and
deleted over the core's keys (`core/access/keys.py`), the same ones XML `secret_key` and
the `secret_key` utility make."""

from __future__ import annotations

from panelkey.core import patterns
from panelkey.core.errors import NotFound
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import ApiError
from panelkey.rest.resources import FACE, SUCCESS, Answer, Call, Resource

# -- handlers -------------------------------------------------------------------------------


def create_key(c: Call) -> Answer:
    body = c.body if isinstance(c.body, dict) else {}
    items: list[str] = []
    for name in ("ip", "ips"):
        given = body.get(name)
        if isinstance(given, str):
            items += [x for x in given.split(",") if x.strip()]
        elif isinstance(given, list):
            items += given
    if not items and c.address:
        items = [c.address]  # Plesk binds a key made without an address to the caller's
    login = body.get("login") or None
    value, _info = c.ctx.panel.keys.create(
        c.identity,
        addresses=items,
        description=body.get("description") or "",
        login=login,
        face=FACE,
        source_ip=c.address,
        expires=(body.get("expires") or "").strip() or None,
        scope=body.get("scope"),
        rate=body.get("rate") or None,
    )
    return 201, {"key": value}


def delete_key(c: Call) -> Answer:
    key = str(c.params["key"]).strip()
    if key.isdigit() and (not key.isascii() or int(key) > js.INT32):
        raise ApiError(404, "Key does not exist")
    try:
        c.ctx.panel.keys.delete(c.identity, key, face=FACE, source_ip=c.address)
    except NotFound:
        raise ApiError(404, "Key does not exist") from None  # never echo a presented value
    return 200, SUCCESS


def list_keys(c: Call) -> Answer:
    return 200, (k.as_dict() for k in c.ctx.panel.keys.list())


# -- schemas --------------------------------------------------------------------------------

_DURATION = "[1-9][0-9]{0,4} *[smhd]"
_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"  # 29 February is refused: the pattern cannot count years
)
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_ISO_TIME = rf"[1-9][0-9]{{3}}-{_DAY}(?:[T ]{_CLOCK})?(?:Z|\+00:?00)?"
# An address with its spaces; at most 64 of them, as a JSON list or one comma list (one
# pattern reads that: each of its characters may be tried as an address's start, a few µs
# each, so 4096 characters at most).
_ADDRESS_MAX = 64
_ADDRESSES = 64
_ADDRESSES_MAX = 4096
_LIST_MAX = 256
_ONE_ADDRESS = js.string(maxLength=_ADDRESS_MAX, pattern=rf"^ *{js.ADDRESS} *$")
_WHEN_USED = js.string(nullable=True)

SCHEMAS: dict[str, js.Schema] = {
    "SecretKeyRequest": js.obj(
        {
            "ip": {
                "anyOf": [
                    js.string(
                        maxLength=_ADDRESSES_MAX,
                        pattern=rf"^[ ,]*(?:{js.ADDRESS}(?: *,[ ,]*{js.ADDRESS})*[ ,]*)?$",
                    ),
                    js.array(_ONE_ADDRESS, maxItems=_ADDRESSES),
                ],
                "description": "Addresses or networks the key may be used from, as a comma "
                "list or a list",
            },
            "ips": js.array(
                _ONE_ADDRESS,
                maxItems=_ADDRESSES,
                description="Addresses or networks (IPv4, IPv6, CIDR with its host bits zero)",
            ),
            "login": js.string(
                "Owner login (an active reseller or customer); default: the admin",
                maxLength=patterns.LOGIN_MAX,
            ),
            "description": js.string(maxLength=patterns.DESCRIPTION_MAX),
            "expires": js.string(
                "panelkey extension: ISO 8601 UTC time, in the future, or a duration (90s, "
                "15m, 12h, 30d)",
                maxLength=64,
                pattern=rf"^ *(?:(?:{_DURATION}|{_ISO_TIME}) *)?$",
            ),
            "scope": js.array(
                js.string(
                    maxLength=128,
                    pattern=r"^ *(?:(?:[Rr][Ee][Aa][Dd]|[A-Za-z0-9_*-]+/[A-Za-z0-9_*-]+) *)?$",
                ),
                maxItems=_LIST_MAX,
                description="panelkey extension: read, or operator/operation patterns "
                "with * (dns/*, site/get); see docs/keys.md",
            ),
            "rate": js.string(
                "panelkey extension: at most N requests per s, m or h (10/s)",
                maxLength=64,
                pattern=r"^(?:| *[1-9][0-9]{0,8} */ *[smh] *)$",
            ),
        },
        description="Secret key parameters; with no ip and no ips the key is bound to the "
        "caller's address",
    ),
    "SecretKeyResponse": js.obj({"key": js.string("The key value, shown this once")}, ("key",)),
}
# panelkey's own, listed after Plesk's schemas.
OWN_SCHEMAS: dict[str, js.Schema] = {
    "SecretKeyInfo": js.obj(
        {
            "id": js.ID,
            "ips": js.array(js.string()),
            "description": js.string(),
            "login": js.string(),
            "created": js.string(),
            "last_used": _WHEN_USED,
            "last_used_ip": _WHEN_USED,
            "expires": _WHEN_USED,
            "scope": js.array(js.string()),
            "rate": _WHEN_USED,
            "requests": js.integer(minimum=0),
            "refusals": js.integer(minimum=0),
        },
        ("id", "ips", "description", "login", "created", "last_used", "last_used_ip"),
        description="panelkey extension: a key without its value; expires to refusals are "
        "given for keys with panelkey's options (docs/keys.md)",
    ),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("Authentication",), "secret_key")
ROUTES = (
    _R.post(
        "/auth/keys",
        create_key,
        "Generate API secret key",
        js.ref("SecretKeyResponse"),
        operation="create",
        status=201,
        body="SecretKeyRequest",
        body_required=False,
    ),
    _R.delete(
        "/auth/keys/{key}", delete_key, "Delete API secret key", js.STATUS, operation="delete"
    ),
    # panelkey's addition: its document entry says so.
    _R.get(
        "/auth/keys",
        list_keys,
        "List API secret keys",
        js.many("SecretKeyInfo"),
        operation="get_info",
        extension="lists the keys with their owners and last use, never their values",
    ),
)
