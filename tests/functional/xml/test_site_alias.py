"""Operator site-alias: create, get, set, delete, rename, get-supported-services; the
order fault, the unknown object and the caller without rights for each."""

from __future__ import annotations

import dns.message
import dns.rdatatype
import pytest
from lxml import etree

from panelkey.core.panel import Panel
from panelkey.dnsserver import resolve
from tests import factories
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, fault, one, results

NOT_FOUND = (1013, "Site alias does not exist")


def _create(
    xml: XmlClient, site_id: int, name: str, head: str = "", key: str | None = None
) -> etree._Element:
    return one(
        xml,
        "site-alias",
        "create",
        f"{head}<site-id>{site_id}</site-id><name>{name}</name>",
        key=key,
    )


def _get(xml: XmlClient, flt: str, key: str | None = None) -> list[etree._Element]:
    root = xml.call(f"<site-alias><get><filter>{flt}</filter></get></site-alias>", key=key)
    return results(root, "site-alias/get")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_site_alias_create_then_get_answers_info_in_plesks_order(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    made = _create(
        xml,
        world.carol_ws,
        "carol.example.net",
        "<pref><web>true</web><mail>true</mail><tomcat>false</tomcat></pref><manage-dns>false</manage-dns>",
        key=world.carol.key,
    )
    assert [c.tag for c in made] == ["status", "id"], etree.tostring(made)
    alias_id = made.findtext("id")
    for flt in (
        f"<id>{alias_id}</id>",
        "<name>carol.example.net</name>",
        f"<site-id>{world.carol_ws}</site-id>",
        "<site-name>carol.example</site-name>",
    ):
        (got,) = _get(xml, flt, key=world.carol.key)
        assert [c.tag for c in got] == ["status", "filter-id", "id", "info"]
        info = got.find("info")
        assert info is not None
        assert [c.tag for c in info] == [
            "status",
            "pref",
            "manage-dns",
            "site-id",
            "name",
            "ascii-name",
        ]
        assert info.findtext("status") == "0"
        assert info.findtext("pref/mail") == "true" and info.findtext("pref/web") == "true"
        assert info.findtext("manage-dns") == "false"
        assert info.findtext("site-id") == str(world.carol_ws)
        assert info.findtext("ascii-name") == "carol.example.net"
    assert [e.action for e in panel.events.list(obj_class="domain_alias")] == [
        "domain_alias_create"
    ]


def test_site_alias_create_refuses_taken_names_bad_values_and_unknown_sites(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    assert error_of(_create(xml, world.carol_ws, "dave.example"))[0] == 1007
    _create(xml, world.carol_ws, "alias.example")
    assert error_of(_create(xml, world.dave_ws, "alias.example"))[0] == 1007
    # nor may a new subscription or site take the alias's name
    taken = xml.call(
        "<webspace><add><gen_setup><name>alias.example</name></gen_setup></add></webspace>"
    )
    assert error_of(results(taken, "webspace/add")[0])[0] == 1007
    assert error_of(_create(xml, world.carol_ws, "x.example", "<status>5</status>"))[0] == 1019
    assert (
        error_of(_create(xml, world.carol_ws, "x.example", "<pref><web>perhaps</web></pref>"))[0]
        == 1019
    )
    assert error_of(_create(xml, world.carol_ws, "not a name"))[0] == 1019
    assert error_of(_create(xml, 999, "x.example")) == (1013, "Site does not exist")
    # a customer cannot give another's site an alias
    assert error_of(_create(xml, world.dave_ws, "y.example", key=world.carol.key)) == (
        1013,
        "Site does not exist",
    )
    assert [a.name for a in panel.site_aliases.list(factories.admin(panel))] == ["alias.example"]
    code, text = fault(
        xml,
        f"<site-alias><create><name>x.example</name><site-id>{world.carol_ws}</site-id></create></site-alias>",
    )
    assert code == 1014 and "'name'" in text


def test_site_alias_get_unknown_and_anothers_answer_1013(xml: XmlClient, world: World) -> None:
    alias_id = _create(xml, world.dave_ws, "dave.example.net").findtext("id")
    (miss,) = _get(xml, "<id>999</id>")
    assert error_of(miss) == NOT_FOUND and miss.findtext("filter-id") == "999"
    (theirs,) = _get(xml, f"<id>{alias_id}</id>", key=world.carol.key)
    assert error_of(theirs) == NOT_FOUND
    (theirs_by_site,) = _get(xml, f"<site-id>{world.dave_ws}</site-id>", key=world.carol.key)
    assert error_of(theirs_by_site)[0] == 1013
    assert _get(xml, "", key=world.carol.key) == [] or all(
        r.findtext("id") != alias_id for r in _get(xml, "", key=world.carol.key)
    )
    code, text = fault(
        xml, "<site-alias><get><filter><id>1</id><name>x</name></filter></get></site-alias>"
    )
    assert code == 1014 and "'name'" in text


def test_site_alias_set_changes_settings_and_refuses_what_it_cannot(
    xml: XmlClient, world: World
) -> None:
    alias_id = _create(xml, world.carol_ws, "carol.example.net").findtext("id")
    done = one(
        xml,
        "site-alias",
        "set",
        f"<filter><id>{alias_id}</id></filter><settings><status>1</status><pref><mail>true</mail></pref></settings>",
        key=world.carol.key,
    )
    assert [c.tag for c in done] == ["status", "filter-id", "id"]
    (got,) = _get(xml, f"<id>{alias_id}</id>")
    assert got.findtext("info/status") == "1" and got.findtext("info/pref/mail") == "true"
    bad = one(
        xml,
        "site-alias",
        "set",
        f"<filter><id>{alias_id}</id></filter><settings><status>9</status></settings>",
    )
    assert error_of(bad)[0] == 1019
    unknown = one(xml, "site-alias", "set", "<filter><id>999</id></filter><settings/>")
    assert error_of(unknown) == NOT_FOUND
    theirs = one(
        xml,
        "site-alias",
        "set",
        f"<filter><id>{alias_id}</id></filter><settings/>",
        key=world.dave.key,
    )
    assert error_of(theirs) == NOT_FOUND
    code, text = fault(
        xml, f"<site-alias><set><settings/><filter><id>{alias_id}</id></filter></set></site-alias>"
    )
    assert code == 1014 and "'settings'" in text


def test_site_alias_delete_removes_it_and_refuses_anothers(xml: XmlClient, world: World) -> None:
    alias_id = _create(xml, world.carol_ws, "carol.example.net").findtext("id")
    theirs = one(
        xml, "site-alias", "delete", f"<filter><id>{alias_id}</id></filter>", key=world.dave.key
    )
    assert error_of(theirs) == NOT_FOUND
    gone = one(
        xml,
        "site-alias",
        "delete",
        "<filter><name>carol.example.net</name></filter>",
        key=world.carol.key,
    )
    assert [c.tag for c in gone] == ["status", "filter-id", "id"] and gone.findtext(
        "id"
    ) == alias_id
    assert (
        error_of(one(xml, "site-alias", "delete", f"<filter><id>{alias_id}</id></filter>"))
        == NOT_FOUND
    )
    code, text = fault(xml, "<site-alias><delete/></site-alias>")
    assert code == 1014 and "'delete'" in text


def test_site_alias_rename_by_id_or_name(xml: XmlClient, world: World) -> None:
    alias_id = _create(xml, world.carol_ws, "carol.example.net").findtext("id")
    done = one(
        xml,
        "site-alias",
        "rename",
        f"<id>{alias_id}</id><new_name>carol.example.org</new_name>",
        key=world.carol.key,
    )
    assert [c.tag for c in done] == ["status"] and done.findtext("status") == "ok"
    done = one(
        xml,
        "site-alias",
        "rename",
        "<name>carol.example.org</name><new_name>carol.example.info</new_name>",
    )
    assert done.findtext("status") == "ok"
    (got,) = _get(xml, f"<id>{alias_id}</id>")
    assert got.findtext("info/name") == "carol.example.info"
    assert (
        error_of(
            one(
                xml, "site-alias", "rename", f"<id>{alias_id}</id><new_name>dave.example</new_name>"
            )
        )[0]
        == 1007
    )
    assert (
        error_of(one(xml, "site-alias", "rename", "<id>999</id><new_name>x.example</new_name>"))
        == NOT_FOUND
    )
    theirs = one(
        xml,
        "site-alias",
        "rename",
        f"<id>{alias_id}</id><new_name>z.example</new_name>",
        key=world.dave.key,
    )
    assert error_of(theirs) == NOT_FOUND
    code, text = fault(
        xml,
        f"<site-alias><rename><new_name>x.example</new_name><id>{alias_id}</id></rename></site-alias>",
    )
    assert code == 1014 and "'new_name'" in text


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_site_alias_zone_is_its_sites_zone_under_its_name(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    alias_id = _create(xml, world.carol_ws, "carol.example.net", key=world.carol.key).findtext("id")
    added = one(
        xml,
        "dns",
        "add_rec",
        f"<site-id>{world.carol_ws}</site-id><type>TXT</type><host>_acme-challenge</host><value>tok</value>",
    )
    assert added.findtext("status") == "ok"
    root = xml.call(
        f"<dns><get_rec><filter><site-alias-id>{alias_id}</site-alias-id></filter></get_rec></dns>",
        key=world.carol.key,
    )
    found = results(root, "dns/get_rec")
    hosts = {
        (r.findtext("data/type"), r.findtext("data/host"), r.findtext("data/value")) for r in found
    }
    assert ("TXT", "_acme-challenge.carol.example.net.", "tok") in hosts
    assert ("CNAME", "ftp.carol.example.net.", "carol.example.net.") in hosts
    assert all(r.findtext("data/site-alias-id") == alias_id for r in found)
    assert all(not r.findtext("data/host", "").endswith(".carol.example.") for r in found)
    # answered by the DNS listener's resolver, from the store
    answer = resolve(
        panel.dns_zones, dns.message.make_query("_acme-challenge.carol.example.net", "TXT")
    )
    assert [rr.to_text() for rrset in answer.answer for rr in rrset] == ['"tok"']
    soa = resolve(panel.dns_zones, dns.message.make_query("carol.example.net", "SOA"))
    assert soa.answer and soa.answer[0].rdtype == dns.rdatatype.SOA
    assert str(soa.answer[0].name) == "carol.example.net."
    # records are written through the site: the alias's zone refuses them, plainly
    through_alias = one(
        xml,
        "dns",
        "add_rec",
        f"<site-alias-id>{alias_id}</site-alias-id><type>A</type><host>x</host><value>192.0.2.9</value>",
    )
    assert error_of(through_alias)[0] == 1006
    root = xml.call(
        f"<dns><del_rec><filter><site-alias-id>{alias_id}</site-alias-id></filter></del_rec></dns>"
    )
    assert all(error_of(r)[0] == 1006 for r in results(root, "dns/del_rec"))
    assert len(
        results(
            xml.call(
                f"<dns><get_rec><filter><site-id>{world.carol_ws}</site-id></filter></get_rec></dns>"
            ),
            "dns/get_rec",
        )
    ) == len(found)
    # another customer does not reach it; without manage-dns, and once gone, there is no zone
    root = xml.call(
        f"<dns><get_rec><filter><site-alias-id>{alias_id}</site-alias-id></filter></get_rec></dns>",
        key=world.dave.key,
    )
    assert error_of(results(root, "dns/get_rec")[0]) == NOT_FOUND
    one(
        xml,
        "site-alias",
        "set",
        f"<filter><id>{alias_id}</id></filter><settings><manage-dns>false</manage-dns></settings>",
    )
    assert (
        resolve(panel.dns_zones, dns.message.make_query("carol.example.net", "SOA")).rcode() == 5
    )  # REFUSED
    root = xml.call(
        f"<dns><get_rec><filter><site-alias-id>{alias_id}</site-alias-id></filter></get_rec></dns>"
    )
    assert error_of(results(root, "dns/get_rec")[0]) == NOT_FOUND


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_an_alias_icp_permit_goes_with_the_alias_and_with_its_site(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    """The ICP permit is kept in panel.properties: deleting the alias, or its site,
    forgets it in the same transaction; a bad icp-status writes nothing."""
    icp = "<pref><icp-status>true</icp-status><icp-permit>ICP-1</icp-permit></pref>"
    bad = _create(
        xml, world.carol_site, "bad.example.net", "<pref><icp-status>maybe</icp-status></pref>"
    )
    assert error_of(bad)[0] == 1019
    assert panel.site_aliases.by_name(factories.admin(panel), "bad.example.net") is None
    first = _create(xml, world.carol_site, "first.example.net", icp).findtext("id")
    second = _create(xml, world.carol_site, "second.example.net", icp).findtext("id")
    assert first and second
    (got,) = _get(xml, f"<id>{first}</id>")
    assert got.findtext("info/pref/icp-permit") == "ICP-1"
    assert panel.properties.get("site_alias", int(first)) == {
        "icp_permit": "ICP-1",
        "icp_status": "true",
    }
    root = xml.call(f"<site-alias><delete><filter><id>{first}</id></filter></delete></site-alias>")
    assert results(root, "site-alias/delete")[0].findtext("status") == "ok"
    assert panel.properties.get("site_alias", int(first)) == {}
    root = xml.call(f"<site><del><filter><id>{world.carol_site}</id></filter></del></site>")
    assert results(root, "site/del")[0].findtext("status") == "ok", etree.tostring(root)
    assert panel.properties.get("site_alias", int(second)) == {}


def test_web_mail_and_tomcat_as_on_plesk_for_linux(xml: XmlClient, world: World) -> None:
    for key in (None, world.carol.key):
        root = xml.call("<site-alias><get-supported-services/></site-alias>", key=key)
        (result,) = results(root, "site-alias/get-supported-services")
        assert [(c.tag, c.text) for c in result] == [
            ("status", "ok"),
            ("service", "web"),
            ("service", "mail"),
            ("service", "tomcat"),
        ]


# -- every operation: the table's rows (operation_table.py) -------------------------------


NET = (
    "<site-alias><create><site-id>{carol_ws}</site-id><name>carol.example.net</name></create>"
    "</site-alias>"
)
CASES = [
    Case(
        "site-alias",
        "create",
        "<site-id>{carol_ws}</site-id><name>carol.example.net</name>",
        "<create><name>carol.example.net</name><site-id>{carol_ws}</site-id></create>",
        "name",
        "<site-id>999</site-id><name>carol.example.net</name>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "site-alias",
        "get",
        "<filter><id>{made}</id></filter>",
        "<get><filter><id>{made}</id><name>carol.example.net</name></filter></get>",
        "name",
        "<filter><id>999</id></filter>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=NET,
    ),
    Case(
        "site-alias",
        "set",
        "<filter><id>{made}</id></filter><settings><status>1</status></settings>",
        "<set><settings/><filter><id>{made}</id></filter></set>",
        "settings",
        "<filter><id>999</id></filter><settings/>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=NET,
    ),
    Case(
        "site-alias",
        "delete",
        "<filter><name>carol.example.net</name></filter>",
        "<delete><x/><filter><id>{made}</id></filter></delete>",
        "x",
        "<filter><id>999</id></filter>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=NET,
    ),
    Case(
        "site-alias",
        "rename",
        "<id>{made}</id><new_name>carol.example.org</new_name>",
        "<rename><new_name>carol.example.org</new_name><id>{made}</id></rename>",
        "new_name",
        "<id>999</id><new_name>carol.example.org</new_name>",
        NOT_FOUND[1],
        "dave",
        1013,
        before=NET,
    ),
    Case(
        "site-alias",
        "get-supported-services",
        "",
        "<get-supported-services><x/></get-supported-services>",
        "get-supported-services",
        None,  # names no object
        "",
        None,  # every account
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
