"""REST shapes as Plesk's own document has them: its named components (Admin,
DomainReference, OwnerClientReference, PlanReference), DomainAlias.id,
SessionRequest.skip_mfa, FTP permissions as the strings "true"/"false", the 14 DNS record
types (TLSA and the rest stored as over XML), `created` as a date, a license installed
with only its activation code, and PUT /domains/{id} without a name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from panelkey.core.identity import Identity
from tests.functional.rest.rest_helpers import CUSTOMER, Api, is_error_shape
from tests.functional.xml.xml_helpers import XmlClient, results
from tests.functional.xml_domains.conftest import key_of

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PLESK_TYPES = {
    "A",
    "AAAA",
    "CNAME",
    "MX",
    "NS",
    "TXT",
    "SRV",
    "PTR",
    "CAA",
    "DS",
    "TLSA",
    "HTTPS",
    "SOA",
    "AXFR",
}
TLSA_HASH = "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"
ZONE = {"domain": "example.com"}


def _admin(api: Api) -> Identity:
    admin = api.panel.accounts.admin()
    assert admin is not None
    return admin.identity()


def _xml(api: Api) -> XmlClient:
    return XmlClient(api.ctx, key_of(api.panel, _admin(api)))


def _schemas(api: Api) -> list[tuple[dict[str, Any], str]]:
    """Each document's schemas, with the prefix its `$ref`s carry."""
    v3 = api.get("/openapi.json").json()["components"]["schemas"]
    v2 = api.get("/swagger.json").json()["definitions"]
    return [(v3, "#/components/schemas/"), (v2, "#/definitions/")]


def _domain(api: Api, key: dict[str, str], **body: Any) -> int:
    made = api.post("/domains", headers=key, json={"name": "example.com", **body})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


# -- named components -----------------------------------------------------------------


def test_documents_name_plesks_reference_components_where_plesk_uses_them(api: Api) -> None:
    uses = {
        ("ServerInit", "admin"): "Admin",
        ("DomainRequest", "base_domain"): "DomainReference",
        ("DomainRequest", "parent_domain"): "DomainReference",
        ("DomainRequest", "owner_client"): "OwnerClientReference",
        ("DomainRequest", "plan"): "PlanReference",
        ("FtpUserRequest", "parent_domain"): "DomainReference",
        ("DatabaseRequest", "parent_domain"): "DomainReference",
        ("DatabaseUserRequest", "parent_domain"): "DomainReference",
    }
    for schemas, prefix in _schemas(api):
        assert {"Admin", "DomainReference", "OwnerClientReference", "PlanReference"} <= set(schemas)
        for (owner, member), name in uses.items():
            assert schemas[owner]["properties"][member] == {"$ref": prefix + name}
        assert set(schemas["OwnerClientReference"]["properties"]) == {
            "id",
            "login",
            "guid",
            "external_id",
        }
        assert set(schemas["DomainReference"]["properties"]) == {"id", "name", "guid"}
        assert set(schemas["PlanReference"]["properties"]) == {"name"}
        assert {"name", "email", "post_code", "send_announce"} <= set(
            schemas["Admin"]["properties"]
        )


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


# -- DomainAlias.id ---------------------------------------------------------------------


