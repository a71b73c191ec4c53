"""`/clients`: customers and resellers over REST, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from tests.functional.rest.rest_helpers import (
    CUSTOMER,
    SQLITE_ONLY,
    Api,
    Key,
    admin_identity,
    is_error_shape,
    make_customer,
    make_domain,
    schemas_of,
)


def test_client_lifecycle(api: Api, admin_key: Key) -> None:
    client_id = make_customer(api, admin_key, locale="de-DE", external_id="ext-1")
    listed = api.get("/clients", headers=admin_key).json()
    assert [c["login"] for c in listed] == ["john_doe"]
    one = api.get(f"/clients/{client_id}", headers=admin_key).json()
    assert one == listed[0]
    assert one["name"] == "John Doe" and one["company"] == "Plesk" and one["status"] == 0
    assert one["type"] == "customer" and one["owner_login"] == "admin"
    assert one["locale"] == "de-DE" and one["external_id"] == "ext-1"
    assert "password" not in one

    changed = api.put(
        f"/clients/{client_id}",
        headers=admin_key,
        json={"company": "Plesk GmbH", "email": "john@example.com"},
    )
    assert changed.status_code == 200 and changed.json()["id"] == client_id
    one = api.get(f"/clients/{client_id}", headers=admin_key).json()
    assert one["company"] == "Plesk GmbH" and one["email"] == "john@example.com"

    assert api.put(f"/clients/{client_id}/suspend", headers=admin_key).status_code == 200
    assert api.get(f"/clients/{client_id}", headers=admin_key).json()["status"] == 16
    assert api.put(f"/clients/{client_id}/activate", headers=admin_key).status_code == 200
    assert api.get(f"/clients/{client_id}", headers=admin_key).json()["status"] == 0

    deleted = api.delete(f"/clients/{client_id}", headers=admin_key)
    assert deleted.status_code == 200 and deleted.json()["id"] == client_id
    gone = api.get(f"/clients/{client_id}", headers=admin_key)
    assert gone.status_code == 404 and is_error_shape(gone)


def test_deleting_a_client_takes_its_keys_and_domains(api: Api, admin_key: Key) -> None:
    client_id = make_customer(api, admin_key)
    make_domain(api, admin_key, owner_client={"id": client_id})
    key = api.new_key(login="john_doe")
    assert api.delete(f"/clients/{client_id}", headers=admin_key).status_code == 200
    assert api.get("/domains", headers=admin_key).json() == []
    assert api.get("/server", headers=key).status_code == 401
    assert all(k["login"] == "admin" for k in api.get("/auth/keys", headers=admin_key).json())


def test_taken_login_is_400(api: Api, admin_key: Key) -> None:
    make_customer(api, admin_key)
    again = api.post("/clients", headers=admin_key, json={**CUSTOMER, "login": "JOHN_DOE"})
    assert again.status_code == 400 and is_error_shape(again)


@pytest.mark.parametrize(
    "change",
    [
        {"type": "admin"},
        {"login": "bad login!"},
        {"email": "not-an-email"},
        {"status": 3},
        {"status": "0"},
        {"owner_login": "nobody"},
        {"password": ""},
        {"name": None},
    ],
)
def test_bad_client_is_400_and_creates_nothing(api: Api, admin_key: Key, change: dict) -> None:
    response = api.post("/clients", headers=admin_key, json={**CUSTOMER, **change})
    assert response.status_code == 400 and is_error_shape(response)
    assert api.get("/clients", headers=admin_key).json() == []


@pytest.mark.parametrize("missing", ["name", "login", "password", "email", "type"])
def test_client_without_a_required_field_is_400(api: Api, admin_key: Key, missing: str) -> None:
    body = {k: v for k, v in CUSTOMER.items() if k != missing}
    response = api.post("/clients", headers=admin_key, json=body)
    assert response.status_code == 400 and missing in response.json()["message"]


def test_bad_client_change_is_400_and_changes_nothing(api: Api, admin_key: Key) -> None:
    client_id = make_customer(api, admin_key)
    before = api.get(f"/clients/{client_id}", headers=admin_key).json()
    for change in ({"email": "nope", "company": "X"}, {"type": "reseller"}, {"status": 7}):
        response = api.put(f"/clients/{client_id}", headers=admin_key, json=change)
        assert response.status_code == 400 and is_error_shape(response)
    assert api.get(f"/clients/{client_id}", headers=admin_key).json() == before


def test_admin_cannot_be_suspended_or_deleted(api: Api, admin_key: Key) -> None:
    admin_id = api.panel.accounts.admin().id  # type: ignore[union-attr]
    for response in (
        api.put(f"/clients/{admin_id}/suspend", headers=admin_key),
        api.delete(f"/clients/{admin_id}", headers=admin_key),
    ):
        assert response.status_code == 403 and is_error_shape(response)


@SQLITE_ONLY
def test_client_statistics_count_real_domains(api: Api, admin_key: Key) -> None:
    client = api.post("/clients", headers=admin_key, json=CUSTOMER).json()["id"]
    stats = api.get(f"/clients/{client}/statistics", headers=admin_key).json()
    assert stats["active_domains"] == 0
    for name in ("one.example", "two.example"):
        body = {"name": name, "owner_client": {"id": client}}
        assert api.post("/domains", headers=admin_key, json=body).status_code == 201
    domain = api.get("/domains?name=two.example", headers=admin_key).json()[0]["id"]
    api.put(f"/domains/{domain}/status", headers=admin_key, json={"status": "suspended"})
    stats = api.get(f"/clients/{client}/statistics", headers=admin_key).json()
    assert stats["active_domains"] == 1 and stats["disk_space"] == 0
    assert api.get("/clients/999999/statistics", headers=admin_key).status_code == 404


@SQLITE_ONLY
def test_created_is_a_date_as_plesk_types_it(api: Api, admin_key: dict[str, str]) -> None:
    for schemas, _prefix in schemas_of(api):
        for name in ("Client", "DomainResponse"):
            created = schemas[name]["properties"]["created"]
            assert (created["type"], created["format"]) == ("string", "date")
    client_id = api.post("/clients", headers=admin_key, json=CUSTOMER).json()["id"]
    domain = make_domain(api, admin_key, owner_client={"id": client_id})
    account = api.panel.accounts.get(client_id)
    stored = api.panel.domains.get(admin_identity(api), domain)
    assert account is not None and stored is not None
    answers = [
        (api.get(f"/clients/{client_id}", headers=admin_key).json(), account.created),
        (api.get("/clients", headers=admin_key).json()[0], account.created),
        (api.get(f"/domains/{domain}/client", headers=admin_key).json(), account.created),
        (api.get(f"/domains/{domain}", headers=admin_key).json(), stored.created),
        (api.get("/domains", headers=admin_key).json()[0], stored.created),
        (api.get(f"/clients/{client_id}/domains", headers=admin_key).json()[0], stored.created),
    ]
    for answer, kept in answers:
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", answer["created"]), answer
        assert answer["created"] == kept[:10]
