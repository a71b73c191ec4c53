"""Every string a REST request body takes is bounded, and the bound is checked before any
pattern: the table below is walked from the route table (every route with a body, every
string of its schema, through `$ref`, lists, `anyOf` and free members), not written by
hand. At its maximum length a value is accepted or refused as a field error; at 1 MiB it
is refused naming the field (400) when the body budget lets it in, and unread (413) when
not. And every pattern of those schemas is linear: run on long adversarial texts it ends
(a quadratic one takes minutes at these lengths, an exponential one never ends)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from panelkey.core.patterns import compiled
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import ApiError
from panelkey.rest.resources import Route
from panelkey.rest.router import ROUTES, SCHEMAS
from tests.conftest import CHEAP_HASHES
from tests.functional.rest.rest_helpers import (
    SQLITE_ONLY,
    Api,
    Key,
    is_error_shape,
    make_customer,
)

MIB = 1024 * 1024
Path_ = tuple[str, ...]  # member names; "[]" an item of a list, "*" a free member


def strings(schema: js.Schema, at: Path_ = ()) -> Iterator[tuple[Path_, js.Schema]]:
    """Every string schema a value of `schema` may hold, with where it sits."""
    if "$ref" in schema:
        yield from strings(SCHEMAS[schema["$ref"]], at)
    elif "anyOf" in schema:
        for option in schema["anyOf"]:
            yield from strings(option, at)
    elif schema.get("type") == "string":
        yield at, schema
    elif schema.get("type") == "array":
        yield from strings(schema["items"], (*at, "[]"))
    elif schema.get("type") == "object":
        for name, member in schema.get("properties", {}).items():
            yield from strings(member, (*at, name))
        if isinstance(schema.get("additionalProperties"), dict):
            yield from strings(schema["additionalProperties"], (*at, "*"))


def _fields() -> list[tuple[Route, Path_, js.Schema]]:
    return [
        (route, at, schema)
        for route in ROUTES
        if route.body
        for at, schema in strings(js.ref(route.body))
    ]


FIELDS = _fields()
IDS = [f"{r.method} {r.path} {'.'.join(at)}" for r, at, _ in FIELDS]
_SAMPLES = ("a", "example.com", "127.0.0.1", "a@example.com", "read", "john_doe", "1d")


def _filler(schema: js.Schema) -> Any:
    """A value `schema` takes, made from the schema itself (for a body's required members)."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    if "anyOf" in schema:
        return _filler(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        names = schema.get("required") or list(properties)[: schema.get("minProperties", 0)]
        return {name: _filler(properties[name]) for name in names}
    if kind == "array":
        return [_filler(schema["items"])]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    for sample in _SAMPLES:
        try:
            js.check(sample, schema, SCHEMAS)
        except ApiError:
            continue
        return sample
    raise AssertionError(f"no sample fits {schema}")


def place(schema: js.Schema, at: Path_, value: str) -> Any:
    """A value of `schema` holding `value` at `at`, the other required members filled
    (after it: the target is the first member checked)."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    if not at:
        return value
    head, rest = at[0], at[1:]
    if "anyOf" in schema:  # the option the path goes through
        kind = "array" if head == "[]" else "object"
        schema = next(o for o in schema["anyOf"] if o.get("type") == kind)
    if head == "[]":
        return [place(schema["items"], rest, value)]
    if head == "*":
        return {"name": place(schema["additionalProperties"], rest, value)}
    member = schema["properties"][head]
    if not rest and "anyOf" in member:
        member = next(o for o in member["anyOf"] if o.get("type") == "string")
    placed = {head: place(member, rest, value)}
    filled = _filler(schema)
    return placed | {k: v for k, v in filled.items() if k != head}


def url_of(route: Route) -> str:
    path = re.sub(
        r"{(\w+)}", lambda m: "1" if m[1] in route.int_params else "secret_key", route.path
    )
    return path + ("?domain=example.com" if any(q.name == "domain" for q in route.query) else "")


def _send(api: Api, key: Key, route: Route, at: Path_, value: str) -> httpx.Response:
    body = place(js.ref(str(route.body)), at, value)
    return api.request(route.method, url_of(route), headers=key, json=body)


def _where(at: Path_) -> str:
    """How the checker's message starts naming the field: 'email', 'admin'.email, 'ip'[0]."""
    return repr(at[0])


@pytest.fixture
def roomy(panel: Panel, tmp_path: Path) -> Api:
    """The app with a body budget of 4 MiB: a 1 MiB value reaches the field checks."""
    flags = {"data_dir": str(tmp_path), "max_body": str(4 * MIB), **CHEAP_HASHES}
    settings = load_settings(flags, {})
    return Api(panel, Context(panel, settings, LivePanelIni(tmp_path / "panel.ini")), tmp_path)


def test_the_walk_finds_the_fields_of_every_body() -> None:
    walked = {route.body for route, _, _ in FIELDS}
    assert walked == {route.body for route in ROUTES if route.body}
    assert ("admin", "email") in {at for _, at, _ in FIELDS}  # through a $ref
    assert ("ip",) in {at for _, at, _ in FIELDS} and ("ip", "[]") in {at for _, at, _ in FIELDS}


@pytest.mark.parametrize(("route", "at", "schema"), FIELDS, ids=IDS)
def test_every_request_string_has_a_maximum_length(
    route: Route, at: Path_, schema: js.Schema
) -> None:
    assert 0 < schema.get("maxLength", 0) <= js.TEXT_LIMIT


@SQLITE_ONLY
def test_each_field_at_its_maximum_length_is_accepted_or_a_field_error(
    api: Api, admin_key: Key
) -> None:
    for route, at, schema in FIELDS:
        response = _send(api, admin_key, route, at, "a" * schema["maxLength"])
        where = f"{route.method} {route.path} {at}"
        assert response.status_code < 500, (where, response.text)
        assert "longer than" not in response.text, (where, response.text)


@SQLITE_ONLY
def test_each_field_at_1_mib_is_refused_naming_it(roomy: Api) -> None:
    key = roomy.new_key()
    for route, at, schema in FIELDS:
        response = _send(roomy, key, route, at, "a" * MIB)
        where = f"{route.method} {route.path} {at}"
        assert response.status_code == 400 and is_error_shape(response), (where, response.text)
        message = response.json()["message"]
        assert message.startswith(f"Invalid value of {_where(at)}"), (where, message)
        if "enum" not in schema:
            assert f"longer than {schema['maxLength']} characters" in message, (where, message)


def test_a_1_mib_field_past_the_body_budget_is_refused_unread(api: Api, admin_key: Key) -> None:
    sample = [(r, at) for r, at, _ in FIELDS if at == ("description",)]
    assert sample
    for route, at in sample:
        response = _send(api, admin_key, route, at, "a" * MIB)
        assert response.status_code == 413 and is_error_shape(response), route.path


def test_a_long_email_is_refused_by_its_length(api: Api, admin_key: Key) -> None:
    """Issue 24's 64k e-mail: refused for its length, on both stores."""
    email = "a@" + "b." * 32768 + "@"
    client = make_customer(api, admin_key)
    response = api.put(f"/clients/{client}", headers=admin_key, json={"email": email})
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid value of 'email': longer than 255 characters"


def _adversarial(pattern: str) -> Iterator[str]:
    """Long texts built from the pieces a pattern is made of, each ending where it fails:
    repeats of its literal runs and of each character its classes name, with separators
    between, the shapes that make a backtracking engine retry."""
    pieces = set(re.findall(r"[A-Za-z0-9@.:/,_* -]", pattern)) | {" ", ",", ".", ":", "@", "/"}
    units = {"a", "1", "1:", "1::1,", "1.1.1.1,", "a.", "a@", " ,", "..", "a/", "2026-01-01 "}
    for unit in sorted(units | pieces):
        for tail in ("\x01", "!", "-", "@", " ", "/", "\\"):
            yield unit * (65536 // len(unit)) + tail
            yield "a@" + unit * (65536 // len(unit)) + tail


# Each pattern once, named after the first field that has it.
PATTERNS = {
    s["pattern"]: f"{r.body}.{'.'.join(at)}" for r, at, s in reversed(FIELDS) if "pattern" in s
}


@pytest.mark.parametrize("pattern", list(PATTERNS), ids=list(PATTERNS.values()))
def test_every_pattern_ends_on_long_adversarial_texts(pattern: str) -> None:
    """No time is asserted: a super-linear pattern makes this test run past the suite's
    timeout (64k characters: minutes for a quadratic one, never for an exponential one)."""
    for text in _adversarial(pattern):
        compiled(pattern).search(text)
