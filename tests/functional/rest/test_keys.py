"""Authentication and `/auth/keys`, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

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


def test_no_credentials_is_401_with_basic_challenge(api: Api) -> None:
    response = api.get("/server")
    assert response.status_code == 401 and is_error_shape(response)
    assert response.headers["www-authenticate"] == 'Basic realm="panelkey"'


def test_wrong_key_and_wrong_password_are_401_and_audited(api: Api) -> None:
    wrong_key = api.get("/server", headers={"X-API-Key": "00000000-0000-0000-0000-000000000000"})
    wrong_password = api.get("/server", auth=("admin", "nope"))
    for response in (wrong_key, wrong_password):
        assert response.status_code == 401 and is_error_shape(response)
        assert response.headers["www-authenticate"] == 'Basic realm="panelkey"'
    assert wrong_key.json()["message"] == wrong_password.json()["message"]
    reasons = [(e.face, e.reason) for e in api.panel.audit.entries(failures_only=True)]
    assert ("rest", "unknown key") in reasons and ("rest", "wrong password") in reasons


def test_key_from_a_wrong_address_is_audited_with_its_reason(api: Api) -> None:
    key = api.new_key(ip="192.0.2.7")
    assert api.get("/server", headers=key).status_code == 401
    reasons = [e.reason for e in api.panel.audit.entries(failures_only=True)]
    assert "address not allowed" in reasons


@pytest.mark.parametrize("param", ["key", "api_key", "apikey", "X-API-Key", "token", "password"])
def test_credentials_in_the_url_are_refused_and_never_logged(
    api: Api, admin_key: dict[str, str], param: str, caplog: pytest.LogCaptureFixture
) -> None:
    value = admin_key["X-API-Key"]
    caplog.set_level(logging.DEBUG, logger="panelkey")
    response = api.get(f"/server?{param}={value}")
    assert response.status_code == 401 and is_error_shape(response)
    assert "header" in response.json()["message"]
    # Refused even with a good header beside it: the URL is never a place for a secret.
    assert api.get(f"/domains?{param}={value}", headers=admin_key).status_code == 401
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("panelkey")]
    assert all(value not in line for line in ours)
    assert all(value not in e.detail for e in api.panel.audit.entries())


def test_customer_key_and_customer_password_are_403(api: Api, admin_key: dict[str, str]) -> None:
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    customer_key = api.new_key(login="john_doe")
    for response in (
        api.get("/server", headers=customer_key),
        api.get("/domains", auth=("john_doe", "password")),
    ):
        assert response.status_code == 403 and is_error_shape(response)


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


def test_login_with_nul_is_refused_not_crashed(api: Api) -> None:
    response = api.get("/server", auth=("ad\x00min", "x"))
    assert response.status_code == 401 and is_error_shape(response)
