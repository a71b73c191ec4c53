"""Operator db_server: the local MySQL and PostgreSQL servers made at first start, per
operation: the happy path, the order fault, the unknown object, the caller without
rights (details are the admin's; defaults and types are anyone's); and the writes: a
server added, changed, made the default, and kept while it holds databases."""

from __future__ import annotations

import pytest
from lxml import etree

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


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    return results(call(xml, "db_server", "get", f"<filter>{flt}</filter>", key), "db_server/get")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_the_two_local_servers_are_there_from_the_first_start(xml: XmlClient) -> None:
    mysql, pg = _get(xml, "")
    assert [c.tag for c in ok(mysql)] == ["status", "id", "data"]
    assert [c.tag for c in mysql.find("data")] == [  # type: ignore[union-attr]
        "host", "port", "type", "admin", "status", "db_num", "default", "local",
    ]  # fmt: skip
    assert (mysql.findtext("id"), mysql.findtext("data/type"), mysql.findtext("data/port")) == (
        "1",
        "mysql",
        "3306",
    )
    assert (pg.findtext("id"), pg.findtext("data/type"), pg.findtext("data/port")) == (
        "2",
        "postgresql",
        "5432",
    )
    assert mysql.findtext("data/host") == "localhost"
    assert mysql.findtext("data/default") == pg.findtext("data/local") == "true"
    (only,) = _get(xml, "<id>2</id>")
    assert ok(only).findtext("data/type") == "postgresql"


def test_db_num_counts_the_databases_on_a_server(xml: XmlClient, world: World) -> None:
    ok(
        one(
            xml,
            "database",
            "add-db",
            f"<webspace-id>{world.dave_ws}</webspace-id><name>a</name><type>mysql</type>",
        )
    )
    (mysql,) = _get(xml, "<id>1</id>")
    assert mysql.findtext("data/db_num") == "1"


def test_supported_types_default_and_local(xml: XmlClient, world: World) -> None:
    for key in (None, world.dave.key, world.reseller.key):
        types = one(xml, "db_server", "get-supported-types", "", key)
        assert [t.text for t in ok(types).findall("type")] == ["mysql", "postgresql"]
        for operation in ("get-default", "get-local"):
            found = results(
                call(xml, "db_server", operation, "<filter/>", key), f"db_server/{operation}"
            )
            assert [(r.findtext("type"), r.findtext("id")) for r in map(ok, found)] == [
                ("mysql", "1"),
                ("postgresql", "2"),
            ]
            assert [c.tag for c in found[0]] == ["status", "type", "id"]
    one_type = one(xml, "db_server", "get-default", "<filter><type>postgresql</type></filter>")
    assert ok(one_type).findtext("id") == "2"


def test_unknown_servers_and_types(xml: XmlClient) -> None:
    (miss,) = _get(xml, "<id>77</id>")
    assert error_of(miss) == (1013, "Database server does not exist")
    assert miss.findtext("id") == "77"
    for operation in ("get-default", "get-local"):
        bad = one(xml, "db_server", operation, "<filter><type>oracle</type></filter>")
        assert error_of(bad)[0] == 1019
        assert bad.findtext("type") == "oracle"


def test_requests_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    faults = {
        "get": ("<filter><type>mysql</type></filter>", "element 'type' is not expected"),
        "get-supported-types": ("<filter/>", "element 'get-supported-types': element content"),
        "get-default": ("<filter><id>1</id></filter>", "element 'id' is not expected"),
        "get-local": ("<type>mysql</type><filter/>", "element 'type' is not expected"),
    }
    for operation, (inner, expected) in faults.items():
        text = order_fault(xml, "db_server", operation, inner)
        assert expected in text, (operation, text)


def test_server_details_are_the_administrators(xml: XmlClient, world: World) -> None:
    for key in (world.dave.key, world.carol.key, world.reseller.key):
        (refused,) = _get(xml, "", key)
        assert error_of(refused)[0] == 1006


REMOTE = (
    "<host>db1.example.net</host><port>3306</port><type>mysql</type>"
    "<admin>root</admin><password>Remote-secret-1</password>"
)
SET = "<host>db2.example.net</host><port>3307</port><admin>dba</admin>"


def _default(xml: XmlClient, kind: str) -> str | None:
    return one(xml, "db_server", "get-default", f"<filter><type>{kind}</type></filter>").findtext(
        "id"
    )


