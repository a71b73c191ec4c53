"""Operator database, beyond add/get/del: assign-to-subscription and set-custom-host
(a row each, from tests/functional/xml/rows.py); a moved database is its new
subscription's (get-db, who sees it), and get-db answers the custom host set."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

ADD = (
    "<database><add-db><webspace-id>{carol_ws}</webspace-id><name>shop</name>"
    "<type>mysql</type></add-db></database>"
)
DB = "<filter><id>{b0}</id></filter>"
MISSING = "<filter><id>99999</id></filter>"

CASES = [
    Case(
        "database",
        "assign-to-subscription",
        DB + "<webspace-id>{dave_ws}</webspace-id>",
        "<assign-to-subscription><webspace-id>{dave_ws}</webspace-id>"
        + DB
        + "</assign-to-subscription>",
        "webspace-id",
        MISSING + "<webspace-id>{dave_ws}</webspace-id>",
        "Database does not exist",
        "dave",
        denied=1013,
        before=ADD,
    ),
    Case(
        "database",
        "set-custom-host",
        DB + "<custom-host>db.carol.example</custom-host>",
        "<set-custom-host><custom-host>db.carol.example</custom-host>" + DB + "</set-custom-host>",
        "custom-host",
        MISSING + "<custom-host>db.carol.example</custom-host>",
        "Database does not exist",
        "dave",
        denied=1013,
        before=ADD,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def _call(xml: XmlClient, operation: str, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<database><{operation}>{inner}</{operation}></database>", key=key)
    (found,) = results(root, f"database/{operation}")
    return found


def _add(xml: XmlClient, world: World) -> str:
    (made,) = ok(xml.call(ADD.format(carol_ws=world.carol_ws)), "database/add-db")
    return made.findtext("id") or ""


def test_a_moved_database_is_its_new_subscriptions(xml: XmlClient, world: World) -> None:
    db = _add(xml, world)
    user = _call(xml, "add-db-user", f"<db-id>{db}</db-id><login>shopper</login>"
                 "<password>Shop-secret-9</password>")  # fmt: skip
    assert user.findtext("status") == "ok"
    moved = _call(
        xml, "assign-to-subscription", f"<filter><id>{db}</id></filter>"
        f"<webspace-id>{world.dave_ws}</webspace-id>",
    )  # fmt: skip
    assert [(c.tag, c.text) for c in moved] == [("status", "ok"), ("filter-id", db), ("id", db)]
    got = _call(xml, "get-db", f"<filter><id>{db}</id></filter>")
    assert got.findtext("webspace-id") == str(world.dave_ws)
    # carol no longer sees it, dave does, with its user
    assert error_of(_call(xml, "get-db", f"<filter><id>{db}</id></filter>", world.carol.key)) == (
        1013,
        "Database does not exist",
    )
    mine = _call(xml, "get-db", f"<filter><id>{db}</id></filter>", world.dave.key)
    assert mine.findtext("name") == "shop"
    users = _call(xml, "get-db-users", f"<filter><db-id>{db}</db-id></filter>", world.dave.key)
    assert users.findtext("login") == "shopper"
    # a subscription the caller does not see
    refused = _call(
        xml, "assign-to-subscription", f"<filter><id>{db}</id></filter>"
        f"<webspace-id>{world.carol_ws}</webspace-id>", world.dave.key,
    )  # fmt: skip
    assert error_of(refused) == (1013, "Webspace does not exist")


def test_get_db_answers_the_custom_host(xml: XmlClient, world: World) -> None:
    db = _add(xml, world)
    flt = f"<filter><id>{db}</id></filter>"
    assert _call(xml, "get-db", flt).find("custom-host") is None
    done = _call(xml, "set-custom-host", flt + "<custom-host>DB.Carol.example</custom-host>")
    assert done.findtext("status") == "ok"
    got = _call(xml, "get-db", flt, world.carol.key)
    assert [c.tag for c in got][-2:] == ["default-user-id", "custom-host"]
    assert got.findtext("custom-host") == "db.carol.example"
    bad = _call(xml, "set-custom-host", flt + "<custom-host>not a host</custom-host>")
    assert error_of(bad)[0] == 1019
    _call(xml, "set-custom-host", flt + "<custom-host></custom-host>")
    assert _call(xml, "get-db", flt).find("custom-host") is None
