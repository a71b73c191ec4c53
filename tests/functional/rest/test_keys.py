"""`/auth/keys`: keys made (bound to the caller's address unless told), listed without their
values and deleted, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.functional.rest.rest_helpers import ADMIN, CUSTOMER, Api, is_error_shape


def test_key_made_with_basic_and_empty_object_is_bound_to_the_caller(api: Api) -> None:
    made = api.post("/auth/keys", auth=ADMIN, content=b"{}")
    assert made.status_code == 201
    key = made.json()["key"]
    assert api.get("/server", headers={"X-API-Key": key}).status_code == 200
    [info] = api.get("/auth/keys", headers={"X-API-Key": key}).json()
    assert info["ips"] == ["127.0.0.1"] and info["login"] == "admin"
    api.client_ip = "10.0.0.9"
    refused = api.get("/server", headers={"X-API-Key": key})
    assert refused.status_code == 401 and is_error_shape(refused)


def test_empty_body_is_taken_as_an_empty_object(api: Api) -> None:
    assert api.post("/auth/keys", auth=ADMIN).status_code == 201


def test_key_fields_ip_ips_login_description(api: Api, admin_key: dict[str, str]) -> None:
    api.post("/clients", headers=admin_key, json=CUSTOMER)
    made = api.post(
        "/auth/keys",
        headers=admin_key,
        json={
            "ip": "192.0.2.1",
            "ips": ["10.0.0.0/8", " 2001:db8::1 "],
            "login": "john_doe",
            "description": "for John",
        },
    )
    assert made.status_code == 201
    listed = api.get("/auth/keys", headers=admin_key).json()
    info = listed[-1]
    assert info["ips"] == ["192.0.2.1", "10.0.0.0/8", "2001:db8::1"]
    assert info["login"] == "john_doe" and info["description"] == "for John"
    assert set(info) == {
        "id",
        "ips",
        "description",
        "login",
        "created",
        "last_used",
        "last_used_ip",
    }
    assert made.json()["key"] not in api.get("/auth/keys", headers=admin_key).text


@pytest.mark.parametrize(
    "body",
    [
        {"ip": "300.1.1.1"},
        {"ips": ["10.0.0.1", "nonsense"]},
        {"ips": "10.0.0.1"},
        {"login": "nobody"},
        {"description": 5},
        [],
        "text",
    ],
)
def test_bad_key_request_is_400_and_creates_nothing(
    api: Api, admin_key: dict[str, str], body: object
) -> None:
    before = api.panel.keys.list()
    response = api.post("/auth/keys", headers=admin_key, json=body)
    assert response.status_code == 400 and is_error_shape(response)
    assert api.panel.keys.list() == before


def test_key_for_a_disabled_login_is_400(api: Api, admin_key: dict[str, str]) -> None:
    created = api.post("/clients", headers=admin_key, json={**CUSTOMER, "status": 16})
    assert created.status_code == 201
    response = api.post("/auth/keys", headers=admin_key, json={"login": "john_doe"})
    assert response.status_code == 400 and is_error_shape(response)


def test_deleted_key_is_refused_at_once(api: Api, admin_key: dict[str, str]) -> None:
    other = api.new_key()
    assert api.get("/server", headers=other).status_code == 200  # now cached
    deleted = api.delete(f"/auth/keys/{other['X-API-Key']}", headers=admin_key)
    assert deleted.status_code == 200 and deleted.json() == {"status": "success"}
    assert api.get("/server", headers=other).status_code == 401


def test_key_deleted_by_id(api: Api, admin_key: dict[str, str]) -> None:
    other = api.new_key(description="by id")
    key_id = api.panel.keys.find(other["X-API-Key"]).id  # type: ignore[union-attr]
    assert api.delete(f"/auth/keys/{key_id}", headers=admin_key).status_code == 200
    assert api.get("/server", headers=other).status_code == 401


@pytest.mark.parametrize("ref", ["12345", "1f6a8e2c-0000-4000-8000-123456789abc", "99999999999999"])
def test_deleting_an_unknown_key_is_404_without_echo(
    api: Api, admin_key: dict[str, str], ref: str
) -> None:
    response = api.delete(f"/auth/keys/{ref}", headers=admin_key)
    assert response.status_code == 404 and is_error_shape(response)
    assert response.json()["message"] == "Key does not exist"
