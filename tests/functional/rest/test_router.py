"""The route table: each route carries the XML name a key's scope judges it under, and
the router finds each route by its path."""

from __future__ import annotations

import pytest

from panelkey.core.access.keypolicy import Scope, is_read
from panelkey.rest.resources import Route
from panelkey.rest.router import ROUTES, Router, rest_operation


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("GET", "/auth/keys", "secret_key/get_info"),
        ("POST", "/auth/keys", "secret_key/create"),
        ("DELETE", "/auth/keys/3", "secret_key/delete"),
        ("GET", "/clients/4", "customer/get"),
        ("PUT", "/clients/4/suspend", "customer/set"),
        ("POST", "/domains", "site/add"),
        ("GET", "/dns/records", "dns/get_rec"),
        ("POST", "/dns/records", "dns/add_rec"),
        ("PUT", "/dns/records/7", "dns/set_rec"),
        ("DELETE", "/dns/records/7", "dns/del_rec"),
        ("POST", "/cli/secret_key/call", "cli/call"),
        ("POST", "/server/session", "server/create_session"),
        ("HEAD", "/server", "server/get"),
        ("GET", "/ftpusers", "ftp-user/get"),
        ("POST", "/dbusers", "database/add"),
        ("GET", "/dbservers", "db_server/get"),
        ("PUT", "/extensions/git/enable", "extension/set"),
    ],
)
def test_rest_calls_are_judged_under_xml_names(method: str, path: str, name: str) -> None:
    operator, operation = rest_operation(method, path)
    assert f"{operator}/{operation}" == name
    assert is_read(operator, operation) is (method in ("GET", "HEAD"))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_that_asks_for_a_key_names_a_scope_that_reads_only_on_get(
    route: Route,
) -> None:
    if not route.auth:
        assert route.scope == ""
        return
    assert Scope.parse([route.scope]).patterns == (route.scope,)  # a valid scope item
    operator, _, operation = route.scope.partition("/")
    assert is_read(operator, operation) is (route.method == "GET")
    concrete = route.path.replace("{id}", "7").replace("{key}", "k").replace("{name}", "n")
    assert rest_operation(route.method, concrete) == (operator, operation)


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("PATCH", "/clients", "customer/get"),  # a method no route has reads
        ("PUT", "/auth/keys", "secret_key/set"),
        ("POST", "/server", "server/add"),
        ("GET", "/nowhere/7", "nowhere/get"),
        ("GET", "/", "server/get"),
        ("GET", "/openapi.json", "openapi.json/get"),
    ],
)
def test_a_call_no_route_serves_is_named_after_its_first_segment(
    method: str, path: str, name: str
) -> None:
    assert "/".join(rest_operation(method, path)) == name


def test_the_router_finds_every_route_and_no_id_past_the_stores_range() -> None:
    router = Router()
    for route in ROUTES:
        concrete = route.path.replace("{id}", "7").replace("{key}", "k").replace("{name}", "n")
        matched = router.match(concrete)
        assert matched is not None and matched[0].methods[route.method] is route
    assert router.match("/clients/2147483648") is None
    assert router.match("/clients/0") is None
    assert router.match("/clients/x") is None
