"""`/dns/records`: a zone's records over REST, the 14 types of Plesk's document (TLSA and
the rest stored as over XML; SOA and AXFR named but no record a zone keeps). In-process on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.functional.rest.rest_helpers import (
    SQLITE_ONLY,
    Api,
    Key,
    is_error_shape,
    make_domain,
    schemas_of,
    xml_client,
)
from tests.functional.xml.xml_helpers import results

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


def test_dns_record_lifecycle(api: Api, admin_key: Key) -> None:
    make_domain(api, admin_key)
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
    make_domain(api, admin_key)
    before = api.get("/dns/records?domain=example.com", headers=admin_key).json()
    response = api.post(f"/dns/records{query}", headers=admin_key, json=body)
    assert response.status_code == status and is_error_shape(response)
    assert api.get("/dns/records?domain=example.com", headers=admin_key).json() == before


@SQLITE_ONLY
def test_documents_list_the_14_record_types_of_plesks_document(api: Api) -> None:
    for schemas, _prefix in schemas_of(api):
        for name in ("DnsRecord", "DnsRecordRequest"):
            assert set(schemas[name]["properties"]["type"]["enum"]) == PLESK_TYPES


@SQLITE_ONLY
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
    domain = make_domain(api, admin_key)
    body = {"type": kind, "host": host, "value": value, **({"opt": opt} if opt else {})}
    made = api.post("/dns/records", headers=admin_key, params=ZONE, json=body)
    assert made.status_code == 200, made.text
    xml = xml_client(api)
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


@SQLITE_ONLY
def test_soa_and_axfr_are_named_but_no_record_a_zone_keeps(
    api: Api, admin_key: dict[str, str]
) -> None:
    make_domain(api, admin_key)
    before = api.get("/dns/records", headers=admin_key, params=ZONE).json()
    for kind in ("SOA", "AXFR"):
        body = {"type": kind, "host": "@", "value": "ns.example.com."}
        refused = api.post("/dns/records", headers=admin_key, params=ZONE, json=body)
        assert refused.status_code == 400 and is_error_shape(refused), refused.text
        assert "expected one of" not in refused.json()["message"]  # the core's reason
    assert api.get("/dns/records", headers=admin_key, params=ZONE).json() == before
