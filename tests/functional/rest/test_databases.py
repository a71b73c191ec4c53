"""REST /databases, /dbusers, /dbservers over the core's databases: Plesk's shapes and
statuses (POST answers 200), no password ever answered, and the same databases XML
`database` sees, both ways."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from panelkey.core.access.passwords import check_password
from panelkey.store import tables
from tests.functional.rest.rest_helpers import Api, is_error_shape, make_domain, xml_client
from tests.functional.xml.xml_helpers import error_of, results

SECRET = "Rest-db-secret-7"


def _post(api: Api, key: dict[str, str], path: str, **body: Any) -> Any:
    return api.post(path, headers=key, json=body)


def test_databases_and_users_over_rest(api: Api, admin_key: dict[str, str]) -> None:
    domain = make_domain(api, admin_key)
    made = _post(
        api, admin_key, "/databases", name="wp", type="mysql", parent_domain={"name": "example.com"}
    )
    assert made.status_code == 200, made.text  # Plesk's quirk: 200, not 201
    body = made.json()
    assert body == {
        "id": body["id"],
        "name": "wp",
        "type": "mysql",
        "parent_domain": domain,
        "server_id": 1,
        "default_user_id": 0,
    }
    pg = _post(
        api,
        admin_key,
        "/databases",
        name="shop",
        type="postgresql",
        parent_domain={"id": domain},
        server_id=2,
    )
    assert pg.status_code == 200 and pg.json()["server_id"] == 2
    listed = api.get("/databases", headers=admin_key, params={"domain": "example.com"})
    assert listed.status_code == 200 and [d["name"] for d in listed.json()] == ["wp", "shop"]
    user = _post(
        api, admin_key, "/dbusers", login="wpuser", password=SECRET, database_id=body["id"]
    )
    assert user.status_code == 200, user.text
    assert user.json() == {"id": user.json()["id"], "login": "wpuser", "database_id": body["id"]}
    assert SECRET not in user.text
    users = api.get("/dbusers", headers=admin_key, params={"dbId": body["id"]})
    assert users.status_code == 200 and users.json() == [user.json()]
    renamed = api.put(
        f"/dbusers/{user.json()['id']}",
        headers=admin_key,
        json={"login": "wpadmin", "password": "N3w-" + SECRET},
    )
    assert renamed.status_code == 200 and renamed.json() == {"status": "success"}
    with api.panel.db.read() as conn:
        login, digest = conn.execute(
            sa.select(tables.db_users.c.login, tables.db_users.c.password_hash)
        ).one()
    assert login == "wpadmin" and check_password(digest, "N3w-" + SECRET)
    servers = api.get("/dbservers", headers=admin_key)
    assert servers.status_code == 200
    assert [
        (s["id"], s["type"], s["port"], s["db_count"], s["is_default"], s["is_local"])
        for s in servers.json()
    ] == [
        (1, "mysql", 3306, 1, True, True),
        (2, "postgresql", 5432, 1, True, True),
    ]
    only = api.get("/dbservers", headers=admin_key, params={"id": 2})
    assert [s["type"] for s in only.json()] == ["postgresql"]
    gone = api.delete(f"/dbusers/{user.json()['id']}", headers=admin_key)
    assert gone.status_code == 200 and gone.json() == {"status": "success"}
    deleted = api.delete(f"/databases/{body['id']}", headers=admin_key)
    assert deleted.status_code == 200 and deleted.json() == {"status": "success"}
    assert [d["name"] for d in api.get("/databases", headers=admin_key).json()] == ["shop"]


def test_errors_are_plesk_shaped_and_write_nothing(api: Api, admin_key: dict[str, str]) -> None:
    make_domain(api, admin_key)
    ref = {"name": "example.com"}
    ok = _post(api, admin_key, "/databases", name="wp", type="mysql", parent_domain=ref)
    db_id = ok.json()["id"]
    cases = [
        (_post(api, admin_key, "/databases", name="wp", type="mysql", parent_domain=ref), 400),
        (_post(api, admin_key, "/databases", name="x", type="mssql", parent_domain=ref), 400),
        (
            _post(api, admin_key, "/databases", name="bad name", type="mysql", parent_domain=ref),
            400,
        ),
        (
            _post(
                api,
                admin_key,
                "/databases",
                name="x",
                type="mysql",
                parent_domain={"name": "no.example"},
            ),
            404,
        ),
        (
            _post(
                api,
                admin_key,
                "/databases",
                name="x",
                type="mysql",
                parent_domain=ref,
                server_id=99,
            ),
            404,
        ),
        (_post(api, admin_key, "/dbusers", login="u", password=SECRET, database_id=424242), 404),
        (
            _post(
                api, admin_key, "/dbusers", login="bad login!", password=SECRET, database_id=db_id
            ),
            400,
        ),
        (api.delete("/databases/424242", headers=admin_key), 404),
        (api.delete("/dbusers/424242", headers=admin_key), 404),
        (api.put("/dbusers/424242", headers=admin_key, json={"login": "x"}), 404),
        (api.get("/dbusers", headers=admin_key, params={"dbId": "abc"}), 400),
        (api.get("/databases", headers=admin_key, params={"domain": "no.example"}), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert is_error_shape(response), response.text
        assert SECRET not in response.text
    assert cases[7][0].json()["message"] == "Database does not exist"
    with api.panel.db.read() as conn:
        counts = [
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            for t in (tables.databases, tables.db_users)
        ]
    assert counts == [1, 0]


def test_databases_made_over_rest_are_seen_by_xml_and_the_reverse(
    api: Api, admin_key: dict[str, str]
) -> None:
    domain = make_domain(api, admin_key)
    xml = xml_client(api)
    over_rest = _post(
        api, admin_key, "/databases", name="fromrest", type="mysql", parent_domain={"id": domain}
    ).json()
    _post(
        api, admin_key, "/dbusers", login="restuser", password=SECRET, database_id=over_rest["id"]
    )
    root = xml.call(
        f"<database><get-db><filter><webspace-id>{domain}</webspace-id></filter></get-db></database>"
    )
    (seen,) = results(root, "database/get-db")
    assert (seen.findtext("id"), seen.findtext("name"), seen.findtext("type")) == (
        str(over_rest["id"]),
        "fromrest",
        "mysql",
    )
    root = xml.call(
        f"<database><get-db-users><filter><db-id>{over_rest['id']}</db-id></filter></get-db-users></database>"
    )
    assert [u.findtext("login") for u in results(root, "database/get-db-users")] == ["restuser"]
    root = xml.call(
        f"<database><add-db><webspace-id>{domain}</webspace-id><name>fromxml</name>"
        "<type>postgresql</type></add-db></database>"
    )
    xml_id = int(results(root, "database/add-db")[0].findtext("id") or 0)
    root = xml.call(
        f"<database><add-db-user><db-id>{xml_id}</db-id><login>xmluser</login>"
        f"<password>{SECRET}</password></add-db-user></database>"
    )
    user_id = int(results(root, "database/add-db-user")[0].findtext("id") or 0)
    listed = api.get("/databases", headers=admin_key).json()
    assert {
        "id": xml_id,
        "name": "fromxml",
        "type": "postgresql",
        "parent_domain": domain,
        "server_id": 2,
        "default_user_id": 0,
    } in listed
    assert api.get("/dbusers", headers=admin_key, params={"dbId": xml_id}).json() == [
        {"id": user_id, "login": "xmluser", "database_id": xml_id}
    ]
    assert api.delete(f"/databases/{xml_id}", headers=admin_key).status_code == 200
    root = xml.call(f"<database><get-db><filter><id>{xml_id}</id></filter></get-db></database>")
    assert error_of(results(root, "database/get-db")[0]) == (1013, "Database does not exist")


def test_a_user_of_a_whole_subscription_is_not_a_rest_database_user(
    api: Api, admin_key: dict[str, str]
) -> None:
    """XML's add-db-user without db-id makes a user with no database: REST's DatabaseUser
    has one, so /dbusers lists only the others; the user is still reached by id."""
    domain = make_domain(api, admin_key)
    xml = xml_client(api)
    db = _post(
        api, admin_key, "/databases", name="wp", type="mysql", parent_domain={"id": domain}
    ).json()
    own = _post(api, admin_key, "/dbusers", login="own", password=SECRET, database_id=db["id"])
    root = xml.call(
        f"<database><add-db-user><webspace-id>{domain}</webspace-id><db-server-id>1"
        f"</db-server-id><login>everywhere</login><password>{SECRET}</password></add-db-user>"
        "</database>"
    )
    (made,) = results(root, "database/add-db-user")
    assert made.findtext("status") == "ok"
    wide = int(made.findtext("id") or 0)
    every = api.get("/dbusers", headers=admin_key)
    assert every.status_code == 200 and every.json() == [own.json()]
    per_db = api.get("/dbusers", headers=admin_key, params={"dbId": db["id"]})
    assert per_db.status_code == 200 and per_db.json() == [own.json()]
    renamed = api.put(f"/dbusers/{wide}", headers=admin_key, json={"login": "anywhere"})
    assert renamed.status_code == 200
    with api.panel.db.read() as conn:
        u = tables.db_users
        assert conn.execute(sa.select(u.c.login).where(u.c.id == wide)).scalar() == "anywhere"
    assert api.delete(f"/dbusers/{wide}", headers=admin_key).status_code == 200
    with api.panel.db.read() as conn:
        ids = conn.execute(sa.select(tables.db_users.c.id)).scalars().all()
    assert ids == [own.json()["id"]]
