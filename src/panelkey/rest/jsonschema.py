"""The JSON shapes' building blocks, and the one checker of request bodies against them.

Each resource module writes its schemas with these; both OpenAPI documents are made from
them, and request bodies are checked against them before any handler runs, so the
documents and the behaviour cannot disagree: what the documents call valid is accepted
and what they call invalid is a 400.

Schemas use the subset OpenAPI 3.0 and Swagger 2.0 share, and `anyOf`, which the Swagger
document replaces by its first choice; `{"$ref": "Name"}` points at another schema of
the registry (`router.SCHEMAS`) and `nullable` is written as each document version
spells it. Patterns are read by every regex engine (core/patterns.py says how).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from panelkey.core import patterns
from panelkey.core.patterns import compiled
from panelkey.rest.errors import ApiError, bad_request

Schema = dict[str, Any]
INT32 = 2**31 - 1
# A string of a request schema that names no maxLength (every one does; a test holds them
# to it) is still refused past this many characters, as an XML element past its budget.
TEXT_LIMIT = 65536

# Text the store can keep: no NUL. Lone surrogates are refused too (check() below), but no
# pattern names them: the regex engines of schema validators cannot.
STORABLE = r"^[^\x00]*$"


def string(description: str = "", **extra: Any) -> Schema:
    """A string; one of an `enum` is as long as its longest value."""
    if "enum" in extra and "maxLength" not in extra:
        extra["maxLength"] = max(len(str(v)) for v in extra["enum"])
    out: Schema = {"type": "string", "pattern": STORABLE, **extra}
    if description:
        out["description"] = description
    return out


def integer(description: str = "", minimum: int = 0, **extra: Any) -> Schema:
    out: Schema = {"type": "integer", "minimum": minimum, "maximum": INT32, **extra}
    if description:
        out["description"] = description
    return out


def obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    out: Schema = {"type": "object", "properties": properties, **extra}
    if required:
        out["required"] = list(required)
    return out


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def ref(name: str) -> Schema:
    return {"$ref": name}


def many(name: str) -> Schema:
    """A list of the schema `name`: the answer of a listing."""
    return array(ref(name))


BOOLEAN: Schema = {"type": "boolean"}
ID = integer(minimum=1)
# An account's login (clients, sessions), and an FTP user's.
LOGIN = string(
    "1-60 of A-Z a-z 0-9 . _ - @, starting with a letter or digit",
    minLength=1,
    maxLength=patterns.LOGIN_MAX,
    pattern=patterns.LOGIN,
)
FTP_LOGIN = string(
    "1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit",
    minLength=1,
    maxLength=patterns.FTP_LOGIN_MAX,
    pattern=patterns.FTP_LOGIN,
)
EMAIL = string("Empty, or an e-mail address", maxLength=patterns.EMAIL_MAX, pattern=patterns.EMAIL)
# A domain's name as a reference gives it (a request's own is checked by the core).
DOMAIN_REF = 255
GUID = string(minLength=1, maxLength=patterns.TEXT_MAX)
PASSWORD = string(minLength=1, maxLength=patterns.PASSWORD_MAX)
DESCRIPTION = string(maxLength=patterns.DESCRIPTION_MAX)
# Plesk types `created` as a date (2026-11-22).
DATE = string("The day it was made, YYYY-MM-DD", format="date")

# -- addresses --------------------------------------------------------------------------

_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IP4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_HEX = "[0-9A-Fa-f]{1,4}"
# One alternative per count of groups before `::` (none: the full form), so that one
# address has one way to match: a list of them cannot backtrack through every way.
IP6 = (
    "(?:"
    + "|".join(
        [
            f"(?:{_HEX}:){{7}}{_HEX}",
            f"::(?:{_HEX}(?::{_HEX}){{0,6}})?",
            *(f"(?:{_HEX}:){{{n}}}:(?:{_HEX}(?::{_HEX}){{0,{6 - n}}})?" for n in range(1, 7)),
            f"(?:{_HEX}:){{7}}:",
        ]
    )
    + ")"
)
# Networks with their host bits zero, as core/access/addresses.py wants them: IPv4 at a byte
# boundary, IPv6 at a group boundary with `::` after its groups; /32 and /128 are addresses.
_NET4 = (
    rf"(?:{_OCTET}\.0\.0\.0/8|{_OCTET}\.{_OCTET}\.0\.0/16|{_OCTET}(?:\.{_OCTET}){{2}}\.0/24"
    rf"|0\.0\.0\.0/0|{IP4}/32)"
)
_NET6 = (
    "(?:"
    + "|".join([f"(?:{_HEX}:){{1,{n}}}:/{16 * n}" for n in range(1, 8)] + ["::/0", f"{IP6}/128"])
    + ")"
)
IP = f"(?:{IP4}|{IP6})"
ADDRESS = f"(?:{IP}|{_NET4}|{_NET6})"

# -- shapes every resource answers --------------------------------------------------------

SCHEMAS: dict[str, Schema] = {
    "StatusResponse": obj({"status": string()}, ("status",)),
    "CreatedResponse": obj({"id": ID, "guid": string()}, ("id", "guid")),
    "ErrorResponse": obj(
        {"code": integer("The HTTP status", minimum=100), "message": string()},
        ("code", "message"),
    ),
}
STATUS = ref("StatusResponse")
CREATED = ref("CreatedResponse")

# -- the checker ----------------------------------------------------------------------------

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
}


def check(value: Any, schema: Schema, schemas: Mapping[str, Schema], where: str = "body") -> None:
    """Raise a 400 ApiError unless `value` fits `schema` (its `$ref`s named in `schemas`).
    Extra object members are allowed (clients generated from Plesk's document send more
    fields than panelkey keeps). Strings must be storable: no NUL, no lone surrogate."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if value is None and schema.get("nullable"):
        return
    if "anyOf" in schema:
        _check_any(value, schema["anyOf"], schemas, where)
        return
    if not _is(value, kind):
        raise bad_request(f"Invalid value of {where}: expected {_TYPE_NAMES.get(str(kind), kind)}")
    if (
        kind == "string"
        and "enum" not in schema
        and len(value) > schema.get("maxLength", TEXT_LIMIT)
    ):
        # The length first: what comes after reads the whole text (an enum compares lengths).
        limit = schema.get("maxLength", TEXT_LIMIT)
        raise bad_request(f"Invalid value of {where}: longer than {limit} characters")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(x) for x in schema["enum"])
        raise bad_request(f"Invalid value of {where}: expected one of {allowed}")
    if kind == "string":
        if len(value) < schema.get("minLength", 0):
            raise bad_request(f"Invalid value of {where}: wrong length")
        _check_text(value, where)
        if "pattern" in schema and not compiled(schema["pattern"]).search(value):
            raise bad_request(f"Invalid value of {where}: wrong format")
    elif kind == "integer":
        if value < schema.get("minimum", -INT32) or value > schema.get("maximum", INT32):
            raise bad_request(f"Invalid value of {where}: out of range")
    elif kind == "array":
        if len(value) > schema.get("maxItems", len(value)):
            raise bad_request(f"Invalid value of {where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            check(item, schema["items"], schemas, f"{where}[{i}]")
    elif kind == "object":
        _check_object(value, schema, schemas, where)


def _check_object(
    value: dict[str, Any], schema: Schema, schemas: Mapping[str, Schema], where: str
) -> None:
    for name in schema.get("required", ()):
        if name not in value:
            raise bad_request(f"Missing required field {name!r}")
    if len(value) < schema.get("minProperties", 0):
        raise bad_request(f"Invalid value of {where}: it may not be empty")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for name, item in value.items():
        # Members not in the schema are not kept: their names and values are not read.
        if name in properties:
            inner = f"{name!r}" if where == "body" else f"{where}.{name}"
            check(item, properties[name], schemas, inner)
        elif isinstance(extra, dict):
            check(item, extra, schemas, f"{where}.{name}")
        elif extra is False:
            allowed = ", ".join(properties)
            raise bad_request(f"Invalid value of {where}: it takes only {allowed}")


def _check_any(
    value: Any, options: list[Schema], schemas: Mapping[str, Schema], where: str
) -> None:
    """`value` fits one of `options`, or the refusal of the first one of its type (else
    of the first one) is raised: a list's long item is named, not "expected a string"."""
    refusals: list[tuple[bool, ApiError]] = []
    for option in options:
        try:
            check(value, option, schemas, where)
        except ApiError as exc:  # try the next shape
            shape = schemas[option["$ref"]] if "$ref" in option else option
            refusals.append((_is(value, shape.get("type")), exc))
        else:
            return
    raise next((exc for typed, exc in refusals if typed), refusals[0][1])


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
