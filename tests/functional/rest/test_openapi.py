"""Both documents: valid, open, agreeing; every operation of Plesk's REST document in both,
with Plesk's summary, tags and schema names (its reference components where it uses
them) and no operationId, each answering a well-formed admin call with Plesk's status;
every route of the table documented, and every documented route served."""

from __future__ import annotations

import json
from typing import Any

import yaml
from openapi_spec_validator import validate

from panelkey.rest.router import ROUTES
from tests.functional.rest.plesk_operations import PLESK_OPERATIONS, Op
from tests.functional.rest.rest_helpers import ADMIN, CUSTOMER, SQLITE_ONLY, Api, schemas_of

pytestmark = SQLITE_ONLY

TIER2: tuple[str, ...] = ()  # every operation is served now


def _documents(api: Api) -> dict[str, dict[str, Any]]:
    v3 = api.get("/openapi.json").json()
    v2 = api.get("/swagger.json").json()
    v2_yaml = yaml.safe_load(api.get("/swagger.yml").text)
    assert v2_yaml == v2
    return {"openapi.json": v3, "swagger.json": v2}


def test_every_plesk_operation_is_in_both_documents_with_its_summary_and_tags(
    api: Api,
) -> None:
    for name, doc in _documents(api).items():
        for op in PLESK_OPERATIONS:
            found = doc["paths"].get(op.path, {}).get(op.method.lower())
            assert found is not None, f"{name}: {op.method} {op.path} missing"
            assert found["summary"] == op.summary, (name, op)
            assert tuple(found["tags"]) == op.tags, (name, op)
            assert "operationId" not in found, (name, op)
            assert str(op.status) in found["responses"], (name, op)
        assert '"operationId"' not in json.dumps(doc)


def test_panelkey_additions_follow_plesks_operations_and_say_they_are_extensions(
    api: Api,
) -> None:
    plesk = {(op.method.lower(), op.path) for op in PLESK_OPERATIONS}
    for name, doc in _documents(api).items():
        listed = [(m, p) for p, item in doc["paths"].items() for m in item]
        extras = [x for x in listed if x not in plesk]
        assert {("get", "/auth/keys"), ("get", "/swagger.json")} <= set(extras), name
        for method, path in extras:
            description = doc["paths"][path][method].get("description", "")
            assert description.startswith("panelkey extension"), (name, method, path)


def test_documents_use_plesks_schema_names(api: Api) -> None:
    names = {
        "Client",
        "ClientRequest",
        "ClientUpdateRequest",
        "ClientStatistics",
        "DomainRequest",
        "DomainResponse",
        "DomainAlias",
        "DomainStatus",
        "DnsRecord",
        "DnsRecordRequest",
        "FtpUser",
        "FtpUserRequest",
        "FtpUserUpdateRequest",
        "Database",
        "DatabaseRequest",
        "DatabaseUser",
        "DatabaseUserRequest",
        "DatabaseUserUpdateRequest",
        "DatabaseServer",
        "Extension",
        "ExtensionInstallRequest",
        "ServerMeta",
        "ServerIp",
        "ServerInit",
        "ServerLicense",
        "SessionRequest",
        "SessionResponse",
        "SecretKeyRequest",
        "SecretKeyResponse",
        "CliCallRequest",
        "CliCallResponse",
        "StatusResponse",
        "CreatedResponse",
        "ErrorResponse",
    }
    docs = _documents(api)
    assert names <= set(docs["openapi.json"]["components"]["schemas"])
    assert names <= set(docs["swagger.json"]["definitions"])


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
    for schemas, prefix in schemas_of(api):
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


