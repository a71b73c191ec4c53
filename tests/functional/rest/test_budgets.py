"""The REST face's budgets, as docs/rest-api.md "Limits" tells them: a body past
`maxBodySize` is 413 unread; a string past its schema's length is 400 naming the field
(a 1 MiB description among them); an answer past `maxRestAnswerSize` is 400 and says
which setting and how to ask for less."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core import patterns
from panelkey.core.panel import Panel
from panelkey.rest import jsonschema as js
from panelkey.rest.resources import Route
from panelkey.rest.router import ROUTES, SCHEMAS
from tests.conftest import CHEAP_HASHES
from tests.functional.rest.rest_helpers import (
    CUSTOMER,
    SQLITE_ONLY,
    Api,
    Key,
    is_error_shape,
    make_customer,
)
from tests.functional.rest.test_field_bounds import place, url_of

MIB = 1024 * 1024


def _api(panel: Panel, tmp_path: Path, **flags: int) -> Api:
    settings = load_settings(
        {"data_dir": str(tmp_path), **{k: str(v) for k, v in flags.items()}, **CHEAP_HASHES}, {}
    )
    ini = tmp_path / "panel.ini"
    return Api(panel, Context(panel, settings, LivePanelIni(ini)), ini)


@pytest.fixture
def small(panel: Panel, tmp_path: Path) -> Api:
    """An answer budget of 2000 bytes: room for a few clients."""
    return _api(panel, tmp_path, max_rest_answer=2000)


def _clients(api: Api, key: Key, count: int) -> list[int]:
    return [
        make_customer(api, key, login=f"c{n}", name=f"Client {n}", description="d" * 100)
        for n in range(count)
    ]


def test_a_list_within_the_answer_budget_is_answered_whole(small: Api) -> None:
    key = small.new_key()
    made = _clients(small, key, 3)
    response = small.get("/clients", headers=key)
    assert response.status_code == 200 and len(response.content) <= 2000
    assert sorted(c["id"] for c in response.json()) == sorted(made)


def test_a_list_past_the_answer_budget_is_refused_naming_the_setting(small: Api) -> None:
    key = small.new_key()
    made = _clients(small, key, 12)
    response = small.get("/clients", headers=key)
    assert response.status_code == 400 and is_error_shape(response)
    message = response.json()["message"]
    assert "2000 bytes" in message and "maxRestAnswerSize" in message
    # HEAD is judged as GET; one object of the list is still answered
    assert small.request("HEAD", "/clients", headers=key).status_code == 400
    one = small.get(f"/clients/{made[0]}", headers=key)
    assert one.status_code == 200 and one.json()["login"] == "c0"


def test_every_list_route_keeps_the_answer_budget(panel: Panel, tmp_path: Path) -> None:
    """A budget smaller than any list's brackets: every list route that answers is refused,
    the route table's lists walked, not named."""
    tiny = _api(panel, tmp_path, max_rest_answer=1)
    key = tiny.new_key()  # a write's answer is not held to it: refusing would hide the key
    lists = [r for r in ROUTES if r.method == "GET" and r.auth and "{" not in r.path]
    assert len(lists) >= 8
    for route in lists:
        query = "?domain=x.com" if any(q.required for q in route.query) else ""
        response = tiny.get(route.path + query, headers=key)
        assert response.status_code in (400, 404), (route.path, response.text)
        if response.status_code == 400:
            assert "maxRestAnswerSize" in response.json()["message"], route.path


def test_a_1_mib_description_is_refused(
    api: Api, admin_key: Key, panel: Panel, tmp_path: Path
) -> None:
    body = {**CUSTOMER, "description": "d" * MIB}
    # within the default body budget of 1 MiB it cannot come: 413, unread
    response = api.post("/clients", headers=admin_key, json=body)
    assert response.status_code == 413 and is_error_shape(response)
    # let in by a larger body budget, its length refuses it, naming the field
    (tmp_path / "roomy").mkdir()
    roomy = _api(panel, tmp_path / "roomy", max_body=4 * MIB)
    response = roomy.post("/clients", headers=admin_key, json=body)
    assert response.status_code == 400 and is_error_shape(response)
    assert response.json()["message"] == (
        f"Invalid value of 'description': longer than {patterns.DESCRIPTION_MAX} characters"
    )
    assert all(
        c["login"] != CUSTOMER["login"] for c in api.get("/clients", headers=admin_key).json()
    )


def test_a_description_at_its_length_is_kept(api: Api, admin_key: Key) -> None:
    body = {**CUSTOMER, "description": "d" * patterns.DESCRIPTION_MAX}
    response = api.post("/clients", headers=admin_key, json=body)
    assert response.status_code == 201
    one = api.get(f"/clients/{response.json()['id']}", headers=admin_key).json()
    assert one["description"] == body["description"]


def _arrays() -> list[tuple[Route, str, js.Schema]]:
    """Every list a request body's member may be (through anyOf), walked from the table."""
    found = []
    for route in ROUTES:
        if not route.body:
            continue
        for name, member in SCHEMAS[route.body].get("properties", {}).items():
            for shape in member.get("anyOf", [member]):
                if shape.get("type") == "array":
                    found.append((route, name, shape))
    return found


@SQLITE_ONLY
def test_a_list_past_its_items_is_refused_naming_it(api: Api, admin_key: Key) -> None:
    arrays = _arrays()
    assert {"ips", "scope", "params", "ipv6"} <= {name for _, name, _ in arrays}
    for route, name, shape in arrays:
        assert shape.get("maxItems"), (route.body, name)
        body = place(js.ref(str(route.body)), (name, "[]"), "x")
        body[name] = body[name] * (shape["maxItems"] + 1)
        response = api.request(route.method, url_of(route), headers=admin_key, json=body)
        where = f"{route.method} {route.path} {name}"
        assert response.status_code == 400 and is_error_shape(response), (where, response.text)
        message = response.json()["message"]
        assert message == f"Invalid value of {name!r}: more than {shape['maxItems']} items", where
