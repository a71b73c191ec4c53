"""Clients, domains and DNS records over REST, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.functional.rest.rest_helpers import CUSTOMER, Api, is_error_shape

Key = dict[str, str]


def _customer(api: Api, key: Key, **extra: object) -> int:
    made = api.post("/clients", headers=key, json={**CUSTOMER, **extra})
    assert made.status_code == 201, made.text
    assert set(made.json()) == {"id", "guid"}
    return int(made.json()["id"])


def _domain(api: Api, key: Key, name: str = "example.com", **extra: object) -> int:
    made = api.post(
        "/domains", headers=key, json={"name": name, "hosting_type": "virtual", **extra}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_client_lifecycle(api: Api, admin_key: Key) -> None:
    client_id = _customer(api, admin_key, locale="de-DE", external_id="ext-1")
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
    client_id = _customer(api, admin_key)
    _domain(api, admin_key, owner_client={"id": client_id})
    key = api.new_key(login="john_doe")
    assert api.delete(f"/clients/{client_id}", headers=admin_key).status_code == 200
    assert api.get("/domains", headers=admin_key).json() == []
    assert api.get("/server", headers=key).status_code == 401
    assert all(k["login"] == "admin" for k in api.get("/auth/keys", headers=admin_key).json())


def test_taken_login_is_400(api: Api, admin_key: Key) -> None:
    _customer(api, admin_key)
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
    client_id = _customer(api, admin_key)
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


def test_domain_lifecycle_with_default_zone(api: Api, admin_key: Key) -> None:
    client_id = _customer(api, admin_key)
    domain_id = _domain(
        api,
        admin_key,
        owner_client={"login": "john_doe"},
        description="My website",
        hosting_settings={"ftp_login": "test_login", "ftp_password": "test_pwd"},
        ipv4=["192.0.2.10"],
    )
    [listed] = api.get("/domains", headers=admin_key).json()
    assert listed["name"] == "example.com" and listed["ascii_name"] == "example.com"
    assert listed["hosting_type"] == "virtual" and listed["base_domain_id"] == 0
    assert listed["www_root"] == "/var/www/vhosts/example.com/httpdocs"
    assert listed["description"] == "My website"
    assert api.get(f"/domains/{domain_id}", headers=admin_key).json() == listed
    assert api.get("/domains?name=example.com", headers=admin_key).json() == [listed]
    assert api.get("/domains?name=other.com", headers=admin_key).json() == []
    owner = api.get(f"/domains/{domain_id}/client", headers=admin_key).json()
    assert owner["id"] == client_id and owner["login"] == "john_doe"
    assert api.get(f"/clients/{client_id}/domains", headers=admin_key).json() == [listed]

    records = api.get("/dns/records?domain=example.com", headers=admin_key).json()
    assert {"NS", "A", "MX", "TXT"} <= {r["type"] for r in records}
    assert any(r["type"] == "A" and r["value"] == "192.0.2.10" for r in records)

    status = api.get(f"/domains/{domain_id}/status", headers=admin_key)
    assert status.json() == {"status": "active"}
    put = api.put(f"/domains/{domain_id}/status", headers=admin_key, json={"status": "suspended"})
    assert put.status_code == 200 and put.json() == {"status": "suspended"}
    assert (
        api.get(f"/domains/{domain_id}/status", headers=admin_key).json()["status"] == "suspended"
    )

    # Plesk's PUT takes a DomainRequest, whose name is required.
    renamed = api.put(
        f"/domains/{domain_id}",
        headers=admin_key,
        json={"name": "example.com", "description": "new"},
    )
    assert renamed.status_code == 200 and renamed.json()["id"] == domain_id
    assert api.get(f"/domains/{domain_id}", headers=admin_key).json()["description"] == "new"

    assert api.delete(f"/domains/{domain_id}", headers=admin_key).status_code == 200
    assert api.get(f"/domains/{domain_id}", headers=admin_key).status_code == 404
    assert api.get("/dns/records?domain=example.com", headers=admin_key).status_code == 404


def test_site_inside_a_subscription(api: Api, admin_key: Key) -> None:
    base = _domain(api, admin_key)
    site = _domain(api, admin_key, "shop.example.com", base_domain={"name": "example.com"})
    assert api.get(f"/domains/{site}", headers=admin_key).json()["base_domain_id"] == base


def test_internationalised_domain_keeps_its_ascii_name(api: Api, admin_key: Key) -> None:
    domain_id = _domain(api, admin_key, "bücher.example")
    one = api.get(f"/domains/{domain_id}", headers=admin_key).json()
    assert one["name"] == "bücher.example" and one["ascii_name"] == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "not a domain"},
        {"name": "example.com", "hosting_type": "ftp"},
        {"name": "example.com", "owner_client": {"login": "nobody"}},
        {"name": "example.com", "owner_client": {"id": 2147483647}},
        {"name": "example.com", "base_domain": {"id": 99}},
        {"name": "example.com", "ipv4": ["999.1.1.1"]},
        {"name": "example.com", "hosting_settings": "ftp"},
        {"hosting_type": "virtual"},
    ],
)
def test_bad_domain_is_400_and_creates_nothing(api: Api, admin_key: Key, body: dict) -> None:
    response = api.post("/domains", headers=admin_key, json=body)
    assert response.status_code == 400 and is_error_shape(response)
    assert api.get("/domains", headers=admin_key).json() == []


def test_taken_domain_name_is_400(api: Api, admin_key: Key) -> None:
    _domain(api, admin_key)
    response = api.post("/domains", headers=admin_key, json={"name": "EXAMPLE.com"})
    assert response.status_code == 400 and is_error_shape(response)


def test_dns_record_lifecycle(api: Api, admin_key: Key) -> None:
    _domain(api, admin_key)
    added = api.post(
        "/dns/records?domain=example.com",
        headers=admin_key,
        json={"type": "TXT", "host": "_acme-challenge", "value": "token-1"},
    )
    assert added.status_code == 200  # Plesk's quirk: a created record is 200
    record = added.json()
    assert record["host"] == "_acme-challenge.example.com." and record["value"] == "token-1"
    assert set(record) == {"id", "type", "host", "value", "opt", "ttl"}
    record_id = record["id"]
    assert api.get(f"/dns/records/{record_id}", headers=admin_key).json() == record
    assert record in api.get("/dns/records?domain=example.com", headers=admin_key).json()
    # Plesk's quirk: the list needs ?domain=
    assert api.get("/dns/records", headers=admin_key).status_code == 400

    changed = api.put(
        f"/dns/records/{record_id}", headers=admin_key, json={"value": "token-2", "ttl": 300}
    )
    assert changed.status_code == 200 and changed.json() == {"status": "success"}
    now = api.get(f"/dns/records/{record_id}", headers=admin_key).json()
    assert now["value"] == "token-2" and now["ttl"] == 300

    deleted = api.delete(f"/dns/records/{record_id}", headers=admin_key)
    assert deleted.status_code == 200
    assert api.get(f"/dns/records/{record_id}", headers=admin_key).status_code == 404


@pytest.mark.parametrize(
    ("query", "body", "status"),
    [
        ("", {"type": "A", "host": "www", "value": "192.0.2.1"}, 400),
        ("?domain=nowhere.com", {"type": "A", "host": "www", "value": "192.0.2.1"}, 404),
        ("?domain=example.com", {"type": "A", "host": "www", "value": "not-an-ip"}, 400),
        ("?domain=example.com", {"type": "XX", "host": "www", "value": "x"}, 400),
        ("?domain=example.com", {"type": "MX", "host": "", "value": "mx.", "opt": "a"}, 400),
        ("?domain=example.com", {"type": "A", "host": "www", "value": "192.0.2.1", "ttl": -1}, 400),
        (
            "?domain=example.com",
            {"type": "A", "host": "www", "value": "192.0.2.1", "ttl": 2**40},
            400,
        ),
        ("?domain=example.com", {"type": "A", "value": "192.0.2.1"}, 400),
    ],
)
def test_bad_dns_record_is_refused_and_adds_nothing(
    api: Api, admin_key: Key, query: str, body: dict, status: int
) -> None:
    _domain(api, admin_key)
    before = api.get("/dns/records?domain=example.com", headers=admin_key).json()
    response = api.post(f"/dns/records{query}", headers=admin_key, json=body)
    assert response.status_code == status and is_error_shape(response)
    assert api.get("/dns/records?domain=example.com", headers=admin_key).json() == before
