"""Operator database: databases of subscriptions and their users, per operation: the happy
path, the order fault, the unknown object, the caller without rights; and everything a
subscription holds (mail, databases, users, certificates) goes with it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    call,
    error_of,
    ok,
    one,
    order_fault,
    results,
)

BOTH = ["sqlite", "postgresql"]


def add_db(xml: XmlClient, ws: int, name: str, type_: str = "mysql", key: str | None = None):
    return one(
        xml,
        "database",
        "add-db",
        f"<webspace-id>{ws}</webspace-id><name>{name}</name><type>{type_}</type>",
        key,
    )


def add_user(xml: XmlClient, db_id: str, login: str, key: str | None = None) -> etree._Element:
    return one(
        xml,
        "database",
        "add-db-user",
        f"<db-id>{db_id}</db-id><login>{login}</login><password>Pw-{login}-123</password>",
        key,
    )


def _count(panel: Panel, table: sa.Table) -> int:
    with panel.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_databases_and_users_round_trip(xml: XmlClient, panel: Panel, world: World) -> None:
    wp = ok(add_db(xml, world.dave_ws, "wp"))
    assert [c.tag for c in wp] == ["status", "id"]
    pg = ok(add_db(xml, world.dave_ws, "shop", "postgresql"))
    wp_id, pg_id = wp.findtext("id") or "", pg.findtext("id") or ""
    listed = results(
        call(
            xml,
            "database",
            "get-db",
            f"<filter><webspace-id>{world.dave_ws}</webspace-id></filter>",
        ),
        "database/get-db",
    )
    assert [c.tag for c in ok(listed[0])] == [
        "status", "filter-id", "id", "name", "type", "webspace-id", "db-server-id",
        "default-user-id",
    ]  # fmt: skip
    assert [
        (r.findtext("name"), r.findtext("type"), r.findtext("db-server-id")) for r in listed
    ] == [
        ("wp", "mysql", "1"),
        ("shop", "postgresql", "2"),
    ]
    assert listed[0].findtext("default-user-id") == "0"
    user = ok(add_user(xml, wp_id, "wpuser"))
    user_id = user.findtext("id") or ""
    ok(add_user(xml, wp_id, "wpreader"))
    users = results(
        call(xml, "database", "get-db-users", f"<filter><db-id>{wp_id}</db-id></filter>"),
        "database/get-db-users",
    )
    assert [(u.findtext("login"), u.findtext("db-id")) for u in users] == [
        ("wpuser", wp_id),
        ("wpreader", wp_id),
    ]
    assert [c.tag for c in users[0]] == ["status", "filter-id", "id", "login", "db-id"]
    ok(
        one(
            xml,
            "database",
            "set-db-user",
            f"<id>{user_id}</id><login>wpadmin</login><password>N3w-pass</password>",
        )
    )
    ok(
        one(
            xml,
            "database",
            "set-default-user",
            f"<db-id>{wp_id}</db-id><default-user-id>{user_id}</default-user-id>",
        )
    )
    default = one(xml, "database", "get-default-user", f"<filter><db-id>{wp_id}</db-id></filter>")
    assert (default.findtext("filter-id"), default.findtext("id")) == (wp_id, user_id)
    (wp_now,) = results(
        call(xml, "database", "get-db", f"<filter><id>{wp_id}</id></filter>"), "database/get-db"
    )
    assert wp_now.findtext("default-user-id") == user_id
    with panel.db.read() as conn:
        digests = conn.execute(sa.select(tables.db_users.c.password_hash)).scalars().all()
    assert all(d.startswith("$argon2") for d in digests) and len(digests) == 2
    gone = one(xml, "database", "del-db-user", f"<filter><id>{user_id}</id></filter>")
    assert (ok(gone).findtext("filter-id"), gone.findtext("id")) == (user_id, user_id)
    none = one(xml, "database", "get-default-user", f"<filter><db-id>{wp_id}</db-id></filter>")
    assert ok(none).find("id") is None
    deleted = one(xml, "database", "del-db", f"<filter><id>{wp_id}</id></filter>")
    assert ok(deleted).findtext("id") == wp_id
    assert _count(panel, tables.db_users) == 0
    actions = [e.action for e in panel.events.list() if e.obj_class.startswith("database")]
    assert actions == [
        "database_create", "database_create", "database_user_create", "database_user_create",
        "database_user_update", "database_update", "database_user_delete",
        "database_user_delete", "database_delete",
    ]  # fmt: skip
    assert not any("N3w-pass" in str(e.new_values) for e in panel.events.list())
    assert pg_id


def test_bad_values_and_clashes_write_nothing(xml: XmlClient, panel: Panel, world: World) -> None:
    wp_id = ok(add_db(xml, world.dave_ws, "wp")).findtext("id") or ""
    ok(add_user(xml, wp_id, "wpuser"))
    other_id = ok(add_db(xml, world.dave_ws, "other")).findtext("id") or ""
    before = (_count(panel, tables.databases), _count(panel, tables.db_users))
    assert error_of(add_db(xml, world.dave_ws, "bad name"))[0] == 1019
    assert error_of(add_db(xml, world.dave_ws, "x", "oracle"))[0] == 1019
    assert error_of(add_db(xml, world.dave_ws, "wp"))[0] == 1007
    assert error_of(add_user(xml, other_id, "wpuser"))[0] == 1007  # one login per server
    assert error_of(add_user(xml, wp_id, "bad login!"))[0] == 1019
    on_pg = one(
        xml,
        "database",
        "add-db",
        f"<webspace-id>{world.dave_ws}</webspace-id><name>z</name><type>mysql</type>"
        "<db-server-id>2</db-server-id>",
    )
    assert error_of(on_pg)[0] == 1019
    nowhere = one(
        xml,
        "database",
        "add-db",
        f"<webspace-id>{world.dave_ws}</webspace-id><name>z</name><type>mysql</type>"
        "<db-server-id>99</db-server-id>",
    )
    assert error_of(nowhere) == (1013, "Database server does not exist")
    users = results(
        call(xml, "database", "get-db-users", f"<filter><db-id>{wp_id}</db-id></filter>"),
        "database/get-db-users",
    )
    theirs = users[0].findtext("id")
    wrong = one(
        xml,
        "database",
        "set-default-user",
        f"<db-id>{other_id}</db-id><default-user-id>{theirs}</default-user-id>",
    )
    assert error_of(wrong)[0] == 1019
    empty = one(xml, "database", "set-db-user", f"<id>{theirs}</id><password></password>")
    assert error_of(empty)[0] == 1019
    assert (_count(panel, tables.databases), _count(panel, tables.db_users)) == before


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_user_access_rules_are_kept_answered_and_go_with_the_database(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    db_id = ok(add_db(xml, world.dave_ws, "rules")).findtext("id") or ""
    made = one(
        xml,
        "database",
        "add-db-user",
        f"<db-id>{db_id}</db-id><webspace-id>{world.dave_ws}</webspace-id><login>ro</login>"
        "<password>Ro-pass-123</password><password-type>plain</password-type>"
        "<acl><host>localhost</host></acl><allow-access-from><ip-address>192.0.2.0/24"
        "</ip-address></allow-access-from><role>readOnly</role>",
    )
    user_id = ok(made).findtext("id") or ""
    ok(one(xml, "database", "set-db-user", f"<id>{user_id}</id><role>readWrite</role>"))
    (got,) = results(
        call(xml, "database", "get-db-users", f"<filter><db-id>{db_id}</db-id></filter>"),
        "database/get-db-users",
    )
    assert [c.tag for c in got] == [
        "status", "filter-id", "id", "login", "db-id", "acl", "allow-access-from", "role"
    ]  # fmt: skip
    assert got.findtext("acl/host") == "localhost" and got.findtext("role") == "readWrite"
    assert got.findtext("allow-access-from/ip-address") == "192.0.2.0/24"
    before = _count(panel, tables.properties)
    bad = f"<id>{user_id}</id><acl><host>x y</host></acl><role>readOnly</role>"
    assert error_of(one(xml, "database", "set-db-user", bad))[0] == 1019
    assert _count(panel, tables.properties) == before
    ok(one(xml, "database", "del-db", f"<filter><id>{db_id}</id></filter>"))
    assert _count(panel, tables.properties) == 0


def test_unknown_objects_are_1013(xml: XmlClient, world: World) -> None:
    assert error_of(add_db(xml, 999999, "x")) == (1013, "Webspace does not exist")
    assert error_of(add_db(xml, world.carol_site, "x"))[0] == 1013  # a site, not a webspace
    for operation in ("get-db", "del-db"):
        miss = one(xml, "database", operation, "<filter><id>424242</id></filter>")
        assert error_of(miss) == (1013, "Database does not exist")
        assert miss.findtext("filter-id") == "424242"
    miss = one(
        xml, "database", "get-db", "<filter><webspace-name>no.example</webspace-name></filter>"
    )
    assert error_of(miss) == (1013, "Webspace does not exist")
    for operation in ("get-db-users", "del-db-user"):
        miss = one(xml, "database", operation, "<filter><id>424242</id></filter>")
        assert error_of(miss) == (1013, "Database user does not exist")
    assert error_of(add_user(xml, "424242", "u")) == (1013, "Database does not exist")
    unknown = one(xml, "database", "set-db-user", "<id>424242</id><login>u</login>")
    assert error_of(unknown) == (1013, "Database user does not exist")
    no_user = one(
        xml,
        "database",
        "set-default-user",
        "<db-id>424242</db-id><default-user-id>1</default-user-id>",
    )
    assert error_of(no_user) == (1013, "Database does not exist")
    no_db = one(xml, "database", "get-default-user", "<filter><db-id>424242</db-id></filter>")
    assert error_of(no_db) == (1013, "Database does not exist")
    (empty,) = results(call(xml, "database", "get-db", "<filter/>"), "database/get-db")
    assert [c.tag for c in ok(empty)] == ["status"]


def test_requests_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    faults = {
        "add-db": ("<name>x</name><webspace-id>1</webspace-id><type>mysql</type>", "name"),
        "get-db": ("<filter><id>1</id><webspace-id>1</webspace-id></filter>", "webspace-id"),
        "del-db": ("<filter><webspace-id>1</webspace-id><id>1</id></filter>", "id"),
        # db-id is optional (Plesk 1.6.9.1), so a login first is fine; db-id after it is not
        "add-db-user": ("<login>u</login><db-id>1</db-id><password>p</password>", "db-id"),
        "get-db-users": ("<filter><id>1</id><db-id>1</db-id></filter>", "db-id"),
        "set-db-user": ("<login>u</login><id>1</id>", "login"),
        "del-db-user": ("<filter><db-id>1</db-id><id>1</id></filter>", "id"),
        "set-default-user": (
            "<default-user-id>1</default-user-id><db-id>1</db-id>",
            "default-user-id",
        ),
        "get-default-user": ("<filter><id>1</id></filter>", "id"),
    }
    for operation, (inner, element) in faults.items():
        text = order_fault(xml, "database", operation, inner)
        assert f"element '{element}' is not expected" in text, (operation, text)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_customer_cannot_reach_another_customers_databases(xml: XmlClient, world: World) -> None:
    carol, dave, rick = world.carol.key, world.dave.key, world.reseller.key
    db_id = ok(add_db(xml, world.carol_ws, "carols", key=carol)).findtext("id") or ""
    user_id = ok(add_user(xml, db_id, "carol_u", key=carol)).findtext("id") or ""
    assert error_of(add_db(xml, world.carol_ws, "daves", key=dave)) == (
        1013,
        "Webspace does not exist",
    )
    refused = {
        "get-db": f"<filter><id>{db_id}</id></filter>",
        "del-db": f"<filter><id>{db_id}</id></filter>",
        "get-db-users": f"<filter><db-id>{db_id}</db-id></filter>",
        "del-db-user": f"<filter><id>{user_id}</id></filter>",
        "add-db-user": f"<db-id>{db_id}</db-id><login>dave_u</login><password>Pw-123456</password>",
        "set-db-user": f"<id>{user_id}</id><password>Pw-taken-1</password>",
        "set-default-user": f"<db-id>{db_id}</db-id><default-user-id>{user_id}</default-user-id>",
        "get-default-user": f"<filter><db-id>{db_id}</db-id></filter>",
    }
    for operation, inner in refused.items():
        assert error_of(one(xml, "database", operation, inner, key=dave))[0] == 1013, operation
    (none_seen,) = results(call(xml, "database", "get-db", "<filter/>", dave), "database/get-db")
    assert none_seen.find("id") is None
    (resold,) = results(call(xml, "database", "get-db", "<filter/>", rick), "database/get-db")
    assert resold.findtext("name") == "carols"
    (still,) = results(
        call(xml, "database", "get-db-users", f"<filter><db-id>{db_id}</db-id></filter>"),
        "database/get-db-users",
    )
    assert still.findtext("login") == "carol_u"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_deleting_a_subscription_removes_its_mail_databases_users_and_certificates(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    ws = world.carol_ws
    db_id = ok(add_db(xml, ws, "carols")).findtext("id") or ""
    user_id = ok(add_user(xml, db_id, "carol_u")).findtext("id") or ""
    rules = f"<id>{user_id}</id><acl><host>localhost</host></acl><role>readOnly</role>"
    ok(one(xml, "database", "set-db-user", rules))
    mail = (
        f"<filter><site-id>{world.carol_site}</site-id><mailname><name>blog</name>"
        "<forwarding><address>a@b.example</address></forwarding><alias>news</alias>"
        "<autoresponder><text>Away</text></autoresponder><antivir>in</antivir>"
        "</mailname></filter>"
    )
    ok(one(xml, "mail", "create", mail))
    generated = one(
        xml,
        "certificate",
        "generate",
        "<info><bits>2048</bits><country>DE</country><state>Berlin</state><location>Berlin"
        "</location><company>Carol</company><email>c@carol.example</email>"
        "<name>carol.example</name></info>",
    )
    ok(
        one(
            xml,
            "certificate",
            "install",
            f"<name>carol</name><webspace>carol.example</webspace><content>"
            f"<csr>{generated.findtext('csr')}</csr><pvt>{generated.findtext('pvt')}</pvt>"
            "</content>",
        )
    )
    ok(add_db(xml, world.dave_ws, "daves"))  # another subscription's: it stays
    gone = results(call(xml, "webspace", "del", f"<filter><id>{ws}</id></filter>"), "webspace/del")
    assert all(r.findtext("status") == "ok" for r in gone)
    for table in (
        tables.mail_names,
        tables.mail_aliases,
        tables.mail_forwards,
        tables.db_users,
        tables.certificates,
        tables.properties,  # the autoresponder, antivir, acl and role went with them
    ):
        assert _count(panel, table) == 0, table.name
    (left,) = results(call(xml, "database", "get-db", "<filter/>"), "database/get-db")
    assert left.findtext("name") == "daves"
    users = results(call(xml, "database", "get-db-users", "<filter/>"), "database/get-db-users")
    assert [u.find("id") for u in users] == [None]
    assert error_of(one(xml, "database", "get-db", f"<filter><id>{db_id}</id></filter>"))[0] == 1013
    (pool,) = results(
        call(
            xml,
            "certificate",
            "get-pool",
            "<filter><domain-name>carol.example</domain-name></filter>",
        ),
        "certificate/get-pool",
    )
    assert error_of(pool)[0] == 1013
    info = one(xml, "mail", "get_info", f"<filter><site-id>{world.carol_site}</site-id></filter>")
    assert error_of(info) == (1013, "Site does not exist")


# -- a user of every database of a subscription (add-db-user without db-id) -------------


def add_ws_user(
    xml: XmlClient, ws: int, server: int, login: str, extra: str = "", key: str | None = None
) -> etree._Element:
    return one(
        xml,
        "database",
        "add-db-user",
        f"<webspace-id>{ws}</webspace-id><db-server-id>{server}</db-server-id><login>{login}"
        f"</login><password>Pw-{login}-123</password>{extra}",
        key,
    )


def get_users(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    return results(
        call(xml, "database", "get-db-users", f"<filter>{flt}</filter>", key),
        "database/get-db-users",
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_subscription_user_is_added_read_changed_and_deleted(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    wp_id = ok(add_db(xml, world.dave_ws, "wp")).findtext("id") or ""
    pg_id = ok(add_db(xml, world.dave_ws, "shop", "postgresql")).findtext("id") or ""
    own_id = ok(add_user(xml, wp_id, "wpuser")).findtext("id") or ""
    made = add_ws_user(
        xml, world.dave_ws, 1, "allofdave", "<acl><host>localhost</host></acl><role>readOnly</role>"
    )
    user_id = ok(made).findtext("id") or ""
    with panel.db.read() as conn:
        u = tables.db_users
        row = conn.execute(
            sa.select(u.c.database_id, u.c.domain_id, u.c.server_id, u.c.password_hash).where(
                u.c.id == int(user_id)
            )
        ).one()
    assert tuple(row[:3]) == (None, world.dave_ws, 1) and row[3].startswith("$argon2")
    # answered without db-id (it has none), by id and with every user seen
    (got,) = get_users(xml, f"<id>{user_id}</id>")
    assert [c.tag for c in got] == ["status", "filter-id", "id", "login", "acl", "role"]
    assert (got.findtext("login"), got.findtext("acl/host")) == ("allofdave", "localhost")
    every = get_users(xml, "")
    assert [(u.findtext("id"), u.findtext("db-id")) for u in every] == [
        (own_id, wp_id),
        (user_id, None),
    ]
    # a database's own users only under db-id
    assert [u.findtext("id") for u in get_users(xml, f"<db-id>{wp_id}</db-id>")] == [own_id]
    # logins stay unique per server: taken on MySQL, free on PostgreSQL
    assert error_of(add_user(xml, wp_id, "allofdave"))[0] == 1007
    assert error_of(add_ws_user(xml, world.carol_ws, 1, "wpuser"))[0] == 1007
    ok(add_ws_user(xml, world.dave_ws, 2, "allofdave"))
    # changed like any other user
    change = f"<id>{user_id}</id><login>dave_all</login><password>N3w-pass</password>"
    ok(one(xml, "database", "set-db-user", change + "<role>readWrite</role>"))
    (got,) = get_users(xml, f"<id>{user_id}</id>")
    assert (got.findtext("login"), got.findtext("role")) == ("dave_all", "readWrite")
    # the default user of a database of its subscription on its server, not of another
    default = f"<db-id>{wp_id}</db-id><default-user-id>{user_id}</default-user-id>"
    ok(one(xml, "database", "set-default-user", default))
    answer = one(xml, "database", "get-default-user", f"<filter><db-id>{wp_id}</db-id></filter>")
    assert answer.findtext("id") == user_id
    elsewhere = f"<db-id>{pg_id}</db-id><default-user-id>{user_id}</default-user-id>"
    assert error_of(one(xml, "database", "set-default-user", elsewhere))[0] == 1019
    # a database going leaves it; deleting it clears the default and its rules
    ok(one(xml, "database", "del-db", f"<filter><id>{pg_id}</id></filter>"))
    assert get_users(xml, f"<id>{user_id}</id>")[0].findtext("login") == "dave_all"
    gone = one(xml, "database", "del-db-user", f"<filter><id>{user_id}</id></filter>")
    assert ok(gone).findtext("id") == user_id
    assert error_of(get_users(xml, f"<id>{user_id}</id>")[0])[0] == 1013
    answer = one(xml, "database", "get-default-user", f"<filter><db-id>{wp_id}</db-id></filter>")
    assert ok(answer).find("id") is None
    p = tables.properties
    with panel.db.read() as conn:
        left = conn.execute(
            sa.select(sa.func.count()).where(p.c.kind == "db_user", p.c.object_id == int(user_id))
        ).scalar()
    assert left == 0
    actions = [e.action for e in panel.events.list() if e.obj_id == int(user_id)]
    assert "database_user_create" in actions and "database_user_delete" in actions


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_subscription_user_needs_its_subscription_and_server(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    ws = world.dave_ws
    before = _count(panel, tables.db_users)
    asked = {
        # neither db-id nor webspace-id: nowhere to make it
        "<db-server-id>1</db-server-id>": 1019,
        f"<webspace-id>{ws}</webspace-id>": 1019,
        "": 1019,
        "<webspace-id>999999</webspace-id><db-server-id>1</db-server-id>": 1013,
        f"<webspace-id>{world.carol_site}</webspace-id><db-server-id>1</db-server-id>": 1013,
        f"<webspace-id>{ws}</webspace-id><db-server-id>99</db-server-id>": 1013,
    }
    for head, code in asked.items():
        inner = f"{head}<login>nowhere</login><password>Pw-nowhere-1</password>"
        assert error_of(one(xml, "database", "add-db-user", inner))[0] == code, head
    bad = add_ws_user(xml, ws, 1, "bad login!")
    assert error_of(bad)[0] == 1019
    assert error_of(add_ws_user(xml, ws, 1, "ok_login", "<role>owner</role>"))[0] == 1019
    assert _count(panel, tables.db_users) == before


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_subscription_user_is_its_subscriptions_rights(xml: XmlClient, world: World) -> None:
    carol, dave, rick = world.carol.key, world.dave.key, world.reseller.key
    made = add_ws_user(xml, world.carol_ws, 1, "carol_all", key=carol)
    user_id = ok(made).findtext("id") or ""
    assert error_of(add_ws_user(xml, world.carol_ws, 1, "dave_try", key=dave)) == (
        1013,
        "Webspace does not exist",
    )
    for operation, inner in {
        "get-db-users": f"<filter><id>{user_id}</id></filter>",
        "del-db-user": f"<filter><id>{user_id}</id></filter>",
        "set-db-user": f"<id>{user_id}</id><password>Pw-taken-1</password>",
    }.items():
        assert error_of(one(xml, "database", operation, inner, key=dave))[0] == 1013, operation
    assert get_users(xml, "", dave)[0].find("id") is None
    assert [u.findtext("login") for u in get_users(xml, "", rick)] == ["carol_all"]
    assert [u.findtext("login") for u in get_users(xml, "", carol)] == ["carol_all"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_subscription_user_goes_with_its_subscription(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    rules = "<acl><host>localhost</host></acl><role>readOnly</role>"
    carols = ok(add_ws_user(xml, world.carol_ws, 1, "carol_all", rules)).findtext("id")
    daves = ok(add_ws_user(xml, world.dave_ws, 1, "dave_all", rules)).findtext("id") or ""
    assert _count(panel, tables.properties) == 4
    gone = results(
        call(xml, "webspace", "del", f"<filter><id>{world.carol_ws}</id></filter>"),
        "webspace/del",
    )
    assert all(r.findtext("status") == "ok" for r in gone)
    assert [u.findtext("id") for u in get_users(xml, "")] == [daves]
    assert error_of(get_users(xml, f"<id>{carols}</id>")[0])[0] == 1013
    p = tables.properties
    with panel.db.read() as conn:
        kept = conn.execute(sa.select(p.c.object_id).where(p.c.kind == "db_user")).scalars()
        assert set(kept) == {int(daves)}
    assert _count(panel, tables.db_users) == 1


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_moved_database_is_its_new_subscriptions(xml: XmlClient, world: World) -> None:
    db = add_db(xml, world.carol_ws, "shop").findtext("id")
    user = one(xml, "database", "add-db-user", f"<db-id>{db}</db-id><login>shopper</login>"
               "<password>Shop-secret-9</password>")  # fmt: skip
    assert user.findtext("status") == "ok"
    moved = one(
        xml, "database", "assign-to-subscription", f"<filter><id>{db}</id></filter>"
        f"<webspace-id>{world.dave_ws}</webspace-id>",
    )  # fmt: skip
    assert [(c.tag, c.text) for c in moved] == [("status", "ok"), ("filter-id", db), ("id", db)]
    flt = f"<filter><id>{db}</id></filter>"
    got = one(xml, "database", "get-db", flt)
    assert got.findtext("webspace-id") == str(world.dave_ws)
    # carol no longer sees it, dave does, with its user
    assert error_of(one(xml, "database", "get-db", flt, world.carol.key)) == (
        1013,
        "Database does not exist",
    )
    mine = one(xml, "database", "get-db", flt, world.dave.key)
    assert mine.findtext("name") == "shop"
    users = one(
        xml, "database", "get-db-users", f"<filter><db-id>{db}</db-id></filter>", world.dave.key
    )
    assert users.findtext("login") == "shopper"
    # a subscription the caller does not see
    refused = one(
        xml, "database", "assign-to-subscription", f"{flt}"
        f"<webspace-id>{world.carol_ws}</webspace-id>", world.dave.key,
    )  # fmt: skip
    assert error_of(refused) == (1013, "Webspace does not exist")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_get_db_answers_the_custom_host(xml: XmlClient, world: World) -> None:
    db = add_db(xml, world.carol_ws, "shop").findtext("id")
    flt = f"<filter><id>{db}</id></filter>"
    assert one(xml, "database", "get-db", flt).find("custom-host") is None
    done = one(
        xml, "database", "set-custom-host", flt + "<custom-host>DB.Carol.example</custom-host>"
    )
    assert done.findtext("status") == "ok"
    got = one(xml, "database", "get-db", flt, world.carol.key)
    assert [c.tag for c in got][-2:] == ["default-user-id", "custom-host"]
    assert got.findtext("custom-host") == "db.carol.example"
    bad = one(xml, "database", "set-custom-host", flt + "<custom-host>not a host</custom-host>")
    assert error_of(bad)[0] == 1019
    one(xml, "database", "set-custom-host", flt + "<custom-host></custom-host>")
    assert one(xml, "database", "get-db", flt).find("custom-host") is None


# -- every operation: the table's rows (operation_table.py) -------------------------------


SHOPDB = (
    "<database><add-db><webspace-id>{carol_ws}</webspace-id><name>shopdb</name><type>mysql</type>"
    "</add-db></database>"
)
SHOPUSER = (
    "<database><add-db-user><db-id>{made1}</db-id><login>shopuser</login>"
    "<password>Pw-shop-123</password></add-db-user></database>"
)
NO_DB, NO_USER = "Database does not exist", "Database user does not exist"
CASES = [
    Case(
        "database",
        "add-db",
        "<webspace-id>{carol_ws}</webspace-id><name>shopdb</name><type>mysql</type>",
        "<add-db><name>shopdb</name><webspace-id>{carol_ws}</webspace-id><type>mysql</type>"
        "</add-db>",
        "name",
        "<webspace-id>999999</webspace-id><name>shopdb</name><type>mysql</type>",
        "Webspace does not exist",
        "dave",
        1013,
    ),
    Case(
        "database",
        "get-db",
        "<filter><id>{made}</id></filter>",
        "<get-db><filter><id>{made}</id><webspace-id>{carol_ws}</webspace-id></filter></get-db>",
        "webspace-id",
        "<filter><id>424242</id></filter>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
    Case(
        "database",
        "del-db",
        "<filter><id>{made}</id></filter>",
        "<del-db><filter><webspace-id>{carol_ws}</webspace-id><id>{made}</id></filter></del-db>",
        "id",
        "<filter><id>424242</id></filter>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
    Case(
        "database",
        "add-db-user",
        "<db-id>{made}</db-id><login>shopuser</login><password>Pw-shop-123</password>",
        "<add-db-user><login>shopuser</login><db-id>{made}</db-id><password>Pw-shop-123"
        "</password></add-db-user>",
        "db-id",
        "<db-id>424242</db-id><login>shopuser</login><password>Pw-shop-123</password>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
    Case(
        "database",
        "get-db-users",
        "<filter><id>{made}</id></filter>",
        "<get-db-users><filter><id>{made}</id><db-id>{made1}</db-id></filter></get-db-users>",
        "db-id",
        "<filter><id>424242</id></filter>",
        NO_USER,
        "dave",
        1013,
        before=SHOPDB + SHOPUSER,
    ),
    Case(
        "database",
        "set-db-user",
        "<id>{made}</id><login>shopuser2</login>",
        "<set-db-user><login>shopuser2</login><id>{made}</id></set-db-user>",
        "login",
        "<id>424242</id><login>shopuser2</login>",
        NO_USER,
        "dave",
        1013,
        before=SHOPDB + SHOPUSER,
    ),
    Case(
        "database",
        "del-db-user",
        "<filter><id>{made}</id></filter>",
        "<del-db-user><filter><db-id>{made1}</db-id><id>{made}</id></filter></del-db-user>",
        "id",
        "<filter><id>424242</id></filter>",
        NO_USER,
        "dave",
        1013,
        before=SHOPDB + SHOPUSER,
    ),
    Case(
        "database",
        "set-default-user",
        "<db-id>{made1}</db-id><default-user-id>{made2}</default-user-id>",
        "<set-default-user><default-user-id>{made2}</default-user-id><db-id>{made1}</db-id>"
        "</set-default-user>",
        "default-user-id",
        "<db-id>424242</db-id><default-user-id>{made2}</default-user-id>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB + SHOPUSER,
    ),
    Case(
        "database",
        "get-default-user",
        "<filter><db-id>{made}</db-id></filter>",
        "<get-default-user><filter><id>{made}</id></filter></get-default-user>",
        "id",
        "<filter><db-id>424242</db-id></filter>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
    Case(
        "database",
        "assign-to-subscription",
        "<filter><id>{made}</id></filter><webspace-id>{dave_ws}</webspace-id>",
        "<assign-to-subscription><webspace-id>{dave_ws}</webspace-id>"
        "<filter><id>{made}</id></filter></assign-to-subscription>",
        "webspace-id",
        "<filter><id>424242</id></filter><webspace-id>{dave_ws}</webspace-id>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
    Case(
        "database",
        "set-custom-host",
        "<filter><id>{made}</id></filter><custom-host>db.carol.example</custom-host>",
        "<set-custom-host><custom-host>db.carol.example</custom-host>"
        "<filter><id>{made}</id></filter></set-custom-host>",
        "custom-host",
        "<filter><id>424242</id></filter><custom-host>db.carol.example</custom-host>",
        NO_DB,
        "dave",
        1013,
        before=SHOPDB,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