def test_domain_aliases_carry_their_id_the_one_xml_knows(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = _domain(api, admin_key)
    xml = _xml(api)
    made = xml.call(
        f"<site-alias><create><site-id>{domain}</site-id><name>example.net</name></create>"
        "</site-alias>"
    )
    alias_id = int(made.findtext("site-alias/create/result/id") or 0)
    (alias,) = api.get(f"/domains/{domain}", headers=admin_key).json()["aliases"]
    assert alias["id"] == alias_id and alias["name"] == "example.net"
    got = xml.call(f"<site-alias><get><filter><id>{alias['id']}</id></filter></get></site-alias>")
    assert got.findtext("site-alias/get/result/info/name") == "example.net"
    for schemas, _prefix in _schemas(api):
        assert schemas["DomainAlias"]["properties"]["id"]["type"] == "integer"
        assert "id" in schemas["DomainAlias"]["required"]


# -- SessionRequest.skip_mfa ------------------------------------------------------------


def test_session_request_takes_skip_mfa_as_a_boolean(api: Api, admin_key: dict[str, str]) -> None:
    for schemas, _prefix in _schemas(api):
        assert schemas["SessionRequest"]["properties"]["skip_mfa"]["type"] == "boolean"
    assert api.post("/clients", headers=admin_key, json=CUSTOMER).status_code == 201
    for flag in (True, False):
        body = {"login": CUSTOMER["login"], "skip_mfa": flag}
        opened = api.post("/server/session", headers=admin_key, json=body)
        assert opened.status_code == 201, opened.text
        session = api.panel.sessions.verify(opened.json()["id"])
        assert session is not None and session.login == CUSTOMER["login"]
    before = len(api.panel.sessions.list(_admin(api)))
    body = {"login": CUSTOMER["login"], "skip_mfa": "yes"}
    refused = api.post("/server/session", headers=admin_key, json=body)
    assert refused.status_code == 400 and "skip_mfa" in refused.json()["message"]
    assert len(api.panel.sessions.list(_admin(api))) == before


# -- FTP permissions as strings --------------------------------------------------------


def test_ftp_permissions_are_plesks_strings_in_request_and_answer(
    api: Api, admin_key: dict[str, str]
) -> None:
    for schemas, _prefix in _schemas(api):
        read = schemas["FtpUser"]["properties"]["permissions"]["properties"]["read"]
        assert read["type"] == "string" and read["enum"] == ["true", "false"]
    domain = _domain(api, admin_key)
    body = {
        "name": "uploader",
        "password": "Ftp-pw-123",
        "permissions": {"read": "false", "write": "true"},
        "parent_domain": {"id": domain},
    }
    made = api.post("/ftpusers", headers=admin_key, json=body)
    assert made.status_code == 200, made.text
    assert made.json()["permissions"] == {"read": "false", "write": "true"}
    stored = api.panel.ftp_users.by_name(_admin(api), "uploader")
    assert stored is not None and (stored.read, stored.write) == (False, True)
    (got,) = results(
        _xml(api).call("<ftp-user><get><filter><name>uploader</name></filter></get></ftp-user>"),
        "ftp-user/get",
    )
    assert got.findtext("permissions/read") == "false"
    assert got.findtext("permissions/write") == "true"
    changed = api.put(
        "/ftpusers/uploader", headers=admin_key, json={"permissions": {"read": "true"}}
    )
    assert changed.status_code == 200, changed.text
    (listed,) = api.get("/ftpusers", headers=admin_key).json()
    assert listed["permissions"] == {"read": "true", "write": "true"}
    refused = api.put(
        "/ftpusers/uploader", headers=admin_key, json={"permissions": {"write": "no"}}
    )
    assert refused.status_code == 400 and is_error_shape(refused)
    (still,) = api.get("/ftpusers", headers=admin_key).json()
    assert still["permissions"] == {"read": "true", "write": "true"}


# -- DNS record types -------------------------------------------------------------------


def test_documents_list_the_14_record_types_of_plesks_document(api: Api) -> None:
    for schemas, _prefix in _schemas(api):
        for name in ("DnsRecord", "DnsRecordRequest"):
            assert set(schemas[name]["properties"]["type"]["enum"]) == PLESK_TYPES


@pytest.mark.parametrize(
    ("kind", "host", "value", "opt"),
    [
        ("TLSA", "_443._tcp.www", f"3 1 1 {TLSA_HASH}", ""),
        ("TLSA", "_25._tcp.mail", TLSA_HASH, "3 1 1"),
        ("DS", "sub", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", ""),
        ("HTTPS", "@", "1 . alpn=h2", ""),
    ],
)
def test_tlsa_ds_and_https_records_are_kept_over_rest_as_over_xml(
    api: Api, admin_key: dict[str, str], kind: str, host: str, value: str, opt: str
) -> None:
    domain = _domain(api, admin_key)
    body = {"type": kind, "host": host, "value": value, **({"opt": opt} if opt else {})}
    made = api.post("/dns/records", headers=admin_key, params=ZONE, json=body)
    assert made.status_code == 200, made.text
    xml = _xml(api)
    sent = xml.call(
        f"<dns><add_rec><site-id>{domain}</site-id><type>{kind}</type><host>x{host}</host>"
        f"<value>{value}</value><opt>{opt}</opt></add_rec></dns>"
    )
    xml_id = sent.findtext("dns/add_rec/result/id")
    got = {
        r.findtext("id"): r
        for r in results(
            xml.call(f"<dns><get_rec><filter><site-id>{domain}</site-id></filter></get_rec></dns>"),
            "dns/get_rec",
        )
    }
    rest = made.json()
    by_xml = got[xml_id].find("data")
    assert by_xml is not None
    assert rest["type"] == kind and rest["value"] == by_xml.findtext("value")
    assert rest["opt"] == by_xml.findtext("opt")
    assert got[str(rest["id"])].findtext("data/value") == rest["value"]
    assert api.get(f"/dns/records/{rest['id']}", headers=admin_key).json() == rest
    if kind == "TLSA":
        assert rest["value"] == f"3 1 1 {TLSA_HASH.lower()}"
    bad = {"type": kind, "host": "bad", "value": "not record data"}
    refused = api.post("/dns/records", headers=admin_key, params=ZONE, json=bad)
    assert refused.status_code == 400 and is_error_shape(refused)


def test_soa_and_axfr_are_named_but_no_record_a_zone_keeps(
    api: Api, admin_key: dict[str, str]
) -> None:
    _domain(api, admin_key)
    before = api.get("/dns/records", headers=admin_key, params=ZONE).json()
    for kind in ("SOA", "AXFR"):
        body = {"type": kind, "host": "@", "value": "ns.example.com."}
        refused = api.post("/dns/records", headers=admin_key, params=ZONE, json=body)
        assert refused.status_code == 400 and is_error_shape(refused), refused.text
        assert "expected one of" not in refused.json()["message"]  # the core's reason
    assert api.get("/dns/records", headers=admin_key, params=ZONE).json() == before


# -- created ----------------------------------------------------------------------------


def test_created_is_a_date_as_plesk_types_it(api: Api, admin_key: dict[str, str]) -> None:
    for schemas, _prefix in _schemas(api):
        for name in ("Client", "DomainResponse"):
            created = schemas[name]["properties"]["created"]
            assert (created["type"], created["format"]) == ("string", "date")
    client_id = api.post("/clients", headers=admin_key, json=CUSTOMER).json()["id"]
    domain = _domain(api, admin_key, owner_client={"id": client_id})
    account = api.panel.accounts.get(client_id)
    stored = api.panel.domains.get(_admin(api), domain)
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


# -- the license ------------------------------------------------------------------------


def test_a_license_installs_with_only_its_activation_code(
    api: Api, admin_key: dict[str, str]
) -> None:
    for empty in ({}, {"code": "  "}, {"additional": True}):
        refused = api.post("/server/license", headers=admin_key, json=empty)
        assert refused.status_code == 400 and is_error_shape(refused), empty
    assert api.panel.server.license() is None
    code = "A00B00-CDE111-FGH222-IJK333"
    done = api.post("/server/license", headers=admin_key, json={"code": code})
    assert (done.status_code, done.json()) == (200, {"status": "success"})
    installed = api.panel.server.license()
    assert installed is not None and installed.code == code and not installed.additional
    answer = _xml(api).call("<server><get><key/></get></server>")
    properties = {
        p.findtext("name"): p.findtext("value")
        for p in answer.findall("server/get/result/key/property")
    }
    assert properties["activation_code"] == code
    assert properties["key_type"] == "main"
    assert properties["plesk_key_id"] == installed.key_id
    with_key = {"key": "LICENSE-TEXT", "code": code, "additional": True}
    assert api.post("/server/license", headers=admin_key, json=with_key).status_code == 200
    replaced = api.panel.server.license()
    assert replaced is not None and replaced.key_id != installed.key_id and replaced.additional


# -- PUT /domains/{id} without a name ----------------------------------------------------


def test_domain_update_needs_no_name_and_create_still_does(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = _domain(api, admin_key, description="old")
    for schemas, _prefix in _schemas(api):
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


# -- PlanReference ----------------------------------------------------------------------


def test_a_plan_reference_puts_a_subscription_on_that_service_plan(
    api: Api, admin_key: dict[str, str]
) -> None:
    plans = api.panel.plans
    gold = plans.create(_admin(api), "service", name="Gold")
    silver = plans.create(_admin(api), "service", name="Silver")
    unknown = {"name": "example.org", "plan": {"name": "No such plan"}}
    missing = api.post("/domains", headers=admin_key, json=unknown)
    assert missing.status_code == 404 and is_error_shape(missing)
    assert api.get("/domains", headers=admin_key, params={"name": "example.org"}).json() == []
    domain = _domain(api, admin_key, plan={"name": "Gold"})
    subscriptions = api.panel.subscriptions
    assert subscriptions.plans_of(domain)[0] == gold
    xml = _xml(api)
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
