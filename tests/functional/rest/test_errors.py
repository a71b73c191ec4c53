"""Every status the spec lists, each error in the one shape; no client input yields a 500."""

from __future__ import annotations

from tests.functional.rest.rest_helpers import ADMIN, CUSTOMER, Api, Key, is_error_shape


def test_every_listed_status_is_reached_and_errors_have_one_shape(api: Api, admin_key: Key) -> None:
    seen: dict[int, object] = {}
    seen[200] = api.get("/server", headers=admin_key)
    seen[201] = api.post("/clients", headers=admin_key, json=CUSTOMER)
    seen[400] = api.post("/clients", headers=admin_key, content=b"{not json")
    seen[401] = api.get("/clients")
    seen[403] = api.get("/clients", auth=("john_doe", "password"))
    seen[404] = api.get("/clients/4242", headers=admin_key)
    seen[405] = api.request("PATCH", "/clients", headers=admin_key)
    api.ctx.settings = type(api.ctx.settings)(**{**vars(api.ctx.settings), "max_body": 64})
    seen[413] = api.post("/clients", headers=admin_key, json={**CUSTOMER, "name": "x" * 100})
    for status, response in seen.items():
        assert response.status_code == status, (status, response.text)  # type: ignore[attr-defined]
        if status >= 400:
            assert is_error_shape(response), response  # type: ignore[arg-type]
    assert seen[405].headers["allow"] == "GET, POST, HEAD"  # type: ignore[attr-defined]
    assert seen[401].headers["www-authenticate"] == 'Basic realm="panelkey"'  # type: ignore[attr-defined]


def test_unknown_path_and_method_answers(api: Api, admin_key: Key) -> None:
    unknown = api.get("/nothing/here", headers=admin_key)
    assert unknown.status_code == 404 and is_error_shape(unknown)
    for method, path, allow in [
        ("POST", "/server", "GET, HEAD"),
        ("PUT", "/auth/keys", "GET, POST, HEAD"),
        ("GET", "/cli/secret_key/call", "POST"),
        ("POST", "/dns/records/1", "DELETE, GET, PUT, HEAD"),
    ]:
        response = api.request(method, path, headers=admin_key)
        assert response.status_code == 405 and is_error_shape(response)
        assert response.headers["allow"] == allow


def test_head_answers_like_get_without_a_body(api: Api, admin_key: Key) -> None:
    get = api.get("/server", headers=admin_key)
    head = api.request("HEAD", "/server", headers=admin_key)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


GARBAGE_BODIES = [
    ("POST", "/clients", b"\xff\xfe"),
    ("POST", "/clients", b"[" * 100_000),
    ("POST", "/clients", b'{"name": NaN}'),
    ("POST", "/clients", b"1" * 5000),
    (
        "POST",
        "/clients",
        b'{"name":"J","login":"j\\u0000","password":"p","email":"","type":"customer"}',
    ),
    (
        "POST",
        "/clients",
        b'{"name":"\\ud800","login":"j","password":"p","email":"","type":"customer"}',
    ),
    (
        "POST",
        "/clients",
        b'{"name":"J","login":"j","password":"p","email":"","type":"customer","status":true}',
    ),
    ("POST", "/domains", b'{"name":"example.com","owner_client":{"id":99999999999999}}'),
    ("POST", "/domains", b'{"name":"ex\\u0000ample.com"}'),
    ("POST", "/auth/keys", b'{"ip":["10.0.0.1",7]}'),
    ("POST", "/auth/keys", b'{"login":"\\u0000"}'),
    ("POST", "/cli/secret_key/call", b'{"params":"--list"}'),
    ("POST", "/cli/secret_key/call", b'{"params":[1,2]}'),
    ("POST", "/cli/secret_key/call", b'{"env":{"A":1}}'),
    ("PUT", "/domains/1/status", b'{"status":"gone"}'),
    ("PUT", "/dns/records/1", b'{"ttl":1e400}'),
]


def test_garbage_bodies_are_400_and_change_nothing(api: Api, admin_key: Key) -> None:
    api.post("/domains", headers=admin_key, json={"name": "example.com"})

    def state() -> tuple[object, ...]:
        clients = api.get("/clients", headers=admin_key).json()
        return clients, api.get("/domains", headers=admin_key).json(), api.panel.keys.list()

    before = state()
    for method, path, body in GARBAGE_BODIES:
        response = api.request(method, path, headers=admin_key, content=body)
        assert response.status_code == 400, (path, body, response.text)
        assert is_error_shape(response)
    assert state() == before


ODD_PATHS = [
    "/clients/99999999999999999999",
    "/clients/0",
    "/clients/-1",
    "/clients/abc",
    "/domains/%00",
    "/dns/records?domain=%00",
    "/domains?name=%00x",
    "/domains?name=%ff",
    "/auth/keys/%C2%B2",
    "/cli/%00/ref",
    "/cli/no_such_tool/ref",
]


def test_odd_paths_and_queries_never_500(api: Api, admin_key: Key) -> None:
    for path in ODD_PATHS:
        method = "DELETE" if path.startswith("/auth/keys/") else "GET"
        response = api.request(method, path, headers=admin_key)
        assert response.status_code < 500, (path, response.text)
        assert response.status_code == 200 or is_error_shape(response)


def test_a_body_on_a_route_without_one_is_ignored(api: Api, admin_key: Key) -> None:
    assert api.request("GET", "/server", headers=admin_key, content=b"junk").status_code == 200


def test_basic_with_wrong_shape_is_401(api: Api) -> None:
    for header in ("Basic !!!", "Basic YWRtaW4=", "Bearer abc", "Basic"):
        response = api.get("/server", headers={"Authorization": header})
        assert response.status_code == 401 and is_error_shape(response)
    assert api.get("/server", auth=ADMIN).status_code == 200
