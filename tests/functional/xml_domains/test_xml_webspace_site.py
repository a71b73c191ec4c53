"""Operators webspace and site: add, get, del, filters, datasets, rights."""

from __future__ import annotations

import sqlalchemy as sa
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error
from tests.functional.xml_domains.conftest import World

BOTH = "<dataset><gen_info/><hosting/></dataset>"


def _get(
    xml: XmlClient, op: str, flt: str = "", dataset: str = BOTH, key: str | None = None
) -> list[etree._Element]:
    root = xml.call(f"<{op}><get><filter>{flt}</filter>{dataset}</get></{op}>", key=key)
    return results(root, f"{op}/get")


def _props(result: etree._Element) -> dict[str, str]:
    return {
        p.findtext("name") or "": p.findtext("value") or ""
        for p in result.findall("data/hosting/vrt_hst/property")
    }


def _add_webspace(xml: XmlClient, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<webspace><add>{inner}</add></webspace>", key=key)
    (result,) = results(root, "webspace/add")
    return result


def test_webspace_get_with_an_empty_filter_lists_every_webspace_with_www_root(
    xml: XmlClient, world: World
) -> None:
    found = _get(xml, "webspace")
    assert [r.findtext("data/gen_info/name") for r in found] == ["carol.example", "dave.example"]
    for r in found:
        assert [c.tag for c in r] == ["status", "filter-id", "id", "data"]
        assert r.findtext("status") == "ok"
        assert r.findtext("filter-id") == r.findtext("id")
        assert [c.tag for c in r.find("data")] == ["gen_info", "hosting"]  # type: ignore[union-attr]
        name = r.findtext("data/gen_info/ascii-name")
        assert _props(r)["www_root"] == f"/var/www/vhosts/{name}/httpdocs"
        assert r.findtext("data/hosting/vrt_hst/ip_address") == "127.0.0.1"
    assert _props(found[0])["ftp_login"] == "carolftp"


def test_webspace_gen_info_is_in_plesks_order(xml: XmlClient, world: World, panel: Panel) -> None:
    (r,) = _get(xml, "webspace", f"<id>{world.carol_ws}</id>", "<dataset><gen_info/></dataset>")
    gen = r.find("data/gen_info")
    assert gen is not None
    assert [c.tag for c in gen] == [
        "cr_date",
        "name",
        "ascii-name",
        "status",
        "real_size",
        "owner-id",
        "owner-login",
        "dns_ip_address",
        "htype",
        "guid",
        "vendor-guid",
        "description",
    ]
    domain = panel.domains.by_name(world.carol.account.identity(), "carol.example")
    assert domain is not None
    assert gen.findtext("cr_date") == domain.created[:10]
    assert len(gen.findtext("cr_date") or "") == 10
    assert (gen.findtext("status"), gen.findtext("real_size"), gen.findtext("htype")) == (
        "0",
        "0",
        "vrt_hst",
    )
    assert gen.findtext("owner-login") == "carol"
    assert gen.findtext("owner-id") == str(world.carol.account.id)
    assert gen.findtext("guid") == domain.guid
    assert gen.findtext("vendor-guid") == world.reseller.account.guid


def test_site_get_answers_gen_info_with_its_webspace(xml: XmlClient, world: World) -> None:
    (r,) = _get(xml, "site", "<name>blog.carol.example</name>")
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
    (main,) = _get(xml, "site", "<name>CAROL.example</name>")
    assert main.findtext("id") == main.findtext("data/gen_info/webspace-id") == str(world.carol_ws)
    assert gen.findtext("webspace-guid") == main.findtext("data/gen_info/guid")


def test_site_get_with_an_empty_filter_lists_add_on_sites_only(
    xml: XmlClient, world: World
) -> None:
    # Issue 21: a subscription's main site belongs to `webspace`, as in Plesk (this
    # answered every domain, main ones first, before).
    found = _get(xml, "site", dataset="<dataset><gen_info/></dataset>")
    names = [r.findtext("data/gen_info/name") for r in found]
    assert names == ["blog.carol.example"]
    # with no add-on site in reach: one result, status ok, no data
    deleted = xml.call("<site><del><filter><name>blog.carol.example</name></filter></del></site>")
    assert results(deleted, "site/del")[0].findtext("status") == "ok"
    (empty,) = _get(xml, "site", dataset="<dataset><gen_info/></dataset>")
    assert [c.tag for c in empty] == ["status"] and empty.findtext("status") == "ok"


def test_an_empty_dataset_answers_an_empty_data(xml: XmlClient, world: World) -> None:
    (r,) = _get(xml, "site", "<name>dave.example</name>", "<dataset/>")
    data = r.find("data")
    assert data is not None and len(data) == 0
    assert [c.tag for c in r] == ["status", "filter-id", "id", "data"]


def test_filters_by_guid_owner_login_and_owner_id(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    guid = _get(xml, "webspace", f"<id>{world.dave_ws}</id>")[0].findtext("data/gen_info/guid")
    (r,) = _get(xml, "webspace", f"<guid>{guid}</guid>")
    assert r.findtext("id") == str(world.dave_ws)
    by_login = _get(xml, "site", "<owner-login>carol</owner-login>", "<dataset/>")
    assert [x.findtext("id") for x in by_login] == [str(world.carol_ws), str(world.carol_site)]
    assert {x.findtext("filter-id") for x in by_login} == {"carol"}
    by_id = _get(xml, "webspace", f"<owner-id>{world.dave.account.id}</owner-id>", "<dataset/>")
    assert [x.findtext("id") for x in by_id] == [str(world.dave_ws)]


def test_unknown_site_and_webspace_are_1013_with_their_texts(xml: XmlClient, world: World) -> None:
    (miss,) = _get(xml, "site", "<name>nowhere.example</name>")
    assert error_of(miss) == (1013, "Site does not exist")
    assert miss.findtext("filter-id") == "nowhere.example"
    (miss,) = _get(xml, "webspace", "<id>999999</id>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    assert (miss.findtext("filter-id"), miss.findtext("id")) == ("999999", "999999")
    # A site that is not a webspace is no webspace.
    (miss,) = _get(xml, "webspace", "<name>blog.carol.example</name>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    # One miss does not stop the others.
    found = _get(xml, "site", "<name>nowhere.example</name><name>dave.example</name>")
    assert [r.findtext("status") for r in found] == ["error", "ok"]


def test_customers_see_only_their_own_domains(xml: XmlClient, world: World) -> None:
    # an empty filter: add-on sites only (issue 21; main sites belong to webspace)
    mine = _get(xml, "site", dataset="<dataset/>", key=world.carol.key)
    assert [r.findtext("id") for r in mine] == [str(world.carol_site)]
    mine = _get(xml, "webspace", dataset="<dataset/>", key=world.carol.key)
    assert [r.findtext("id") for r in mine] == [str(world.carol_ws)]
    (other,) = _get(xml, "site", "<name>dave.example</name>", key=world.carol.key)
    assert error_of(other) == (1013, "Site does not exist")
    (other,) = _get(xml, "webspace", f"<id>{world.dave_ws}</id>", key=world.carol.key)
    assert error_of(other) == (1013, "Webspace does not exist")
    # Owner fields are for the admin and resellers.
    (own,) = _get(xml, "webspace", dataset="<dataset><gen_info/></dataset>", key=world.carol.key)
    assert own.find("data/gen_info/owner-login") is None


def test_resellers_reach_their_customers_domains_only(xml: XmlClient, world: World) -> None:
    found = _get(xml, "site", dataset="<dataset/>", key=world.reseller.key)
    assert [r.findtext("id") for r in found] == [str(world.carol_site)]
    found = _get(xml, "webspace", dataset="<dataset/>", key=world.reseller.key)
    assert [r.findtext("id") for r in found] == [str(world.carol_ws)]
    (miss,) = _get(xml, "site", "<owner-login>dave</owner-login>", key=world.reseller.key)
    assert error_of(miss)[0] == 1013


def test_webspace_add_for_a_customer_with_hosting(
    xml: XmlClient, world: World, panel: Panel, admin: Identity
) -> None:
    panel.ips.add(admin, address="192.0.2.7", netmask="255.255.255.0")
    result = _add_webspace(
        xml,
        "<gen_setup><name>Shop.Example</name><owner-login>dave</owner-login>"
        "<htype>vrt_hst</htype><ip_address>192.0.2.7</ip_address></gen_setup>"
        "<hosting><vrt_hst>"
        "<property><name>ftp_login</name><value>shopftp</value></property>"
        "<property><name>ftp_password</name><value>Secret-ftp-9</value></property>"
        "</vrt_hst></hosting>",
    )
    assert [c.tag for c in result] == ["status", "id", "guid"]
    (r,) = _get(xml, "webspace", "<name>shop.example</name>")
    assert r.findtext("id") == result.findtext("id")
    assert r.findtext("data/gen_info/guid") == result.findtext("guid")
    assert r.findtext("data/gen_info/owner-login") == "dave"
    assert r.findtext("data/gen_info/dns_ip_address") == "192.0.2.7"
    assert _props(r) == {
        "ftp_login": "shopftp",
        "www_root": "/var/www/vhosts/shop.example/httpdocs",
    }
    # The FTP password is neither echoed nor stored anywhere.
    assert b"Secret-ftp-9" not in etree.tostring(r)
    with panel.db.read() as conn:
        rows = conn.execute(sa.select(tables.domains)).all()
    assert "Secret-ftp-9" not in repr(rows)
    # The new zone starts with the records of a new Plesk domain, on its address.
    root = xml.call(
        f"<dns><get_rec><filter><site-id>{result.findtext('id')}</site-id></filter></get_rec></dns>"
    )
    values = [x.findtext("data/value") for x in results(root, "dns/get_rec")]
    assert len(values) >= 5 and "192.0.2.7" in values


def test_webspace_add_without_an_owner_belongs_to_the_caller(xml: XmlClient, world: World) -> None:
    result = _add_webspace(
        xml, "<gen_setup><name>mine.example</name></gen_setup>", world.reseller.key
    )
    assert result.findtext("status") == "ok"
    (r,) = _get(xml, "webspace", "<name>mine.example</name>")
    assert r.findtext("data/gen_info/owner-login") == "rick"


def test_webspace_add_refusals(xml: XmlClient, world: World) -> None:
    taken = _add_webspace(xml, "<gen_setup><name>dave.example</name></gen_setup>")
    assert error_of(taken)[0] == 1007
    bad = _add_webspace(xml, "<gen_setup><name>not a name</name></gen_setup>")
    assert error_of(bad)[0] == 1019
    bad_ip = _add_webspace(
        xml, "<gen_setup><name>ip.example</name><ip_address>999.1.1.1</ip_address></gen_setup>"
    )
    assert error_of(bad_ip)[0] == 1019
    nobody = _add_webspace(
        xml, "<gen_setup><name>x.example</name><owner-login>nobody</owner-login></gen_setup>"
    )
    assert error_of(nobody)[0] == 1015
    # A reseller cannot give a webspace to another's customer: as if it did not exist.
    foreign = _add_webspace(
        xml,
        "<gen_setup><name>y.example</name><owner-login>dave</owner-login></gen_setup>",
        world.reseller.key,
    )
    assert error_of(foreign)[0] == 1015
    # Customers do not create subscriptions, as in Plesk.
    denied = _add_webspace(xml, "<gen_setup><name>z.example</name></gen_setup>", world.carol.key)
    assert error_of(denied)[0] == 1006


def test_webspace_add_is_validated_like_every_operator(xml: XmlClient, world: World) -> None:
    # gen_setup's children come in any order, as in Plesk; an unknown one is 1014
    root = xml.call(
        "<webspace><add><gen_setup><owner-login>dave</owner-login><name>a.example</name>"
        "<colour>red</colour></gen_setup></add></webspace>"
    )
    code, text = system_error(root)
    assert code == 1014 and "'colour'" in text


def test_status_is_plesks_number(xml: XmlClient, world: World) -> None:
    _add_webspace(xml, "<gen_setup><name>off.example</name><status>16</status></gen_setup>")
    (r,) = _get(xml, "site", "<name>off.example</name>", "<dataset><gen_info/></dataset>")
    assert r.findtext("data/gen_info/status") == "16"
    assert r.findtext("data/gen_info/turn-off-action") == "disable"
    bad = _add_webspace(xml, "<gen_setup><name>bad.example</name><status>7</status></gen_setup>")
    assert error_of(bad)[0] == 1019


def test_site_add_needs_a_webspace_the_caller_may_see(xml: XmlClient, world: World) -> None:
    root = xml.call(
        "<site><add><gen_setup><name>shop.carol.example</name>"
        "<webspace-name>carol.example</webspace-name></gen_setup>"
        "<hosting><vrt_hst/></hosting></add></site>",
        key=world.carol.key,
    )
    (added,) = results(root, "site/add")
    assert [c.tag for c in added] == ["status", "id", "guid"]
    (r,) = _get(xml, "site", f"<id>{added.findtext('id')}</id>")
    assert r.findtext("data/gen_info/webspace-id") == str(world.carol_ws)
    assert _props(r)["ftp_login"] == "carolftp"
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


def test_webspace_del_takes_its_sites_and_zones_along(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    root = xml.call("<webspace><del><filter><name>carol.example</name></filter></del></webspace>")
    deleted = results(root, "webspace/del")
    assert [(r.findtext("status"), r.findtext("filter-id"), r.findtext("id")) for r in deleted] == [
        ("ok", "carol.example", str(world.carol_ws)),
        ("ok", "carol.example", str(world.carol_site)),
    ]
    with panel.db.read() as conn:
        left = conn.execute(
            sa.select(sa.func.count())
            .select_from(tables.dns_records)
            .where(tables.dns_records.c.domain_id.in_([world.carol_ws, world.carol_site]))
        ).scalar()
    assert left == 0
    (miss,) = _get(xml, "site", "<name>blog.carol.example</name>")
    assert error_of(miss)[0] == 1013


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
    assert len(_get(xml, "webspace", dataset="<dataset/>")) == 2
    # no add-on site left: an empty filter answers one bare ok (issue 21)
    (bare,) = _get(xml, "site", dataset="<dataset/>")
    assert [c.tag for c in bare] == ["status"]


def test_webspace_del_with_an_empty_filter_deletes_all_visible_once(
    xml: XmlClient, world: World
) -> None:
    root = xml.call("<webspace><del><filter/></del></webspace>", key=world.reseller.key)
    ids = [r.findtext("id") for r in results(root, "webspace/del")]
    assert ids == [str(world.carol_ws), str(world.carol_site)]
    assert [r.findtext("id") for r in _get(xml, "webspace", dataset="<dataset/>")] == [
        str(world.dave_ws)
    ]


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
    assert len(_get(xml, "site", dataset="<dataset/>", key=carol)) == 1
    assert len(_get(xml, "webspace", dataset="<dataset/>", key=carol)) == 1


def test_filters_by_external_id_owner_guid_and_parent_site(xml: XmlClient, world: World) -> None:
    # Issue 21: Plesk's other filters, on both stores; the external id is the one given
    # in gen_setup, kept with the subscription and gone with it.
    flt = f"<filter><id>{world.carol_ws}</id></filter>"
    xml.call(
        f"<webspace><set>{flt}<values><gen_setup><external-id>crm-7</external-id>"
        "</gen_setup></values></set></webspace>"
    )
    for by in (
        "<external-id>crm-7</external-id>",
        f"<owner-guid>{world.carol.account.guid}</owner-guid>",
    ):
        found = _get(xml, "webspace", by, "<dataset><gen_info/></dataset>")
        assert [r.findtext("id") for r in found] == [str(world.carol_ws)], by
        assert found[0].findtext("data/gen_info/external-id") == "crm-7"
    (miss,) = _get(xml, "webspace", "<external-id>crm-8</external-id>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    # a customer sees its own only
    (hidden,) = _get(xml, "webspace", "<external-id>crm-7</external-id>", key=world.dave.key)
    assert error_of(hidden)[0] == 1013
    child = xml.call(
        "<site><add><gen_setup><name>shop.blog.carol.example</name>"
        "<webspace-name>carol.example</webspace-name>"
        "<parent-site-name>blog.carol.example</parent-site-name></gen_setup></add></site>"
    )
    (made,) = results(child, "site/add")
    found = _get(xml, "site", f"<parent-site-id>{world.carol_site}</parent-site-id>")
    assert [r.findtext("id") for r in found] == [made.findtext("id")]
    # a parent site with no child: one bare ok
    (none,) = _get(xml, "site", f"<parent-site-id>{world.carol_ws}</parent-site-id>")
    assert [c.tag for c in none] == ["status"] and none.findtext("status") == "ok"
    xml.call(f"<webspace><del>{flt}</del></webspace>")
    (gone,) = _get(xml, "webspace", "<external-id>crm-7</external-id>")
    assert error_of(gone)[0] == 1013
