"""Operator ftp-user: add, get, set, del; the order fault, the unknown object and the
caller without rights for each; the password kept only as a digest."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.core.access.passwords import check_password
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, fault, one, results

NOT_FOUND = (1013, "FTP user does not exist")
SECRET = "Ftp-secret-42"


def _add(
    xml: XmlClient, name: str, webspace: str, middle: str = "", key: str | None = None
) -> etree._Element:
    return one(
        xml,
        "ftp-user",
        "add",
        f"<name>{name}</name><password>{SECRET}</password><home>/httpdocs/{name}</home>"
        f"{middle}{webspace}",
        key=key,
    )


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    return results(
        xml.call(f"<ftp-user><get><filter>{flt}</filter></get></ftp-user>", key=key), "ftp-user/get"
    )


def _digest(panel: Panel, name: str) -> str:
    with panel.db.read() as conn:
        return str(
            conn.execute(
                sa.select(tables.ftp_users.c.password_hash).where(tables.ftp_users.c.name == name)
            ).scalar()
        )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_ftp_user_add_then_get_answers_plesks_fields_never_the_password(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    made = _add(
        xml,
        "carolup",
        f"<webspace-id>{world.carol_ws}</webspace-id>",
        "<create-non-existent>true</create-non-existent><quota>1048576</quota>"
        "<permissions><read>true</read><write>true</write></permissions>",
        key=world.carol.key,
    )
    assert [c.tag for c in made] == ["status", "id"], etree.tostring(made)
    user_id = made.findtext("id")
    for flt in (
        f"<id>{user_id}</id>",
        "<name>carolup</name>",
        f"<webspace-id>{world.carol_ws}</webspace-id>",
        "<webspace-name>carol.example</webspace-name>",
    ):
        (got,) = _get(xml, flt, key=world.carol.key)
        assert [c.tag for c in got] == [
            "status",
            "filter-id",
            "id",
            "name",
            "home",
            "quota",
            "permissions",
            "webspace-id",
        ]
        assert got.findtext("home") == "/httpdocs/carolup"
        assert got.findtext("quota") == "1048576"
        assert (
            got.findtext("permissions/read") == "true"
            and got.findtext("permissions/write") == "true"
        )
        assert got.findtext("webspace-id") == str(world.carol_ws)
        assert SECRET not in etree.tostring(got).decode()
    digest = _digest(panel, "carolup")
    assert SECRET not in digest and check_password(digest, SECRET)
    events = panel.events.list(obj_class="ftpuser")
    assert [e.action for e in events] == ["ftpuser_create"]
    assert SECRET not in str(events)


def test_ftp_user_add_refuses_taken_logins_bad_values_and_writes_nothing(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    ws = f"<webspace-id>{world.carol_ws}</webspace-id>"
    assert _add(xml, "first", ws).findtext("status") == "ok"
    assert error_of(_add(xml, "first", f"<webspace-id>{world.dave_ws}</webspace-id>"))[0] == 1007
    assert error_of(_add(xml, "carolftp", ws))[0] == 1007  # the subscription's own system user
    assert error_of(_add(xml, "bad name", ws))[0] == 1019
    assert error_of(_add(xml, "q", ws, "<quota>-5</quota>"))[0] == 1019
    assert error_of(_add(xml, "p", ws, "<permissions><read>maybe</read></permissions>"))[0] == 1019
    bad_home = one(
        xml, "ftp-user", "add", f"<name>h</name><password>x1</password><home>/../etc</home>{ws}"
    )
    assert error_of(bad_home)[0] == 1019
    empty_password = one(xml, "ftp-user", "add", f"<name>e</name><password/><home/>{ws}")
    assert error_of(empty_password)[0] == 1019
    assert [u.name for u in panel.ftp_users.list(factories.admin(panel))] == ["first"]


def test_ftp_user_add_order_fault_and_unknown_or_anothers_webspace(
    xml: XmlClient, world: World
) -> None:
    code, text = fault(
        xml,
        f"<ftp-user><add><name>x</name><home>/</home><password>p</password><webspace-id>{world.carol_ws}</webspace-id></add></ftp-user>",
    )
    assert code == 1014 and "'home'" in text
    assert error_of(_add(xml, "x", "<webspace-id>999</webspace-id>")) == (
        1013,
        "Webspace does not exist",
    )
    assert error_of(
        _add(xml, "x", "<webspace-name>dave.example</webspace-name>", key=world.carol.key)
    ) == (
        1013,
        "Webspace does not exist",
    )
    # a site is not a webspace
    assert error_of(_add(xml, "x", f"<webspace-id>{world.carol_site}</webspace-id>"))[0] == 1013
    assert (
        _add(
            xml, "ricks", f"<webspace-id>{world.carol_ws}</webspace-id>", key=world.reseller.key
        ).findtext("status")
        == "ok"
    )


def test_ftp_user_get_unknown_and_anothers_answer_1013(xml: XmlClient, world: World) -> None:
    user_id = _add(xml, "daves", f"<webspace-id>{world.dave_ws}</webspace-id>").findtext("id")
    (miss,) = _get(xml, "<id>999</id>")
    assert error_of(miss) == NOT_FOUND and miss.findtext("id") == "999"
    (theirs,) = _get(xml, "<name>daves</name>", key=world.carol.key)
    assert error_of(theirs) == NOT_FOUND
    assert all(r.findtext("id") != user_id for r in _get(xml, "", key=world.carol.key))
    (empty,) = _get(xml, f"<webspace-id>{world.carol_ws}</webspace-id>", key=world.carol.key)
    assert [c.tag for c in empty] == [
        "status",
        "filter-id",
    ]  # Plesk's answer for a webspace without any
    code, text = fault(xml, "<ftp-user><get><filter><login>x</login></filter></get></ftp-user>")
    assert code == 1014 and "'login'" in text


def test_ftp_user_set_changes_values_and_the_password_digest(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    user_id = _add(xml, "carolup", f"<webspace-id>{world.carol_ws}</webspace-id>").findtext("id")
    before = _digest(panel, "carolup")
    done = one(
        xml,
        "ftp-user",
        "set",
        f"<filter><id>{user_id}</id></filter><values><name>carolnew</name><password>New-pass-1</password>"
        "<home>/private</home><quota>-1</quota><permissions><write>true</write></permissions></values>",
        key=world.carol.key,
    )
    assert [c.tag for c in done] == ["status", "filter-id", "id"], etree.tostring(done)
    (got,) = _get(xml, f"<id>{user_id}</id>")
    assert got.findtext("name") == "carolnew" and got.findtext("home") == "/private"
    assert got.findtext("permissions/write") == "true" and got.findtext("quota") == "-1"
    after = _digest(panel, "carolnew")
    assert after != before and check_password(after, "New-pass-1")
    bad = one(
        xml,
        "ftp-user",
        "set",
        f"<filter><id>{user_id}</id></filter><values><quota>lots</quota></values>",
    )
    assert error_of(bad)[0] == 1019
    assert (
        error_of(one(xml, "ftp-user", "set", "<filter><id>999</id></filter><values/>")) == NOT_FOUND
    )
    theirs = one(
        xml,
        "ftp-user",
        "set",
        f"<filter><id>{user_id}</id></filter><values><home>/x</home></values>",
        key=world.dave.key,
    )
    assert error_of(theirs) == NOT_FOUND
    code, text = fault(
        xml,
        f"<ftp-user><set><filter><id>{user_id}</id></filter><values><home>/a</home><name>b</name></values></set></ftp-user>",
    )
    assert code == 1014 and "'name'" in text


def test_ftp_user_del_removes_it_and_refuses_anothers(xml: XmlClient, world: World) -> None:
    user_id = _add(xml, "carolup", f"<webspace-id>{world.carol_ws}</webspace-id>").findtext("id")
    theirs = one(xml, "ftp-user", "del", f"<filter><id>{user_id}</id></filter>", key=world.dave.key)
    assert error_of(theirs) == NOT_FOUND
    gone = one(xml, "ftp-user", "del", "<filter><name>carolup</name></filter>", key=world.carol.key)
    assert [c.tag for c in gone] == ["status", "filter-id", "id"] and gone.findtext("id") == user_id
    assert (
        error_of(one(xml, "ftp-user", "del", f"<filter><id>{user_id}</id></filter>")) == NOT_FOUND
    )
    code, text = fault(xml, "<ftp-user><del><filter/><filter/></del></ftp-user>")
    assert code == 1014 and "'filter'" in text


# -- every operation: the table's rows (operation_table.py) -------------------------------


CAROLUP = (
    f"<ftp-user><add><name>carolup</name><password>{SECRET}</password>"
    "<webspace-id>{carol_ws}</webspace-id></add></ftp-user>"
)
CASES = [
    Case(
        "ftp-user",
        "add",
        f"<name>carolup</name><password>{SECRET}</password><home>/httpdocs</home>"
        "<webspace-name>carol.example</webspace-name>",
        f"<add><name>carolup</name><home>/httpdocs</home><password>{SECRET}</password>"
        "<webspace-name>carol.example</webspace-name></add>",
        "home",
        f"<name>carolup</name><password>{SECRET}</password><webspace-id>999</webspace-id>",
        "Webspace does not exist",
        "dave",
        1013,
    ),
    Case(
        "ftp-user",
        "get",
        "<filter><name>carolup</name></filter>",
        "<get><filter><login>carolup</login></filter></get>",
        "login",
        "<filter><id>999</id></filter>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=CAROLUP,
    ),
    Case(
        "ftp-user",
        "set",
        "<filter><id>{made}</id></filter><values><home>/private</home></values>",
        "<set><filter><id>{made}</id></filter><values><home>/a</home><name>b</name></values></set>",
        "name",
        "<filter><id>999</id></filter><values/>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=CAROLUP,
    ),
    Case(
        "ftp-user",
        "del",
        "<filter><name>carolup</name></filter>",
        "<del><filter/><filter/></del>",
        "filter",
        "<filter><id>999</id></filter>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=CAROLUP,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
