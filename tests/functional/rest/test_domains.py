"""`/domains`: subscriptions and sites over REST, with their owner, status, site aliases
and service plan; Plesk's reference components (DomainReference, OwnerClientReference,
PlanReference) as the requests take them. In-process on SQLite and PostgreSQL."""

from __future__ import annotations

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
    xml_client,
)


def test_domain_lifecycle_with_default_zone(api: Api, admin_key: Key) -> None:
    client_id = make_customer(api, admin_key)
    domain_id = make_domain(
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
    base = make_domain(api, admin_key)
    site = make_domain(api, admin_key, "shop.example.com", base_domain={"name": "example.com"})
    assert api.get(f"/domains/{site}", headers=admin_key).json()["base_domain_id"] == base


def test_internationalised_domain_keeps_its_ascii_name(api: Api, admin_key: Key) -> None:
    domain_id = make_domain(api, admin_key, "bücher.example")
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
    make_domain(api, admin_key)
    response = api.post("/domains", headers=admin_key, json={"name": "EXAMPLE.com"})
    assert response.status_code == 400 and is_error_shape(response)


def test_domain_response_lists_its_site_aliases(api: Api, admin_key: dict[str, str]) -> None:
    domain = make_domain(api, admin_key)
    xml = xml_client(api)
    made = xml.call(
        f"<site-alias><create><pref><web>true</web><mail>true</mail></pref><manage-dns>false</manage-dns>"
        f"<site-id>{domain}</site-id><name>example.net</name></create></site-alias>"
    )
    assert made.findtext("site-alias/create/result/status") == "ok"
    body = api.get(f"/domains/{domain}", headers=admin_key).json()
    alias_id = int(made.findtext("site-alias/create/result/id") or 0)
    assert body["aliases"] == [
        {
            "id": alias_id,
            "name": "example.net",
            "ascii_name": "example.net",
            "web": True,
            "dns": False,
            "mail": True,
            "seo_redirect": True,
        }
    ]
    (listed,) = api.get("/domains", headers=admin_key).json()
    assert listed["aliases"] == body["aliases"]


@SQLITE_ONLY
def test_references_are_checked_through_their_components(
    api: Api, admin_key: dict[str, str]
) -> None:
    owner = api.post("/clients", headers=admin_key, json=CUSTOMER).json()
    by_login = {"name": "example.com", "owner_client": {"login": CUSTOMER["login"]}}
    made = api.post("/domains", headers=admin_key, json=by_login)
    assert made.status_code == 201, made.text
    client = api.get(f"/domains/{made.json()['id']}/client", headers=admin_key).json()
    assert client["id"] == owner["id"]
    for bad in ({"owner_client": {"nick": "x"}}, {"base_domain": {}}, {"plan": {"name": 1}}):
        refused = api.post("/domains", headers=admin_key, json={"name": "example.org", **bad})
        assert refused.status_code == 400 and is_error_shape(refused), bad
    assert api.get("/domains", headers=admin_key, params={"name": "example.org"}).json() == []
    init = api.post("/server/init", headers=admin_key, json={"admin": {"email": "not an e-mail"}})
    assert init.status_code == 400 and "email" in init.json()["message"]


@SQLITE_ONLY
def test_domain_aliases_carry_their_id_the_one_xml_knows(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = make_domain(api, admin_key)
    xml = xml_client(api)
    made = xml.call(
        f"<site-alias><create><site-id>{domain}</site-id><name>example.net</name></create>"
        "</site-alias>"
    )
    alias_id = int(made.findtext("site-alias/create/result/id") or 0)
    (alias,) = api.get(f"/domains/{domain}", headers=admin_key).json()["aliases"]
    assert alias["id"] == alias_id and alias["name"] == "example.net"
    got = xml.call(f"<site-alias><get><filter><id>{alias['id']}</id></filter></get></site-alias>")
    assert got.findtext("site-alias/get/result/info/name") == "example.net"
    for schemas, _prefix in schemas_of(api):
        assert schemas["DomainAlias"]["properties"]["id"]["type"] == "integer"
        assert "id" in schemas["DomainAlias"]["required"]


@SQLITE_ONLY
def test_domain_update_needs_no_name_and_create_still_does(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = make_domain(api, admin_key, description="old")
    for schemas, _prefix in schemas_of(api):
        assert "name" not in schemas["DomainRequest"].get("required", [])
    changed = api.put(
        f"/domains/{domain}", headers=admin_key, json={"description": "new", "hosting_type": "none"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["id"] == domain
    got = api.get(f"/domains/{domain}", headers=admin_key).json()
    assert (got["name"], got["description"], got["hosting_type"]) == ("example.com", "new", "none")
    nameless = api.post("/domains", headers=admin_key, json={"description": "no name"})
    assert nameless.status_code == 400 and "'name'" in nameless.json()["message"]
    assert [d["name"] for d in api.get("/domains", headers=admin_key).json()] == ["example.com"]


@SQLITE_ONLY
def test_a_plan_reference_puts_a_subscription_on_that_service_plan(
    api: Api, admin_key: dict[str, str]
) -> None:
    plans = api.panel.plans
    gold = plans.create(admin_identity(api), "service", name="Gold")
    silver = plans.create(admin_identity(api), "service", name="Silver")
    unknown = {"name": "example.org", "plan": {"name": "No such plan"}}
    missing = api.post("/domains", headers=admin_key, json=unknown)
    assert missing.status_code == 404 and is_error_shape(missing)
    assert api.get("/domains", headers=admin_key, params={"name": "example.org"}).json() == []
    domain = make_domain(api, admin_key, plan={"name": "Gold"})
    subscriptions = api.panel.subscriptions
    assert subscriptions.plans_of(domain)[0] == gold
    xml = xml_client(api)
    got = xml.call(
        f"<webspace><get><filter><id>{domain}</id></filter><dataset><subscriptions/></dataset>"
        "</get></webspace>"
    )
    assert got.findtext(".//plan-guid") == gold.guid
    # a site takes its subscription's plan, whatever it names
    site = {"name": "shop.example.net", "base_domain": {"id": domain}, "plan": {"name": "x"}}
    assert api.post("/domains", headers=admin_key, json=site).status_code == 201
    same = api.put(f"/domains/{domain}", headers=admin_key, json={"plan": {"name": "Gold"}})
    assert same.status_code == 200 and subscriptions.plans_of(domain)[0] == gold
    bad = api.put(f"/domains/{domain}", headers=admin_key, json={"plan": {"name": "Bronze"}})
    assert bad.status_code == 404 and subscriptions.plans_of(domain)[0] == gold
    moved = api.put(f"/domains/{domain}", headers=admin_key, json={"plan": {"name": "Silver"}})
    assert moved.status_code == 200, moved.text
    assert subscriptions.plans_of(domain)[0] == silver
