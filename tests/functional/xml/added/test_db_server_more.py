"""Operator db_server, the writes: add, set, del, set-default (a row each, from
tests/functional/xml/rows.py), and the flow: a server added is seen by get, made the
type's default (get-default shows it), takes databases, and cannot be removed while
it holds one or is the default."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

REMOTE = (
    "<host>db1.example.net</host><port>3306</port><type>mysql</type>"
    "<admin>root</admin><password>Remote-secret-1</password>"
)
ADD = f"<db_server><add>{REMOTE}</add></db_server>"
SET = "<host>db2.example.net</host><port>3307</port><admin>dba</admin>"

CASES = [
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
        SET + "<id>{b0}</id>",
        "<set><id>{b0}</id>" + SET + "</set>",
        "id",
        SET + "<id>99999</id>",
        "Database server does not exist",
        "carol",
        before=ADD,
    ),
    Case(
        "db_server",
        "del",
        "<id>{b0}</id>",
        "<del><id>{b0}</id><id>{b0}</id></del>",
        "id",
        "<id>99999</id>",
        "Database server does not exist",
        "rick",
        before=ADD,
    ),
    Case(
        "db_server",
        "set-default",
        "<id>{b0}</id>",
        "<set-default><id>{b0}</id><type>mysql</type></set-default>",
        "type",
        "<id>99999</id>",
        "Database server does not exist",
        "dave",
        before=ADD,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def _one(xml: XmlClient, operation: str, inner: str) -> etree._Element:
    root = xml.call(f"<db_server><{operation}>{inner}</{operation}></db_server>")
    (found,) = results(root, f"db_server/{operation}")
    return found


def _default(xml: XmlClient, kind: str) -> str | None:
    return _one(xml, "get-default", f"<filter><type>{kind}</type></filter>").findtext("id")


def test_add_set_default_and_delete(xml: XmlClient, world: World) -> None:
    local = _default(xml, "mysql")
    made = _one(xml, "add", REMOTE)
    assert [c.tag for c in made] == ["status", "id"]
    server = made.findtext("id")
    data = _one(xml, "get", f"<filter><id>{server}</id></filter>").find("data")
    assert data is not None
    assert (data.findtext("host"), data.findtext("port"), data.findtext("admin")) == (
        "db1.example.net",
        "3306",
        "root",
    )
    assert data.findtext("default") == "false" and data.findtext("local") == "false"
    assert b"Remote-secret-1" not in etree.tostring(data)
    # the same host and port twice is refused
    assert error_of(_one(xml, "add", REMOTE))[0] == 1023
    ok_set = _one(xml, "set", f"{SET}<id>{server}</id>")
    assert ok_set.findtext("status") == "ok"
    data = _one(xml, "get", f"<filter><id>{server}</id></filter>").find("data")
    assert data is not None and data.findtext("host") == "db2.example.net"
    # made the default: get-default shows it, and a database lands on it
    assert _one(xml, "set-default", f"<id>{server}</id>").findtext("status") == "ok"
    assert _default(xml, "mysql") == server
    root = xml.call(
        f"<database><add-db><webspace-id>{world.carol_ws}</webspace-id>"
        "<name>shop</name><type>mysql</type></add-db></database>"
    )
    (added,) = ok(root, "database/add-db")
    # the default cannot be removed; back to the local server, still not: a database
    assert error_of(_one(xml, "del", f"<id>{server}</id>"))[0] == 1023
    assert _one(xml, "set-default", "<type>mysql</type>").findtext("id") == local
    refused = _one(xml, "del", f"<id>{server}</id>")
    assert error_of(refused) == (1023, "The database server cannot be removed: it has databases.")
    gone = f"<filter><id>{added.findtext('id')}</id></filter>"
    ok(xml.call(f"<database><del-db>{gone}</del-db></database>"), "database/del-db")
    assert _one(xml, "del", f"<id>{server}</id>").findtext("status") == "ok"
    assert error_of(_one(xml, "get", f"<filter><id>{server}</id></filter>"))[0] == 1013
    # a local server is never removed
    assert error_of(_one(xml, "del", f"<id>{local}</id>"))[0] == 1023
