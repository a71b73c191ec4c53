"""Operator subdomain: add, get, set, del, rename; the order fault, the unknown object
and the caller without rights for each."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, fault, one, results


def _add(
    xml: XmlClient, parent: str, name: str, extra: str = "", key: str | None = None
) -> etree._Element:
    return one(
        xml, "subdomain", "add", f"<parent>{parent}</parent><name>{name}</name>{extra}", key=key
    )


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    return results(
        xml.call(f"<subdomain><get><filter>{flt}</filter></get></subdomain>", key=key),
        "subdomain/get",
    )


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_subdomain_add_then_get_answers_parent_full_name_and_properties(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    made = _add(
        xml,
        "carol.example",
        "forum",
        "<property><name>php</name><value>false</value></property>"
        "<property><name>www_root</name><value>/forum</value></property>",
        key=world.carol.key,
    )
    assert made.findtext("status") == "ok", etree.tostring(made)
    sub_id = made.findtext("id")
    for flt in (
        f"<id>{sub_id}</id>",
        "<name>forum.carol.example</name>",
        "<parent-name>carol.example</parent-name>",
    ):
        (got,) = _get(xml, flt, key=world.carol.key)
        assert [c.tag for c in got] == ["status", "filter-id", "id", "data"]
        assert got.findtext("id") == sub_id
        data = got.find("data")
        assert data is not None
        assert [c.tag for c in data][:2] == ["parent", "name"]
        assert data.findtext("parent") == "carol.example"
        assert data.findtext("name") == "forum.carol.example"
        props = {p.findtext("name"): p.findtext("value") for p in data.findall("property")}
        assert props == {"php": "false", "www_root": "/forum"}
    assert [e.action for e in panel.events.list(obj_class="subdomain")] == ["subdomain_create"]


def test_subdomain_add_refuses_a_taken_name_a_bad_property_and_writes_nothing(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    # blog.carol.example is a site already
    assert error_of(_add(xml, "carol.example", "blog"))[0] == 1007
    assert (
        error_of(
            _add(
                xml,
                "carol.example",
                "shop",
                "<property><name>nope</name><value>1</value></property>",
            )
        )[0]
        == 1019
    )
    assert (
        error_of(
            _add(
                xml,
                "carol.example",
                "shop",
                "<property><name>php</name><value>maybe</value></property>",
            )
        )[0]
        == 1019
    )
    assert error_of(_add(xml, "carol.example", "bad_name!"))[0] == 1019
    assert panel.subdomains.list(factories.admin(panel)) == []


def test_subdomain_add_order_fault_names_the_element(xml: XmlClient, world: World) -> None:
    code, text = fault(
        xml, "<subdomain><add><name>forum</name><parent>carol.example</parent></add></subdomain>"
    )
    assert code == 1014 and "'name'" in text


def test_subdomain_add_under_an_unknown_or_anothers_site_is_refused(
    xml: XmlClient, world: World
) -> None:
    assert error_of(_add(xml, "nowhere.example", "forum")) == (
        1015,
        "Parent site/subdomain is not found",
    )
    assert error_of(_add(xml, "dave.example", "forum", key=world.carol.key)) == (
        1015,
        "Parent site/subdomain is not found",
    )
    # the reseller reaches its customer's site
    assert _add(xml, "carol.example", "forum", key=world.reseller.key).findtext("status") == "ok"


def test_subdomain_get_unknown_and_anothers_answer_1013(xml: XmlClient, world: World) -> None:
    sub_id = _add(xml, "dave.example", "forum").findtext("id")
    (miss,) = _get(xml, "<id>999</id>")
    assert error_of(miss) == (1013, "Subdomain does not exist")
    assert miss.findtext("filter-id") == "999" and miss.findtext("id") == "999"
    (theirs,) = _get(xml, f"<id>{sub_id}</id>", key=world.carol.key)
    assert error_of(theirs) == (1013, "Subdomain does not exist")
    assert _get(xml, "", key=world.carol.key) == [] or all(
        r.findtext("id") != sub_id for r in _get(xml, "", key=world.carol.key)
    )
    code, text = fault(xml, "<subdomain><get/></subdomain>")
    assert code == 1014 and "'get'" in text


def test_subdomain_set_changes_properties_and_refuses_what_it_cannot(
    xml: XmlClient, world: World
) -> None:
    sub_id = _add(xml, "carol.example", "forum").findtext("id")
    set_one = one(
        xml,
        "subdomain",
        "set",
        f"<filter><id>{sub_id}</id></filter><property><name>ssl</name><value>false</value></property>",
        key=world.carol.key,
    )
    assert [c.tag for c in set_one] == ["status", "filter-id", "id"]
    (got,) = _get(xml, f"<id>{sub_id}</id>")
    props = {p.findtext("name"): p.findtext("value") for p in got.findall("data/property")}
    assert props["ssl"] == "false"
    bad = one(
        xml,
        "subdomain",
        "set",
        f"<filter><id>{sub_id}</id></filter><property><name>ssl</name><value>x</value></property>",
    )
    assert error_of(bad)[0] == 1019
    unknown = one(
        xml,
        "subdomain",
        "set",
        "<filter><id>999</id></filter><property><name>ssl</name><value>true</value></property>",
    )
    assert error_of(unknown) == (1013, "Subdomain does not exist")
    theirs = one(
        xml,
        "subdomain",
        "set",
        f"<filter><id>{sub_id}</id></filter><property><name>ssl</name><value>true</value></property>",
        key=world.dave.key,
    )
    assert error_of(theirs) == (1013, "Subdomain does not exist")
    code, text = fault(
        xml,
        f"<subdomain><set><property><name>ssl</name><value>true</value></property><filter><id>{sub_id}</id></filter></set></subdomain>",
    )
    assert code == 1014 and "'property'" in text


def test_subdomain_del_removes_it_and_refuses_anothers(xml: XmlClient, world: World) -> None:
    sub_id = _add(xml, "carol.example", "forum").findtext("id")
    theirs = one(xml, "subdomain", "del", f"<filter><id>{sub_id}</id></filter>", key=world.dave.key)
    assert error_of(theirs) == (1013, "Subdomain does not exist")
    gone = one(
        xml,
        "subdomain",
        "del",
        "<filter><name>forum.carol.example</name></filter>",
        key=world.carol.key,
    )
    assert [c.tag for c in gone] == ["status", "filter-id", "id"] and gone.findtext("id") == sub_id
    assert error_of(_get(xml, f"<id>{sub_id}</id>")[0])[0] == 1013
    again = one(xml, "subdomain", "del", f"<filter><id>{sub_id}</id></filter>")
    assert error_of(again) == (1013, "Subdomain does not exist")
    code, text = fault(xml, "<subdomain><del><id>1</id></del></subdomain>")
    assert code == 1014 and "'id'" in text


def test_subdomain_rename_keeps_the_parent_and_refuses_clashes(
    xml: XmlClient, world: World
) -> None:
    sub_id = _add(xml, "carol.example", "forum").findtext("id")
    _add(xml, "carol.example", "shop")
    done = one(
        xml, "subdomain", "rename", f"<id>{sub_id}</id><name>board</name>", key=world.carol.key
    )
    assert [c.tag for c in done] == ["status"] and done.findtext("status") == "ok"
    (got,) = _get(xml, f"<id>{sub_id}</id>")
    assert got.findtext("data/name") == "board.carol.example"
    assert (
        error_of(one(xml, "subdomain", "rename", f"<id>{sub_id}</id><name>shop</name>"))[0] == 1007
    )
    assert error_of(one(xml, "subdomain", "rename", "<id>999</id><name>x</name>")) == (
        1013,
        "Subdomain does not exist",
    )
    theirs = one(
        xml, "subdomain", "rename", f"<id>{sub_id}</id><name>mine</name>", key=world.dave.key
    )
    assert error_of(theirs) == (1013, "Subdomain does not exist")
    code, text = fault(
        xml, f"<subdomain><rename><name>x</name><id>{sub_id}</id></rename></subdomain>"
    )
    assert code == 1014 and "'name'" in text


# -- every operation: the table's rows (operation_table.py) -------------------------------


FORUM = "<subdomain><add><parent>carol.example</parent><name>forum</name></add></subdomain>"
SUB_MISSING = "Subdomain does not exist"
CASES = [
    Case(
        "subdomain",
        "add",
        "<parent>carol.example</parent><name>forum</name>",
        "<add><name>forum</name><parent>carol.example</parent></add>",
        "name",
        "<parent>nowhere.example</parent><name>forum</name>",
        "Parent site/subdomain is not found",
        "dave",
        1015,
        missing_code=1015,
    ),
    Case(
        "subdomain",
        "get",
        "<filter><id>{made}</id></filter>",
        "<get><filter><id>{made}</id><name>forum.carol.example</name></filter></get>",
        "name",
        "<filter><id>999</id></filter>",
        SUB_MISSING,
        "dave",
        1013,
        before=FORUM,
    ),
    Case(
        "subdomain",
        "set",
        "<filter><name>forum.carol.example</name></filter>"
        "<property><name>ssl</name><value>false</value></property>",
        "<set><property><name>ssl</name><value>false</value></property>"
        "<filter><id>{made}</id></filter></set>",
        "property",
        "<filter><id>999</id></filter><property><name>ssl</name><value>true</value></property>",
        SUB_MISSING,
        "dave",
        1013,
        before=FORUM,
    ),
    Case(
        "subdomain",
        "del",
        "<filter><name>forum.carol.example</name></filter>",
        "<del><id>{made}</id></del>",
        "id",
        "<filter><id>999</id></filter>",
        SUB_MISSING,
        "dave",
        1013,
        before=FORUM,
    ),
    Case(
        "subdomain",
        "rename",
        "<id>{made}</id><name>board</name>",
        "<rename><name>board</name><id>{made}</id></rename>",
        "name",
        "<id>999</id><name>board</name>",
        SUB_MISSING,
        "dave",
        1013,
        before=FORUM,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