def _data(xml: XmlClient, server: str | None) -> etree._Element:
    data = one(xml, "db_server", "get", f"<filter><id>{server}</id></filter>").find("data")
    assert data is not None
    return data


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_add_set_default_and_delete(xml: XmlClient, world: World) -> None:
    """A server added is seen by get, made the type's default (get-default shows it),
    takes databases, and cannot be removed while it holds one or is the default."""
    local = _default(xml, "mysql")
    made = one(xml, "db_server", "add", REMOTE)
    assert [c.tag for c in made] == ["status", "id"]
    server = made.findtext("id")
    data = _data(xml, server)
    assert (data.findtext("host"), data.findtext("port"), data.findtext("admin")) == (
        "db1.example.net",
        "3306",
        "root",
    )
    assert data.findtext("default") == "false" and data.findtext("local") == "false"
    assert b"Remote-secret-1" not in etree.tostring(data)
    # the same host and port twice is refused
    assert error_of(one(xml, "db_server", "add", REMOTE))[0] == 1023
    assert one(xml, "db_server", "set", f"{SET}<id>{server}</id>").findtext("status") == "ok"
    assert _data(xml, server).findtext("host") == "db2.example.net"
    # made the default: get-default shows it, and a database lands on it
    assert one(xml, "db_server", "set-default", f"<id>{server}</id>").findtext("status") == "ok"
    assert _default(xml, "mysql") == server
    added = ok(
        one(
            xml,
            "database",
            "add-db",
            f"<webspace-id>{world.carol_ws}</webspace-id><name>shop</name><type>mysql</type>",
        )
    )
    # the default cannot be removed; back to the local server, still not: a database
    assert error_of(one(xml, "db_server", "del", f"<id>{server}</id>"))[0] == 1023
    assert one(xml, "db_server", "set-default", "<type>mysql</type>").findtext("id") == local
    refused = one(xml, "db_server", "del", f"<id>{server}</id>")
    assert error_of(refused) == (1023, "The database server cannot be removed: it has databases.")
    gone = f"<filter><id>{added.findtext('id')}</id></filter>"
    ok(one(xml, "database", "del-db", gone))
    assert one(xml, "db_server", "del", f"<id>{server}</id>").findtext("status") == "ok"
    assert error_of(one(xml, "db_server", "get", f"<filter><id>{server}</id></filter>"))[0] == 1013
    # a local server is never removed
    assert error_of(one(xml, "db_server", "del", f"<id>{local}</id>"))[0] == 1023


# -- every operation: the table's rows (operation_table.py) -------------------------------


ADD = f"<db_server><add>{REMOTE}</add></db_server>"
CASES = [
    Case(
        "db_server",
        "get",
        "<filter><id>1</id></filter>",
        "<get><filter><type>mysql</type></filter></get>",
        "type",
        "<filter><id>77</id></filter>",
        "Database server does not exist",
        "carol",
    ),
    Case(
        "db_server",
        "get-supported-types",
        "",
        "<get-supported-types><filter/></get-supported-types>",
        "get-supported-types",
        None,
        "",
        None,
    ),
    *(
        Case(
            "db_server",
            operation,
            "<filter><type>mysql</type></filter>",
            f"<{operation}><type>mysql</type><filter/></{operation}>",
            "type",
            None,
            "",
            None,
        )
        for operation in ("get-default", "get-local")
    ),
    Case(
        "db_server",
        "add",
        REMOTE,
        "<add><port>3306</port><host>db1.example.net</host>"
        "<type>mysql</type><admin>root</admin></add>",
        "port",
        None,
        "",
        "rick",
    ),
    Case(
        "db_server",
        "set",
        SET + "<id>{made}</id>",
        "<set><id>{made}</id>" + SET + "</set>",
        "id",
        SET + "<id>99999</id>",
        "Database server does not exist",
        "carol",
        before=ADD,
    ),
    Case(
        "db_server",
        "del",
        "<id>{made}</id>",
        "<del><id>{made}</id><id>{made}</id></del>",
        "id",
        "<id>99999</id>",
        "Database server does not exist",
        "rick",
        before=ADD,
    ),
    Case(
        "db_server",
        "set-default",
        "<id>{made}</id>",
        "<set-default><id>{made}</id><type>mysql</type></set-default>",
        "type",
        "<id>99999</id>",
        "Database server does not exist",
        "dave",
        before=ADD,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
