"""Request bodies checked against the schemas of `schemas.py`, before any handler runs:
what the documents call valid is accepted and what they call invalid is a 400."""

from __future__ import annotations

import functools
import re
from typing import Any

from panelkey.rest.errors import ApiError, bad_request
from panelkey.rest.schemas import INT32, SCHEMAS, Schema

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
    if "anyOf" in schema:
        _check_any(value, schema["anyOf"], where)
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
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            raise bad_request(f"Invalid value of {where}: wrong format")
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
        if len(value) < schema.get("minProperties", 0):
            raise bad_request(f"Invalid value of {where}: it may not be empty")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            # Members not in the schema are not kept: their names and values are not read.
            if name in properties:
                check(item, properties[name], f"{name!r}" if where == "body" else f"{where}.{name}")
            elif isinstance(extra, dict):
                check(item, extra, f"{where}.{name}")
            elif extra is False:
                allowed = ", ".join(properties)
                raise bad_request(f"Invalid value of {where}: it takes only {allowed}")


def _check_any(value: Any, options: list[Schema], where: str) -> None:
    """`value` fits one of `options`, or the first one's refusal is raised."""
    first: Exception | None = None
    for option in options:
        try:
            check(value, option, where)
        except ApiError as exc:  # try the next shape
            first = first or exc
        else:
            return
    assert first is not None
    raise first


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    # A closing `$` means the end of the text, as in JSON Schema; Python's would also
    # match before a final newline.
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1] + r"\Z"
    return re.compile(text)


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
