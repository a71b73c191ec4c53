"""One filter engine and one module of wire values behind every operator: the same
reference reads the same way everywhere, plans are found through the core, and what the
engine fixed answers as Plesk would."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.factories import World
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, one, results


def ok(result: etree._Element) -> etree._Element:
    assert result.findtext("status") == "ok", etree.tostring(result)
    return result


def tags(result: etree._Element) -> list[str]:
    return [str(c.tag) for c in result]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_an_id_written_with_a_plus_sign_names_that_object_in_every_filter(
    xml: XmlClient, world: World
) -> None:
    # xs:positiveInteger (the schema's Id) takes "+7": the filters of webspace, site and
    # customer took it for a miss, while the others read it as 7
    webspace = one(xml, "webspace", "get", f"<filter><id>+{world.dave_ws}</id></filter>"
                   "<dataset><gen_info/></dataset>")  # fmt: skip
    assert ok(webspace).findtext("id") == str(world.dave_ws)
    assert webspace.findtext("filter-id") == f"+{world.dave_ws}"
    site = one(xml, "site", "get", f"<filter><id>+{world.carol_site}</id></filter>"
               "<dataset><gen_info/></dataset>")  # fmt: skip
    assert ok(site).findtext("data/gen_info/name") == "blog.carol.example"
    dave = world.dave.account.id
    customer = one(xml, "customer", "get", f"<filter><id>+{dave}</id></filter><dataset/>")
    assert ok(customer).findtext("id") == str(dave)


def test_a_filter_answers_in_request_order_with_each_miss_in_its_place(
    xml: XmlClient, world: World
) -> None:
    carol, dave = world.carol.account.id, world.dave.account.id
    root = xml.call(
        f"<customer><get><filter><id>{dave}</id><id>99999</id><id>{carol}</id></filter>"
        "<dataset><gen_info/></dataset></get></customer>"
    )
    first, missed, last = results(root, "customer/get")
    assert ok(first).findtext("data/gen_info/login") == "dave"
    assert error_of(missed) == (1013, "Client does not exist")
    assert tags(missed)[3:] == ["filter-id", "id"]
    assert ok(last).findtext("data/gen_info/login") == "carol"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_plans_are_found_by_each_reference_through_the_core(xml: XmlClient) -> None:
    added = ok(one(xml, "service-plan", "add", "<name>Gold</name><external-id>g-1</external-id>"))
    plan_id, guid = added.findtext("id"), added.findtext("guid")
    for ref, value in (("id", plan_id), ("id", f"+{plan_id}"), ("name", "Gold"),
                       ("guid", guid), ("external-id", "g-1")):  # fmt: skip
        got = ok(one(xml, "service-plan", "get", f"<filter><{ref}>{value}</{ref}></filter>"))
        assert (got.findtext("filter-id"), got.findtext("id")) == (value, plan_id), ref
        assert tags(got)[:6] == ["status", "filter-id", "id", "guid", "external-id", "name"]
    missed = one(xml, "service-plan", "get", "<filter><name>Tin</name></filter>")
    assert error_of(missed) == (1013, "Service plan does not exist")
    assert tags(missed) == ["status", "errcode", "errtext", "filter-id"]
    changed = ok(one(xml, "service-plan", "set", "<filter><name>Gold</name></filter>"
                                                 "<name>Platinum</name>"))  # fmt: skip
    assert tags(changed) == ["status", "filter-id", "id", "guid"]
    gone = ok(one(xml, "service-plan", "del", "<filter><guid>" + (guid or "") + "</guid></filter>"))
    assert tags(gone) == ["status", "filter-id", "id"]


def test_a_server_key_filter_may_name_several_keys(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    # two ids in one filter answered 1023 (the filter was read as one child)
    panel.server.install_license(admin, "ADDITIONAL-KEY-TEXT", code="ADD-1", additional=True)
    keys = one(xml, "server", "get", "<key><filter><all/></filter></key>").findall("key")
    ids = [
        next(p.findtext("value") for p in k.findall("property") if p.findtext("name") == name)
        for k in keys
        for name in ["plesk_key_id"]
    ]
    assert len(ids) == 2
    asked = f"<id>{ids[1]}</id><id>{ids[0].lower()}</id>"
    both = one(xml, "server", "get", f"<key><filter>{asked}</filter></key>")
    assert len(ok(both).findall("key")) == 2


def test_a_flag_spelled_wrongly_says_the_same_in_every_operator(
    xml: XmlClient, world: World
) -> None:
    mail = one(xml, "mail", "create",
               f"<filter><site-id>{world.dave_ws}</site-id><mailname><name>bob</name>"
               "<mailbox><enabled>maybe</enabled></mailbox></mailname></filter>")  # fmt: skip
    assert error_of(mail) == (1019, "Invalid value for 'mailbox/enabled' specified")
    alias = one(xml, "site-alias", "create",
                "<pref><web>maybe</web></pref>"
                f"<site-id>{world.dave_ws}</site-id><name>alias.example</name>")  # fmt: skip
    assert error_of(alias) == (1019, "Invalid value for 'web' specified")


def test_an_error_of_the_whole_operation_is_answered_once_without_fields(
    xml: XmlClient, world: World
) -> None:
    for operator, operation, inner in (
        ("mail", "get_info", "<filter><site-id>99999</site-id></filter><mailbox/>"),
        ("site-alias", "create", "<site-id>99999</site-id><name>a.example</name>"),
        ("database", "add-db", "<webspace-id>99999</webspace-id><name>db</name><type>mysql</type>"),
    ):
        root = xml.call(f"<{operator}><{operation}>{inner}</{operation}></{operator}>")
        (result,) = results(root, f"{operator}/{operation}")
        assert tags(result) == ["status", "errcode", "errtext"], operator
        assert error_of(result)[0] == 1013
