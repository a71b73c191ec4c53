"""`/ftpusers` over the core's FTP users: Plesk's shapes and statuses (POST answers 200),
permissions as Plesk's strings, no password ever answered, and the same FTP users XML
`ftp-user` sees."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from panelkey.core.access.passwords import check_password
from panelkey.store import tables
from tests.functional.rest.rest_helpers import (
    SQLITE_ONLY,
    Api,
    admin_identity,
    is_error_shape,
    make_domain,
    schemas_of,
    xml_client,
)
from tests.functional.xml.xml_helpers import error_of, results

SECRET = "Rest-ftp-secret-7"


def _create(api: Api, key: dict[str, str], **body: Any) -> Any:
    return api.post("/ftpusers", headers=key, json=body)


def test_post_ftpusers_answers_200_with_the_ftp_user_and_never_the_password(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = make_domain(api, admin_key)
    made = _create(
        api,
        admin_key,
        name="uploader",
        password=SECRET,
        home="/httpdocs/up",
        quota=1024,
        permissions={"read": "true", "write": "true"},
        parent_domain={"name": "example.com"},
    )
    assert made.status_code == 200, made.text
    body = made.json()
    assert body == {
        "id": body["id"],
        "name": "uploader",
        "home": "/httpdocs/up",
        "quota": 1024,
        "permissions": {"read": "true", "write": "true"},
        "parent_domain": domain,
    }
    assert SECRET not in made.text
    listed = api.get("/ftpusers", headers=admin_key)
    assert listed.status_code == 200 and listed.json() == [body]
    assert SECRET not in listed.text
    assert api.get("/ftpusers", headers=admin_key, params={"name": "uploader"}).json() == [body]
    assert api.get("/ftpusers", headers=admin_key, params={"name": "other"}).json() == []
    assert api.get("/ftpusers", headers=admin_key, params={"domain": "example.com"}).json() == [
        body
    ]
    defaults = _create(api, admin_key, name="plain", password=SECRET, parent_domain={"id": domain})
    assert defaults.status_code == 200, defaults.text
    assert defaults.json()["home"] == "/" and defaults.json()["quota"] == -1
    assert defaults.json()["permissions"] == {"read": "true", "write": "false"}


def test_put_and_delete_ftpusers_by_name(api: Api, admin_key: dict[str, str]) -> None:
    make_domain(api, admin_key)
    assert (
        _create(
            api, admin_key, name="uploader", password=SECRET, parent_domain={"name": "example.com"}
        ).status_code
        == 200
    )
    changed = api.put(
        "/ftpusers/uploader",
        headers=admin_key,
        json={
            "name": "renamed",
            "password": "Other-pass-8",
            "home": "/logs",
            "permissions": {"write": True},
        },
    )
    assert changed.status_code == 200 and changed.json() == {"status": "success"}
    (user,) = api.get("/ftpusers", headers=admin_key).json()
    assert (
        user["name"] == "renamed"
        and user["home"] == "/logs"
        and user["permissions"]["write"] == "true"
    )
    found = api.panel.ftp_users.by_name(api.panel.accounts.admin().identity(), "renamed")  # type: ignore[union-attr]
    assert found is not None
    gone = api.delete("/ftpusers/renamed", headers=admin_key)
    assert gone.status_code == 200 and gone.json() == {"status": "success"}
    assert api.get("/ftpusers", headers=admin_key).json() == []
    for method in ("put", "delete"):
        missing = api.request(method.upper(), "/ftpusers/renamed", headers=admin_key, json={})
        assert missing.status_code == 404 and is_error_shape(missing)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "x", "password": SECRET, "parent_domain": {"name": "nowhere.com"}}, 404),
        ({"name": "x", "password": SECRET, "parent_domain": {}}, 400),
        (
            {
                "name": "x",
                "password": SECRET,
                "home": "/../etc",
                "parent_domain": {"name": "example.com"},
            },
            400,
        ),
        (
            {
                "name": "x",
                "password": SECRET,
                "quota": -2,
                "parent_domain": {"name": "example.com"},
            },
            400,
        ),
        ({"name": "bad name", "password": SECRET, "parent_domain": {"name": "example.com"}}, 400),
        ({"name": "x", "parent_domain": {"name": "example.com"}}, 400),
    ],
)
def test_post_ftpusers_refuses_bad_requests_and_writes_nothing(
    api: Api, admin_key: dict[str, str], body: dict[str, Any], status: int
) -> None:
    make_domain(api, admin_key)
    refused = _create(api, admin_key, **body)
    assert refused.status_code == status and is_error_shape(refused), refused.text
    assert api.get("/ftpusers", headers=admin_key).json() == []


def test_a_taken_ftp_login_is_400(api: Api, admin_key: dict[str, str]) -> None:
    make_domain(api, admin_key)
    make_domain(api, admin_key, "example.org")
    first = _create(
        api, admin_key, name="uploader", password=SECRET, parent_domain={"name": "example.com"}
    )
    assert first.status_code == 200
    again = _create(
        api, admin_key, name="uploader", password=SECRET, parent_domain={"name": "example.org"}
    )
    assert again.status_code == 400 and is_error_shape(again)


def test_ftp_users_made_over_rest_are_seen_by_xml_and_the_reverse(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = make_domain(api, admin_key)
    xml = xml_client(api)
    made = _create(
        api, admin_key, name="restmade", password=SECRET, home="/a", parent_domain={"id": domain}
    )
    assert made.status_code == 200
    (got,) = results(
        xml.call("<ftp-user><get><filter><name>restmade</name></filter></get></ftp-user>"),
        "ftp-user/get",
    )
    assert got.findtext("status") == "ok"
    assert got.findtext("id") == str(made.json()["id"]) and got.findtext("home") == "/a"
    assert got.findtext("webspace-id") == str(domain)
    added = xml.call(
        f"<ftp-user><add><name>xmlmade</name><password>{SECRET}</password><home>/b</home>"
        f"<webspace-id>{domain}</webspace-id></add></ftp-user>"
    )
    assert added.findtext("ftp-user/add/result/status") == "ok"
    names = {u["name"]: u for u in api.get("/ftpusers", headers=admin_key).json()}
    assert set(names) == {"restmade", "xmlmade"} and names["xmlmade"]["home"] == "/b"
    # a password changed over REST is the one the core checks; XML sees the deletion
    assert (
        api.put("/ftpusers/xmlmade", headers=admin_key, json={"password": "Changed-9"}).status_code
        == 200
    )
    with api.panel.db.read() as conn:
        digest = conn.execute(
            sa.select(tables.ftp_users.c.password_hash).where(tables.ftp_users.c.name == "xmlmade")
        ).scalar()
    assert check_password(str(digest), "Changed-9")
    assert api.delete("/ftpusers/restmade", headers=admin_key).status_code == 200
    (gone,) = results(
        xml.call("<ftp-user><get><filter><name>restmade</name></filter></get></ftp-user>"),
        "ftp-user/get",
    )
    assert error_of(gone) == (1013, "FTP user does not exist")


@SQLITE_ONLY
def test_ftp_permissions_are_plesks_strings_in_request_and_answer(
    api: Api, admin_key: dict[str, str]
) -> None:
    for schemas, _prefix in schemas_of(api):
        read = schemas["FtpUser"]["properties"]["permissions"]["properties"]["read"]
        assert read["type"] == "string" and read["enum"] == ["true", "false"]
    domain = make_domain(api, admin_key)
    body = {
        "name": "uploader",
        "password": "Ftp-pw-123",
        "permissions": {"read": "false", "write": "true"},
        "parent_domain": {"id": domain},
    }
    made = api.post("/ftpusers", headers=admin_key, json=body)
    assert made.status_code == 200, made.text
    assert made.json()["permissions"] == {"read": "false", "write": "true"}
    stored = api.panel.ftp_users.by_name(admin_identity(api), "uploader")
    assert stored is not None and (stored.read, stored.write) == (False, True)
    (got,) = results(
        xml_client(api).call(
            "<ftp-user><get><filter><name>uploader</name></filter></get></ftp-user>"
        ),
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