def _calls(api: Api, key: dict[str, str]) -> list[tuple[Op, Any]]:
    """One well-formed admin call per operation, in an order where each has what it needs."""
    by = {(op.method, op.path): op for op in PLESK_OPERATIONS}
    done: list[tuple[Op, Any]] = []

    def call(method: str, template: str, path: str | None = None, **kw: Any) -> Any:
        response = api.request(method, path or template, headers=key, **kw)
        done.append((by[(method, template)], response))
        return response.json() if response.content else None

    call("GET", "/server")
    call("GET", "/server/ips")
    call("POST", "/server/license", json={"key": "LICENSE-TEXT", "code": "AB1C23-4DEF56"})
    call(
        "POST",
        "/server/init",
        json={"admin": {"name": "John Smith", "email": "john@example.com"}, "server_name": "h"},
    )
    call("GET", "/cli/commands")
    call("GET", "/cli/{id}/ref", "/cli/secret_key/ref")
    call("POST", "/cli/{id}/call", "/cli/secret_key/call", json={"params": ["--list"]})
    call("POST", "/extensions", json={"id": "letsencrypt"})
    call("GET", "/extensions")
    call("GET", "/extensions/{id}", "/extensions/letsencrypt")
    call("PUT", "/extensions/{id}/disable", "/extensions/letsencrypt/disable")
    call("PUT", "/extensions/{id}/enable", "/extensions/letsencrypt/enable")
    call("DELETE", "/extensions/{id}", "/extensions/letsencrypt")
    client = call("POST", "/clients", json=CUSTOMER)["id"]
    one = f"/clients/{client}"
    call("GET", "/clients")
    call("GET", "/clients/{id}", one)
    call("PUT", "/clients/{id}", one, json={"company": "Plesk GmbH"})
    call("PUT", "/clients/{id}/suspend", one + "/suspend")
    call("PUT", "/clients/{id}/activate", one + "/activate")
    call("POST", "/server/session", json={"login": CUSTOMER["login"]})
    domain = call(
        "POST",
        "/domains",
        json={"name": "example.com", "hosting_type": "virtual", "owner_client": {"id": client}},
    )["id"]
    d = f"/domains/{domain}"
    call("GET", "/domains", params={"name": "example.com"})
    call("GET", "/domains/{id}", d)
    call("PUT", "/domains/{id}", d, json={"name": "example.com", "description": "x"})
    call("GET", "/domains/{id}/client", d + "/client")
    call("GET", "/domains/{id}/status", d + "/status")
    call("PUT", "/domains/{id}/status", d + "/status", json={"status": "active"})
    call("GET", "/clients/{id}/domains", one + "/domains")
    call("GET", "/clients/{id}/statistics", one + "/statistics")
    zone = {"domain": "example.com"}
    record = call(
        "POST", "/dns/records", params=zone, json={"type": "A", "host": "www", "value": "192.0.2.1"}
    )["id"]
    r = f"/dns/records/{record}"
    call("GET", "/dns/records", params=zone)
    call("GET", "/dns/records/{id}", r)
    call("PUT", "/dns/records/{id}", r, json={"value": "192.0.2.2"})
    call("DELETE", "/dns/records/{id}", r)
    database = call(
        "POST",
        "/databases",
        json={"name": "wp", "type": "mysql", "parent_domain": {"id": domain}},
    )["id"]
    call("GET", "/databases", params={"domain": "example.com"})
    user = call(
        "POST",
        "/dbusers",
        json={"login": "wpuser", "password": "Db-pw-123", "database_id": database},
    )["id"]
    call("GET", "/dbusers", params={"dbId": database})
    call("PUT", "/dbusers/{id}", f"/dbusers/{user}", json={"password": "Db-pw-456"})
    call("DELETE", "/dbusers/{id}", f"/dbusers/{user}")
    call("DELETE", "/databases/{id}", f"/databases/{database}")
    call("GET", "/dbservers")
    ftp = {"name": "uploader", "password": "Ftp-pw-123", "parent_domain": {"id": domain}}
    call("POST", "/ftpusers", json=ftp)
    call("GET", "/ftpusers", params={"domain": "example.com"})
    call("PUT", "/ftpusers/{name}", "/ftpusers/uploader", json={"home": "/httpdocs"})
    call("DELETE", "/ftpusers/{name}", "/ftpusers/uploader")
    call("DELETE", "/domains/{id}", d)
    call("DELETE", "/clients/{id}", one)
    made = call("POST", "/auth/keys", json={"description": "to delete"})["key"]
    call("DELETE", "/auth/keys/{key}", f"/auth/keys/{made}")
    return done


