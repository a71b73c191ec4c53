"""Operator site: add, get, set, del; get by parent, datasets stat and prefs, sites
without hosting, www_root given on add; who may reach which site; traffic set, got back
and summed over the subscription."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run, set_traffic_case
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    all_ok,
    domain_get,
    error_of,
    hosting_props,
    named,
    one,
    results,
    system_error,
)


def _webspace_with_sites(xml: XmlClient) -> tuple[str, str, str]:
    """main.example with www.one.example (hosted) and two.example (no hosting): ids."""
    ws = one(xml, "webspace", "add", "<gen_setup><name>main.example</name></gen_setup>")
    wid = ws.findtext("id") or ""
    hosted = one(
        xml,
        "site",
        "add",
        f"<gen_setup><name>one.example</name><webspace-id>{wid}</webspace-id></gen_setup>"
        "<hosting><vrt_hst><property><name>www_root</name><value>/var/www/vhosts/main.example/one"
        "</value></property></vrt_hst></hosting><prefs><www>false</www></prefs>",
    )
    bare = one(
        xml,
        "site",
        "add",
        "<gen_setup><name>two.example</name><htype>none</htype>"
        "<webspace-name>main.example</webspace-name></gen_setup>",
    )
    assert hosted.findtext("status") == bare.findtext("status") == "ok"
    return wid, hosted.findtext("id") or "", bare.findtext("id") or ""


def _get(xml: XmlClient, flt: str, dataset: str, key: str | None = None) -> list[etree._Element]:
    root = xml.call(
        f"<site><get><filter>{flt}</filter><dataset>{dataset}</dataset></get></site>", key=key
    )
    return results(root, "site/get")


def test_site_get_by_parent_answers_the_webspaces_sites_with_stat_and_prefs(
    xml: XmlClient, panel: Panel
) -> None:
    wid, one_id, two_id = _webspace_with_sites(xml)
    for flt in (f"<parent-id>{wid}</parent-id>", "<parent-name>main.example</parent-name>"):
        found = _get(xml, flt, "<gen_info/><hosting/><stat/><prefs/>")
        assert [r.findtext("id") for r in found] == [one_id, two_id]
        first = found[0]
        assert [c.tag for c in first.find("data")] == ["gen_info", "hosting", "stat", "prefs"]  # type: ignore[union-attr]
        assert first.findtext("data/prefs/www") == "false"
        assert first.findtext("data/stat/traffic") == "0"
        props = named(first.find("data/hosting/vrt_hst"), "property")
        assert props["www_root"] == "/var/www/vhosts/main.example/one"
        assert found[1].findtext("data/gen_info/htype") == "none"
        assert found[1].find("data/hosting/none") is not None
        assert found[1].findtext("data/prefs/www") == "true"
    (miss,) = _get(xml, "<parent-name>nowhere.example</parent-name>", "")
    assert error_of(miss) == (1013, "Site does not exist")
    assert [e.action for e in panel.events.list(obj_class="site")] == ["site_create"] * 2


def test_site_set_changes_name_status_prefs_and_www_root(xml: XmlClient, panel: Panel) -> None:
    _wid, one_id, _two = _webspace_with_sites(xml)
    done = one(
        xml,
        "site",
        "set",
        f"<filter><id>{one_id}</id></filter><values><gen_setup><name>uno.example</name>"
        "<description>renamed</description><status>16</status></gen_setup>"
        "<prefs><www>true</www></prefs><hosting><vrt_hst><property><name>www_root</name>"
        "<value>/var/www/vhosts/main.example/uno</value></property></vrt_hst></hosting></values>",
    )
    assert [c.tag for c in done] == ["status", "filter-id", "id"]
    (r,) = _get(xml, "<name>uno.example</name>", "<gen_info/><hosting/><prefs/>")
    assert r.findtext("data/gen_info/status") == "16"
    assert r.findtext("data/gen_info/description") == "renamed"
    assert r.findtext("data/prefs/www") == "true"
    assert named(r.find("data/hosting/vrt_hst"), "property")["www_root"].endswith("/uno")
    assert "site_update" in [e.action for e in panel.events.list(obj_class="site")]
    bad = one(
        xml,
        "site",
        "set",
        f"<filter><id>{one_id}</id></filter><values><prefs><www>maybe</www></prefs></values>",
    )
    assert error_of(bad)[0] == 1019
    miss = one(xml, "site", "set", "<filter><name>none.example</name></filter><values/>")
    assert error_of(miss) == (1013, "Site does not exist")


def test_site_requests_out_of_order_are_1014(xml: XmlClient) -> None:
    code, text = system_error(xml.call("<site><set><values/><filter/></set></site>"))
    assert code == 1014 and "'values'" in text
    # Plesk's order for site/set: prefs before hosting
    code, text = system_error(
        xml.call("<site><set><filter/><values><hosting><vrt_hst/></hosting><prefs/></values>"
                 "</set></site>")
    )  # fmt: skip
    assert code == 1014 and "'prefs'" in text
    # datasets come in any order (Plesk's is an xs:all); the answer keeps Plesk's
    ws = one(xml, "webspace", "add", "<gen_setup><name>d.example</name></gen_setup>")
    assert ws.findtext("status") == "ok"
    (r,) = _get(xml, "<name>d.example</name>", "<prefs/><stat/><gen_info/>")
    assert [c.tag for c in r.find("data")] == ["gen_info", "stat", "prefs"]  # type: ignore[union-attr]
    code, text = system_error(
        xml.call("<site><get><filter/><dataset><prefs/><prefs/></dataset></get></site>")
    )
    assert code == 1014 and "'prefs'" in text


def test_site_rights_follow_the_webspace_owner(xml: XmlClient, world: World) -> None:
    flt = "<filter><name>blog.carol.example</name></filter>"
    mine = one(
        xml,
        "site",
        "set",
        f"{flt}<values><prefs><www>false</www></prefs></values>",
        key=world.carol.key,
    )
    assert mine.findtext("status") == "ok"
    other = one(
        xml,
        "site",
        "set",
        f"{flt}<values><prefs><www>false</www></prefs></values>",
        key=world.dave.key,
    )
    assert error_of(other) == (1013, "Site does not exist")
    found = _get(xml, f"<parent-id>{world.carol_ws}</parent-id>", "", key=world.dave.key)
    assert error_of(found[0]) == (1013, "Site does not exist")
    # A customer may not suspend its own subscription's main site.
    main = one(
        xml,
        "site",
        "set",
        "<filter><name>carol.example</name></filter><values><gen_setup><status>16</status>"
        "</gen_setup></values>",
        key=world.carol.key,
    )
    assert error_of(main)[0] == 1006


def test_site_add_without_hosting_makes_a_site_with_no_hosting(xml: XmlClient) -> None:
    # Issue 21: as in Plesk, no `hosting` node (and no htype) is no hosting; panelkey
    # gave such a site physical hosting before.
    ws = one(xml, "webspace", "add", "<gen_setup><name>bare.example</name></gen_setup>")
    bare = one(
        xml,
        "site",
        "add",
        "<gen_setup><name>nohost.example</name><webspace-name>bare.example</webspace-name>"
        "</gen_setup>",
    )
    assert ws.findtext("status") == bare.findtext("status") == "ok"
    (r,) = _get(xml, f"<id>{bare.findtext('id')}</id>", "<gen_info/><hosting/>")
    assert r.findtext("data/gen_info/htype") == "none"
    hosting = r.find("data/hosting")
    assert hosting is not None and [c.tag for c in hosting] == ["none"]
    # physical hosting given later gets the default document root
    done = one(
        xml,
        "site",
        "set",
        f"<filter><id>{bare.findtext('id')}</id></filter>"
        "<values><hosting><vrt_hst/></hosting></values>",
    )
    assert done.findtext("status") == "ok"
    (r,) = _get(xml, f"<id>{bare.findtext('id')}</id>", "<gen_info/><hosting/>")
    assert r.findtext("data/gen_info/htype") == "vrt_hst"
    props = named(r.find("data/hosting/vrt_hst"), "property")
    assert props["www_root"] == "/var/www/vhosts/nohost.example/httpdocs"


# -- get, add and del with the reseller's and customers' rights ---------------------------


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_site_get_answers_gen_info_with_its_webspace(xml: XmlClient, world: World) -> None:
    (r,) = domain_get(xml, "site", "<name>blog.carol.example</name>")
    assert r.findtext("filter-id") == "blog.carol.example"
    assert r.findtext("id") == str(world.carol_site)
    gen = r.find("data/gen_info")
    assert gen is not None
    assert [c.tag for c in gen] == [
        "cr_date",
        "name",
        "ascii-name",
        "status",
        "real_size",
        "dns_ip_address",
        "htype",
        "guid",
        "webspace-guid",
        "webspace-id",
        "description",
    ]
    assert gen.findtext("webspace-id") == str(world.carol_ws)
    # A webspace's main domain is a site too, its own webspace.
    (main,) = domain_get(xml, "site", "<name>CAROL.example</name>")
    assert main.findtext("id") == main.findtext("data/gen_info/webspace-id") == str(world.carol_ws)
    assert gen.findtext("webspace-guid") == main.findtext("data/gen_info/guid")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_site_get_with_an_empty_filter_lists_add_on_sites_only(
    xml: XmlClient, world: World
) -> None:
    # Issue 21: a subscription's main site belongs to `webspace`, as in Plesk (this
    # answered every domain, main ones first, before).
    found = domain_get(xml, "site", dataset="<dataset><gen_info/></dataset>")
    names = [r.findtext("data/gen_info/name") for r in found]
    assert names == ["blog.carol.example"]
    # with no add-on site in reach: one result, status ok, no data
    deleted = xml.call("<site><del><filter><name>blog.carol.example</name></filter></del></site>")
    assert results(deleted, "site/del")[0].findtext("status") == "ok"
    (empty,) = domain_get(xml, "site", dataset="<dataset><gen_info/></dataset>")
    assert [c.tag for c in empty] == ["status"] and empty.findtext("status") == "ok"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_an_empty_dataset_answers_an_empty_data(xml: XmlClient, world: World) -> None:
    (r,) = domain_get(xml, "site", "<name>dave.example</name>", "<dataset/>")
    data = r.find("data")
    assert data is not None and len(data) == 0
    assert [c.tag for c in r] == ["status", "filter-id", "id", "data"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_site_add_needs_a_webspace_the_caller_may_see(xml: XmlClient, world: World) -> None:
    root = xml.call(
        "<site><add><gen_setup><name>shop.carol.example</name>"
        "<webspace-name>carol.example</webspace-name></gen_setup>"
        "<hosting><vrt_hst/></hosting></add></site>",
        key=world.carol.key,
    )
    (added,) = results(root, "site/add")
    assert [c.tag for c in added] == ["status", "id", "guid"]
    (r,) = domain_get(xml, "site", f"<id>{added.findtext('id')}</id>")
    assert r.findtext("data/gen_info/webspace-id") == str(world.carol_ws)
    assert hosting_props(r)["ftp_login"] == "carolftp"
    for ref in (
        f"<webspace-id>{world.dave_ws}</webspace-id>",
        "<webspace-name>nowhere.example</webspace-name>",
        f"<webspace-id>{world.carol_site}</webspace-id>",  # a site, not a webspace
        "<webspace-guid>0b7e0c2e-0000-0000-0000-000000000000</webspace-guid>",
    ):
        root = xml.call(
            f"<site><add><gen_setup><name>n.carol.example</name>{ref}</gen_setup></add></site>",
            key=world.carol.key,
        )
        (miss,) = results(root, "site/add")
        assert error_of(miss) == (1013, "Webspace does not exist"), ref


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_site_del_and_its_rights(xml: XmlClient, world: World) -> None:
    root = xml.call(
        f"<site><del><filter><id>{world.dave_ws}</id></filter></del></site>", key=world.carol.key
    )
    (refused,) = results(root, "site/del")
    assert error_of(refused) == (1013, "Site does not exist")
    root = xml.call(
        "<site><del><filter><name>blog.carol.example</name></filter></del></site>",
        key=world.carol.key,
    )
    (done,) = results(root, "site/del")
    assert (done.findtext("status"), done.findtext("id")) == ("ok", str(world.carol_site))
    assert len(domain_get(xml, "webspace", dataset="<dataset/>")) == 2
    # no add-on site left: an empty filter answers one bare ok (issue 21)
    (bare,) = domain_get(xml, "site", dataset="<dataset/>")
    assert [c.tag for c in bare] == ["status"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_customers_delete_sites_but_not_webspaces(xml: XmlClient, world: World) -> None:
    carol = world.carol.key
    root = xml.call(
        f"<webspace><del><filter><id>{world.carol_ws}</id></filter></del></webspace>", key=carol
    )
    assert error_of(results(root, "webspace/del")[0])[0] == 1006
    root = xml.call(
        "<site><del><filter><name>carol.example</name></filter></del></site>", key=carol
    )
    (refused,) = results(root, "site/del")
    assert error_of(refused)[0] == 1006 and refused.findtext("id") == str(world.carol_ws)
    assert len(domain_get(xml, "site", dataset="<dataset/>", key=carol)) == 1
    assert len(domain_get(xml, "webspace", dataset="<dataset/>", key=carol)) == 1


# -- traffic ------------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_traffic_set_is_got_back_and_summed_over_the_subscription(
    xml: XmlClient, world: World
) -> None:
    for dom, smtp in ((world.carol_site, 10), (world.carol_ws, 5)):
        all_ok(xml.call(
            f"<site><set_traffic><dom_id>{dom}</dom_id><date>2026-11-30</date>"
            f"<smtp_in>{smtp}</smtp_in><smtp_out>0</smtp_out><pop3_imap_in>0</pop3_imap_in>"
            "<pop3_imap_out>0</pop3_imap_out></set_traffic></site>"
        ), "site/set_traffic")  # fmt: skip
    period = "<since_date>2026-11-29</since_date><to_date>2026-11-30</to_date>"
    (site,) = all_ok(
        xml.call(f"<site><get_traffic><filter><id>{world.carol_site}</id></filter>{period}"
                 "</get_traffic></site>"),
        "site/get_traffic",
    )  # fmt: skip
    days = site.findall("traffic")
    assert [d.findtext("date") for d in days] == ["2026-11-29", "2026-11-30"]
    assert [d.findtext("smtp_in") for d in days] == ["0", "10"]
    (ws,) = all_ok(
        xml.call(f"<webspace><get_traffic><filter><id>{world.carol_ws}</id></filter>{period}"
                 "</get_traffic></webspace>"),
        "webspace/get_traffic",
    )  # fmt: skip
    assert [d.findtext("smtp_in") for d in ws.findall("traffic")] == ["0", "15"]


# -- every operation: the table's rows (operation_table.py) -------------------------------


WS = "<webspace-name>carol.example</webspace-name>"
SITE = "<filter><id>{carol_site}</id></filter>"

CASES = [
    Case(
        "site",
        "add",
        f"<gen_setup><name>shop.carol.example</name>{WS}</gen_setup>",
        f"<add><prefs/><gen_setup><name>shop.carol.example</name>{WS}</gen_setup></add>",
        "prefs",
        "<gen_setup><name>shop.nowhere.example</name><webspace-name>nowhere.example"
        "</webspace-name></gen_setup>",
        "Webspace does not exist",
        "dave",
        1013,
    ),
    Case(
        "site",
        "get",
        "<filter><name>blog.carol.example</name></filter><dataset><gen_info/><hosting/><stat/>"
        "<prefs/></dataset>",
        "<get><dataset><prefs/></dataset><filter/></get>",
        "dataset",
        "<filter><name>nowhere.example</name></filter><dataset/>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "site",
        "set",
        "<filter><name>blog.carol.example</name></filter><values><prefs><www>false</www>"
        "</prefs></values>",
        "<set><values/><filter><name>blog.carol.example</name></filter></set>",
        "values",
        "<filter><name>nowhere.example</name></filter><values/>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "site",
        "del",
        "<filter><name>blog.carol.example</name></filter>",
        "<del><x/><filter><name>blog.carol.example</name></filter></del>",
        "x",
        "<filter><name>nowhere.example</name></filter>",
        "Site does not exist",
        "dave",
        1013,
    ),
    Case(
        "site", "get_traffic", SITE,
        f"<get_traffic><since_date>2026-11-01</since_date>{SITE}</get_traffic>", "since_date",
        "<filter><id>4242</id></filter>", "Site does not exist", "dave", denied=1013,
    ),
    set_traffic_case("site", "carol_site"),
    Case(
        "site", "get-physical-hosting-descriptor", SITE,
        f"<get-physical-hosting-descriptor><x/>{SITE}</get-physical-hosting-descriptor>", "x",
        "<filter><id>4242</id></filter>", "Site does not exist", "dave", denied=1013,
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
