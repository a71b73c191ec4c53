"""Operator db_server: the local MySQL and PostgreSQL servers made at first start, per
operation: the happy path, the order fault, the unknown object, the caller without
rights (details are the admin's; defaults and types are anyone's)."""

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


# -- every operation: the table's rows (operation_table.py) -------------------------------


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
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