def test_each_operation_answers_a_well_formed_admin_call_with_plesks_status(
    api: Api, admin_key: dict[str, str]
) -> None:
    done = _calls(api, admin_key)
    for op, response in done:
        assert response.status_code == op.status, (op, response.text)
    covered = {op for op, _ in done}
    expected = {op for op in PLESK_OPERATIONS if not op.path.startswith(TIER2)}
    assert covered == expected


def test_plesks_quirks_are_kept(api: Api, admin_key: dict[str, str]) -> None:
    """200 (not 201) from the four creates Plesk answers so; CreatedResponse from PUT and
    DELETE /clients/{id}; ?domain= required on /dns/records (and nothing written without)."""
    key = admin_key
    made = api.post("/clients", headers=key, json=CUSTOMER)
    assert made.status_code == 201
    client = api.get(f"/clients/{made.json()['id']}", headers=key).json()
    created = {"id": client["id"], "guid": client["guid"]}
    changed = api.put(f"/clients/{client['id']}", headers=key, json={"company": "x"})
    assert (changed.status_code, changed.json()) == (200, created)
    body = {"name": "example.com", "owner_client": {"id": client["id"]}}
    domain = api.post("/domains", headers=key, json=body).json()["id"]
    record = {"type": "TXT", "host": "q", "value": "v"}
    for params in ({}, {"name": "example.com"}):
        refused = api.post("/dns/records", headers=key, params=params, json=record)
        assert refused.status_code == 400 and "'domain'" in refused.json()["message"]
        listed = api.get("/dns/records", headers=key, params=params)
        assert listed.status_code == 400 and "'domain'" in listed.json()["message"]
    zone = api.get("/dns/records", headers=key, params={"domain": "example.com"}).json()
    assert not any(r["host"] == "q.example.com." for r in zone)
    ref = {"id": domain}
    answers = [
        api.post("/dns/records", headers=key, params={"domain": "example.com"}, json=record),
        api.post(
            "/ftpusers",
            headers=key,
            json={"name": "ftp_q", "password": "Ftp-pw-123", "parent_domain": ref},
        ),
        db := api.post(
            "/databases", headers=key, json={"name": "db_q", "type": "mysql", "parent_domain": ref}
        ),
        api.post(
            "/dbusers",
            headers=key,
            json={"login": "dbu_q", "password": "Db-pw-123", "database_id": db.json()["id"]},
        ),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200], [a.text for a in answers]
    assert all("id" in a.json() and "guid" not in a.json() for a in answers)
    gone = api.delete(f"/clients/{client['id']}", headers=key)
    assert (gone.status_code, gone.json()) == (200, created)


def test_documents_are_open_valid_and_agree(api: Api) -> None:
    v3 = api.get("/openapi.json")
    v2 = api.get("/swagger.json")
    v2_yaml = api.get("/swagger.yml")
    for response in (v3, v2, v2_yaml):
        assert response.status_code == 200
    validate(v3.json())
    validate(v2.json())
    assert yaml.safe_load(v2_yaml.text) == v2.json()
    assert v3.json()["openapi"].startswith("3.0") and v2.json()["swagger"] == "2.0"


def _documented(document: dict[str, object]) -> set[tuple[str, str]]:
    paths = document["paths"]
    assert isinstance(paths, dict)
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_route_is_documented_and_every_documented_route_exists(api: Api) -> None:
    documents = [api.get("/openapi.json").json(), api.get("/swagger.json").json()]
    table = {(r.method, r.path) for r in ROUTES}
    for document in documents:
        assert _documented(document) == table
    for method, path in sorted(table):
        concrete = path.replace("{id}", "4242").replace("{key}", "4242")
        if concrete.startswith("/cli/"):
            concrete = concrete.replace("4242", "secret_key")
        kwargs = {"json": {}} if method in ("POST", "PUT") else {}
        response = api.request(method, concrete, auth=ADMIN, **kwargs)  # type: ignore[arg-type]
        assert response.status_code != 405, (method, path)
        if response.status_code == 404:  # an unknown object, never an unknown route
            assert response.json()["message"] != "Not found", (method, path)
