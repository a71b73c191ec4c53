"""Operator webspace: subscriptions on plans, settings, suspension, switching, add-ons,
descriptors, traffic (what a billing integration runs end to end); add, get and del
with their filters, datasets and rights; the app filter's rows (its flows are in
test_webspace_app_filter.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.factories import World
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.operation_table import (
    PLAN_ITEM,
    Case,
    Scene,
    app_filter_cases,
    run,
    set_traffic_case,
)
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    domain_get,
    error_of,
    hosting_props,
    named,
    one,
    results,
    system_error,
)

ALL = (
    "gen_info", "hosting", "limits", "stat", "prefs", "disk_usage", "performance",
    "subscriptions", "permissions", "plan-items", "php-settings", "resource-usage", "mail",
)  # fmt: skip


def _plans(xml: XmlClient) -> tuple[str, str]:
    """Plans Basic (2 databases, 1 GB) and Pro (10 databases); their guids."""
    basic = one(
        xml,
        "service-plan",
        "add",
        "<name>Basic</name><limits>"
        "<limit><name>max_db</name><value>2</value></limit>"
        "<limit><name>disk_space</name><value>1073741824</value></limit></limits>"
        "<hosting><property><name>php</name><value>false</value></property></hosting>",
    )
    pro = one(
        xml,
        "service-plan",
        "add",
        "<name>Pro</name><limits>"
        "<limit><name>max_db</name><value>10</value></limit></limits>"
        "<external-id>whmcs-pro</external-id>",
    )
    return basic.findtext("guid") or "", pro.findtext("guid") or ""


def _limits(xml: XmlClient, name: str) -> dict[str, str]:
    got = one(
        xml, "webspace", "get", f"<filter><name>{name}</name></filter><dataset><limits/></dataset>"
    )
    return named(got.find("data/limits"), "limit")


def _status(xml: XmlClient, name: str) -> str:
    got = one(
        xml,
        "webspace",
        "get",
        f"<filter><name>{name}</name></filter><dataset><gen_info/></dataset>",
    )
    return got.findtext("data/gen_info/status") or ""


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_billing_flow_add_on_a_plan_suspend_upgrade_delete(
    xml: XmlClient, world: World, panel: Panel, admin: Identity
) -> None:
    _basic, pro = _plans(xml)
    added = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>shop.example</name><owner-login>dave</owner-login>"
        "<htype>vrt_hst</htype><ip_address>127.0.0.1</ip_address><status>0</status></gen_setup>"
        "<hosting><vrt_hst><property><name>ftp_login</name><value>shopftp</value></property>"
        "<property><name>ftp_password</name><value>Ftp-secret-1</value></property>"
        "</vrt_hst></hosting><plan-name>Basic</plan-name>",
    )
    assert added.findtext("status") == "ok", etree.tostring(added)
    limits = _limits(xml, "shop.example")
    assert (limits["max_db"], limits["disk_space"], limits["max_box"]) == ("2", "1073741824", "-1")
    # Suspend (16), then activate (0).
    suspended = one(
        xml,
        "webspace",
        "set",
        "<filter><name>shop.example</name></filter><values><gen_setup><status>16</status>"
        "</gen_setup><prefs><stat_ttl>6</stat_ttl></prefs></values>",
    )
    assert [c.tag for c in suspended] == ["status", "filter-id", "id"]
    assert _status(xml, "shop.example") == "16"
    one(
        xml,
        "webspace",
        "set",
        "<filter><name>shop.example</name></filter><values><gen_setup><status>0</status>"
        "</gen_setup></values>",
    )
    assert _status(xml, "shop.example") == "0"
    # Upgrade: the new plan's limits apply.
    switched = one(
        xml,
        "webspace",
        "switch-subscription",
        f"<filter><name>shop.example</name></filter><plan-guid>{pro}</plan-guid>",
    )
    assert switched.findtext("status") == "ok"
    limits = _limits(xml, "shop.example")
    assert (limits["max_db"], limits["disk_space"]) == ("10", "-1")
    subs = one(
        xml,
        "webspace",
        "get",
        "<filter><name>shop.example</name></filter><dataset><subscriptions/></dataset>",
    )
    assert subs.findtext("data/subscriptions/subscription/plan/plan-guid") == pro
    # The FTP password is kept nowhere.
    with panel.db.read() as conn:
        stored = repr(conn.execute(sa.select(tables.domain_settings)).all())
        stored += repr(conn.execute(sa.select(tables.domains)).all())
        stored += repr(conn.execute(sa.select(tables.events)).all())
    assert "Ftp-secret-1" not in stored
    gone = one(xml, "webspace", "del", "<filter><name>shop.example</name></filter>")
    assert gone.findtext("status") == "ok"
    miss = one(xml, "webspace", "get", "<filter><name>shop.example</name></filter><dataset/>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    with panel.db.read() as conn:
        left = conn.execute(sa.select(sa.func.count()).select_from(tables.subscription_plans))
        assert left.scalar() == 0
        left = conn.execute(sa.select(sa.func.count()).select_from(tables.domain_settings))
        assert left.scalar() == 0
    actions = [e.action for e in panel.events.list(obj_class="domain")]
    assert actions[0] == "domain_create" and actions[-1] == "domain_delete"
    assert "domain_update" in actions
    # A reseller deleted takes its customers' subscriptions, then its plans (the admin's
    # stay: the two above and whatever stock plans a fresh panel holds).
    with panel.db.read() as conn:
        admins = conn.execute(sa.select(sa.func.count()).select_from(tables.plans)).scalar()
    one(xml, "service-plan", "add", "<name>Rick plan</name>", key=world.reseller.key)
    on_rick = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>r.example</name><owner-login>carol</owner-login></gen_setup>"
        "<prefs><www>false</www></prefs><plan-name>Rick plan</plan-name>",
        key=world.reseller.key,
    )
    assert on_rick.findtext("status") == "ok"
    panel.accounts.delete(admin, world.reseller.account)
    with panel.db.read() as conn:
        for table in (tables.plans, tables.subscription_plans, tables.domain_settings):
            owned = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            assert owned == (admins if table is tables.plans else 0), table.name


def test_own_settings_win_over_the_plan_until_switch_rederives_them(xml: XmlClient) -> None:
    _plans(xml)
    one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>own.example</name></gen_setup>"
        "<limits><limit><name>max_db</name><value>7</value></limit></limits>"
        "<prefs><www>false</www></prefs>"
        "<performance><max_connections>20</max_connections></performance>"
        "<php-settings><setting><name>memory_limit</name><value>512M</value></setting>"
        "</php-settings><plan-external-id>whmcs-pro</plan-external-id>",
    )
    assert _limits(xml, "own.example")["max_db"] == "7"
    got = one(
        xml,
        "webspace",
        "get",
        "<filter><name>own.example</name></filter><dataset>"
        + "".join(f"<{d}/>" for d in ALL)
        + "</dataset>",
    )
    data = got.find("data")
    assert data is not None
    assert [c.tag for c in data] == list(ALL)
    assert got.findtext("data/prefs/www") == "false"
    assert got.findtext("data/performance/max_connections") == "20"
    assert named(got.find("data/php-settings"), "setting")["memory_limit"] == "512M"
    assert got.findtext("data/stat/sites") == "1"
    assert got.findtext("data/disk_usage/httpdocs") == "0"
    one(
        xml,
        "webspace",
        "switch-subscription",
        "<filter><name>own.example</name></filter><plan-external-id>whmcs-pro</plan-external-id>",
    )
    assert _limits(xml, "own.example")["max_db"] == "10"


def test_addon_plans_add_their_limits_and_can_be_removed(xml: XmlClient) -> None:
    basic, _pro = _plans(xml)
    addon = one(
        xml,
        "service-plan-addon",
        "add",
        "<name>More DB</name><limits><limit><name>max_db</name><value>3</value></limit></limits>",
    ).findtext("guid")
    one(
        xml,
        "webspace",
        "add",
        f"<gen_setup><name>a.example</name></gen_setup><plan-guid>{basic}</plan-guid>",
    )
    flt = "<filter><name>a.example</name></filter>"
    assert (
        one(xml, "webspace", "add-subscription", f"{flt}<plan-guid>{addon}</plan-guid>").findtext(
            "status"
        )
        == "ok"
    )
    assert _limits(xml, "a.example")["max_db"] == "5"
    again = one(xml, "webspace", "add-subscription", f"{flt}<plan-guid>{addon}</plan-guid>")
    assert error_of(again)[0] == 1019
    one(xml, "webspace", "remove-subscription", f"{flt}<plan-guid>{addon}</plan-guid>")
    assert _limits(xml, "a.example")["max_db"] == "2"
    twice = one(xml, "webspace", "remove-subscription", f"{flt}<plan-guid>{addon}</plan-guid>")
    assert error_of(twice) == (1013, "Add-on plan does not exist")


def test_unknown_plan_and_unknown_webspace_are_1013(xml: XmlClient, world: World) -> None:
    missing = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>b.example</name></gen_setup><plan-name>Nope</plan-name>",
    )
    assert error_of(missing) == (1013, "Service plan does not exist")
    for op, inner in (
        ("set", "<values><prefs><www>true</www></prefs></values>"),
        ("switch-subscription", "<no-plan/>"),
        ("get_traffic", ""),
        ("get-limit-descriptor", ""),
    ):
        miss = one(xml, "webspace", op, f"<filter><id>9999</id></filter>{inner}")
        assert error_of(miss) == (1013, "Webspace does not exist")
        assert miss.findtext("filter-id") == "9999"
    # The webspace was not made without its plan.
    assert (
        error_of(one(xml, "webspace", "get", "<filter><name>b.example</name></filter><dataset/>"))[
            0
        ]
        == 1013
    )
    # A reseller's customer takes its reseller's plans, not the admin's.
    _plans(xml)
    other = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>c.example</name><owner-login>carol</owner-login></gen_setup>"
        "<plan-name>Basic</plan-name>",
    )
    assert error_of(other)[0] == 1013


def test_webspace_set_bad_values_are_1019_and_change_nothing(xml: XmlClient) -> None:
    one(xml, "webspace", "add", "<gen_setup><name>dave.example</name></gen_setup>")
    bad = one(
        xml,
        "webspace",
        "set",
        "<filter><name>dave.example</name></filter><values><gen_setup><status>0</status></gen_setup>"
        "<limits><limit><name>max_db</name><value>many</value></limit></limits></values>",
    )
    assert error_of(bad) == (1019, "Invalid value of max_db: 'many'")
    unknown = one(
        xml,
        "webspace",
        "set",
        "<filter><name>dave.example</name></filter><values><hosting><vrt_hst>"
        "<property><name>no_such</name><value>1</value></property></vrt_hst></hosting></values>",
    )
    assert error_of(unknown)[0] == 1019


def test_webspace_requests_out_of_order_are_1014(xml: XmlClient) -> None:
    code, text = system_error(
        xml.call("<webspace><add><gen_setup><name>o.example</name></gen_setup>"
                 "<plan-name>Basic</plan-name><limits/></add></webspace>")
    )  # fmt: skip
    assert code == 1014 and "'limits'" in text
    # set takes Plesk's order for set: limits and prefs before hosting
    code, text = system_error(
        xml.call("<webspace><set><filter/><values><hosting><vrt_hst/></hosting>"
                 "<limits/></values></set></webspace>")
    )  # fmt: skip
    assert code == 1014 and "'limits'" in text
    code, text = system_error(
        xml.call("<webspace><get><filter/><dataset><limits/><limits/></dataset></get></webspace>")
    )
    assert code == 1014 and "'limits'" in text
    code, text = system_error(
        xml.call("<webspace><switch-subscription><plan-guid>x</plan-guid><filter/>"
                 "</switch-subscription></webspace>")
    )  # fmt: skip
    assert code == 1014 and "plan-guid" in text


def test_customers_read_their_webspace_but_do_not_run_it(xml: XmlClient, world: World) -> None:
    key = world.carol.key
    flt = "<filter><name>carol.example</name></filter>"
    own = one(xml, "webspace", "get", f"{flt}<dataset><limits/></dataset>", key=key)
    assert own.findtext("status") == "ok"
    for op, inner in (
        ("set", "<values><gen_setup><status>16</status></gen_setup></values>"),
        (
            "set",
            "<values><limits><limit><name>max_db</name><value>-1</value></limit></limits></values>",
        ),
        ("switch-subscription", "<no-plan/>"),
        ("del", ""),
    ):
        denied = one(xml, "webspace", op, f"{flt}{inner}", key=key)
        assert error_of(denied)[0] == 1006, op
    # Hosting settings need the manage_phosting permission, which carol lacks.
    hosting = (
        "<values><hosting><vrt_hst><property><name>ssl</name><value>false</value></property>"
        "</vrt_hst></hosting></values>"
    )
    assert error_of(one(xml, "webspace", "set", f"{flt}{hosting}", key=key))[0] == 1006
    one(
        xml,
        "webspace",
        "set",
        f"{flt}<values><permissions><permission><name>manage_phosting</name><value>true</value>"
        "</permission></permissions></values>",
    )
    assert one(xml, "webspace", "set", f"{flt}{hosting}", key=key).findtext("status") == "ok"
    # A reseller runs its customers' webspaces, not the admin's customers'.
    assert one(xml, "webspace", "set", f"{flt}<values><prefs><www>false</www></prefs></values>",
               key=world.reseller.key).findtext("status") == "ok"  # fmt: skip
    miss = one(xml, "webspace", "set", "<filter><name>dave.example</name></filter><values/>",
               key=world.reseller.key)  # fmt: skip
    assert error_of(miss) == (1013, "Webspace does not exist")


def test_descriptors_come_from_the_settings_tables(xml: XmlClient) -> None:
    ws = one(xml, "webspace", "add", "<gen_setup><name>dave.example</name></gen_setup>")
    for op, some in (
        ("get-limit-descriptor", ("max_db", "disk_space", "expiration")),
        ("get-permission-descriptor", ("manage_dns", "manage_phosting")),
        ("get-physical-hosting-descriptor", ("ftp_login", "php", "www_root")),
    ):
        server = one(xml, "webspace", op, "<filter/>")
        props = {p.findtext("name"): p for p in server.findall("descriptor/property")}
        assert set(some) <= props.keys(), op
        per = one(xml, "webspace", op, "<filter><name>dave.example</name></filter>")
        assert per.findtext("id") == ws.findtext("id")
        assert len(per.findall("descriptor/property")) == len(props)
    server = one(xml, "webspace", "get-limit-descriptor", "<filter/>")
    max_db = next(
        p for p in server.findall("descriptor/property") if p.findtext("name") == "max_db"
    )
    assert [c.tag for c in max_db] == ["name", "type", "default-value", "writable-by", "label"]
    assert (max_db.findtext("type"), max_db.findtext("default-value")) == ("int", "-1")


def test_get_traffic_is_zero_and_ip_outside_the_pool_is_refused(
    xml: XmlClient, world: World, panel: Panel, admin: Identity
) -> None:
    got = one(xml, "webspace", "get_traffic", "<filter><name>dave.example</name></filter>"
              "<since_date>2026-01-01</since_date>")  # fmt: skip
    assert got.findtext("traffic/date") == "2026-01-01"
    assert got.findtext("traffic/http_in") == "0"
    outside = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>ip.example</name><ip_address>203.0.113.9</ip_address></gen_setup>",
    )
    assert error_of(outside)[0] == 1013
    panel.ips.add(admin, address="203.0.113.9", netmask="255.255.255.0")
    inside = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>ip.example</name><ip_address>203.0.113.9</ip_address></gen_setup>",
    )
    assert inside.findtext("status") == "ok"
    # Not in the reseller's pool: refused for its customer.
    theirs = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>ip2.example</name><owner-login>carol</owner-login>"
        "<ip_address>203.0.113.9</ip_address></gen_setup>",
    )
    assert error_of(theirs)[0] == 1013


def test_subscriptions_made_over_xml_are_rest_domains(
    xml: XmlClient, ctx: Context, panel: Panel, tmp_path: Path
) -> None:
    _plans(xml)
    added = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>rest.example</name></gen_setup><plan-name>Basic</plan-name>",
    )
    api = Api(panel, ctx, tmp_path / "panel.ini")
    found = api.get(f"/domains/{added.findtext('id')}", auth=ADMIN)
    assert found.status_code == 200, found.text
    assert (found.json()["name"], found.json()["guid"]) == ("rest.example", added.findtext("guid"))
    listed = api.get("/domains", auth=ADMIN).json()
    assert "rest.example" in [d["name"] for d in listed]


def test_plan_in_use_cannot_be_deleted(xml: XmlClient) -> None:
    _plans(xml)
    one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>u.example</name></gen_setup><plan-name>Basic</plan-name>",
    )
    refused = one(xml, "service-plan", "del", "<filter><name>Basic</name></filter>")
    assert error_of(refused)[0] == 1023
    assert (
        results(
            xml.call("<service-plan><get><filter><name>Basic</name></filter></get></service-plan>"),
            "service-plan/get",
        )[0].findtext("status")
        == "ok"
    )


def test_plesks_own_orders_are_accepted(xml: XmlClient, world: World) -> None:
    """gen_setup in any order and datasets in any order, as Plesk's schema has them (the
    order Plesk's PHP SDK sends: name, htype, status, then ip_address)."""
    _plans(xml)
    added = one(
        xml,
        "webspace",
        "add",
        "<gen_setup><name>sdk.example</name><htype>vrt_hst</htype><status>0</status>"
        "<ip_address>127.0.0.1</ip_address><owner-login>dave</owner-login></gen_setup>"
        "<hosting><vrt_hst><property><name>ftp_login</name><value>sdkftp</value></property>"
        "<property><name>ftp_password</name><value>Sdk-secret-77</value></property>"
        "<ip_address>127.0.0.1</ip_address></vrt_hst></hosting>"
        "<limits><overuse>block</overuse><limit><name>mbox_quota</name><value>100</value>"
        "</limit></limits><prefs><stat_ttl>6</stat_ttl><www>false</www></prefs>"
        "<performance><bandwidth>120</bandwidth><max_connections>10000</max_connections>"
        "</performance><permissions><permission><name>manage_dns</name><value>true</value>"
        "</permission></permissions><php-settings><setting><name>memory_limit</name>"
        "<value>128M</value></setting></php-settings><plan-name>Basic</plan-name>",
    )
    assert added.findtext("status") == "ok", etree.tostring(added)
    got = one(
        xml,
        "webspace",
        "get",
        "<filter><name>sdk.example</name></filter><dataset><prefs/><limits/><gen_info/></dataset>",
    )
    data = got.find("data")
    assert data is not None and [c.tag for c in data] == ["gen_info", "limits", "prefs"]
    assert got.findtext("data/gen_info/owner-login") == "dave"
    assert got.findtext("data/prefs/www") == "false"
    assert named(got.find("data/limits"), "limit")["mbox_quota"] == "100"
    # set in Plesk's order for set, gen_setup children in any order
    done = one(
        xml,
        "webspace",
        "set",
        "<filter><name>sdk.example</name></filter><values>"
        "<gen_setup><description>shop</description><status>16</status></gen_setup>"
        "<limits><limit><name>max_db</name><value>4</value></limit></limits>"
        "<prefs><www>true</www></prefs>"
        "<hosting><vrt_hst><property><name>ssl</name><value>true</value></property>"
        "</vrt_hst></hosting></values>",
    )
    assert done.findtext("status") == "ok", etree.tostring(done)
    assert _status(xml, "sdk.example") == "16"
    assert _limits(xml, "sdk.example")["max_db"] == "4"
    # no name at all: refused, nothing made
    nameless = one(xml, "webspace", "add", "<gen_setup><htype>vrt_hst</htype></gen_setup>")
    assert error_of(nameless)[0] == 1019


# -- get, add and del: filters, datasets, rights ------------------------------------------


def _add_webspace(xml: XmlClient, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<webspace><add>{inner}</add></webspace>", key=key)
    (result,) = results(root, "webspace/add")
    return result


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_webspace_get_with_an_empty_filter_lists_every_webspace_with_www_root(
    xml: XmlClient, world: World
) -> None:
    found = domain_get(xml, "webspace")
    assert [r.findtext("data/gen_info/name") for r in found] == ["carol.example", "dave.example"]
    for r in found:
        assert [c.tag for c in r] == ["status", "filter-id", "id", "data"]
        assert r.findtext("status") == "ok"
        assert r.findtext("filter-id") == r.findtext("id")
        assert [c.tag for c in r.find("data")] == ["gen_info", "hosting"]  # type: ignore[union-attr]
        name = r.findtext("data/gen_info/ascii-name")
        assert hosting_props(r)["www_root"] == f"/var/www/vhosts/{name}/httpdocs"
        assert r.findtext("data/hosting/vrt_hst/ip_address") == "127.0.0.1"
    assert hosting_props(found[0])["ftp_login"] == "carolftp"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_webspace_gen_info_is_in_plesks_order(xml: XmlClient, world: World, panel: Panel) -> None:
    (r,) = domain_get(
        xml, "webspace", f"<id>{world.carol_ws}</id>", "<dataset><gen_info/></dataset>"
    )
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


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_filters_by_guid_owner_login_and_owner_id(
    xml: XmlClient, world: World, panel: Panel
) -> None:
    guid = domain_get(xml, "webspace", f"<id>{world.dave_ws}</id>")[0].findtext(
        "data/gen_info/guid"
    )
    (r,) = domain_get(xml, "webspace", f"<guid>{guid}</guid>")
    assert r.findtext("id") == str(world.dave_ws)
    by_login = domain_get(xml, "site", "<owner-login>carol</owner-login>", "<dataset/>")
    assert [x.findtext("id") for x in by_login] == [str(world.carol_ws), str(world.carol_site)]
    assert {x.findtext("filter-id") for x in by_login} == {"carol"}
    by_id = domain_get(
        xml, "webspace", f"<owner-id>{world.dave.account.id}</owner-id>", "<dataset/>"
    )
    assert [x.findtext("id") for x in by_id] == [str(world.dave_ws)]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_unknown_site_and_webspace_are_1013_with_their_texts(xml: XmlClient, world: World) -> None:
    (miss,) = domain_get(xml, "site", "<name>nowhere.example</name>")
    assert error_of(miss) == (1013, "Site does not exist")
    assert miss.findtext("filter-id") == "nowhere.example"
    (miss,) = domain_get(xml, "webspace", "<id>999999</id>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    assert (miss.findtext("filter-id"), miss.findtext("id")) == ("999999", "999999")
    # A site that is not a webspace is no webspace.
    (miss,) = domain_get(xml, "webspace", "<name>blog.carol.example</name>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    # One miss does not stop the others.
    found = domain_get(xml, "site", "<name>nowhere.example</name><name>dave.example</name>")
    assert [r.findtext("status") for r in found] == ["error", "ok"]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_customers_see_only_their_own_domains(xml: XmlClient, world: World) -> None:
    # an empty filter: add-on sites only (issue 21; main sites belong to webspace)
    mine = domain_get(xml, "site", dataset="<dataset/>", key=world.carol.key)
    assert [r.findtext("id") for r in mine] == [str(world.carol_site)]
    mine = domain_get(xml, "webspace", dataset="<dataset/>", key=world.carol.key)
    assert [r.findtext("id") for r in mine] == [str(world.carol_ws)]
    (other,) = domain_get(xml, "site", "<name>dave.example</name>", key=world.carol.key)
    assert error_of(other) == (1013, "Site does not exist")
    (other,) = domain_get(xml, "webspace", f"<id>{world.dave_ws}</id>", key=world.carol.key)
    assert error_of(other) == (1013, "Webspace does not exist")
    # Owner fields are for the admin and resellers.
    (own,) = domain_get(
        xml, "webspace", dataset="<dataset><gen_info/></dataset>", key=world.carol.key
    )
    assert own.find("data/gen_info/owner-login") is None


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_resellers_reach_their_customers_domains_only(xml: XmlClient, world: World) -> None:
    found = domain_get(xml, "site", dataset="<dataset/>", key=world.reseller.key)
    assert [r.findtext("id") for r in found] == [str(world.carol_site)]
    found = domain_get(xml, "webspace", dataset="<dataset/>", key=world.reseller.key)
    assert [r.findtext("id") for r in found] == [str(world.carol_ws)]
    (miss,) = domain_get(xml, "site", "<owner-login>dave</owner-login>", key=world.reseller.key)
    assert error_of(miss)[0] == 1013


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
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
    (r,) = domain_get(xml, "webspace", "<name>shop.example</name>")
    assert r.findtext("id") == result.findtext("id")
    assert r.findtext("data/gen_info/guid") == result.findtext("guid")
    assert r.findtext("data/gen_info/owner-login") == "dave"
    assert r.findtext("data/gen_info/dns_ip_address") == "192.0.2.7"
    assert hosting_props(r) == {
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


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_webspace_add_without_an_owner_belongs_to_the_caller(xml: XmlClient, world: World) -> None:
    result = _add_webspace(
        xml, "<gen_setup><name>mine.example</name></gen_setup>", world.reseller.key
    )
    assert result.findtext("status") == "ok"
    (r,) = domain_get(xml, "webspace", "<name>mine.example</name>")
    assert r.findtext("data/gen_info/owner-login") == "rick"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
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


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_webspace_add_is_validated_like_every_operator(xml: XmlClient, world: World) -> None:
    # gen_setup's children come in any order, as in Plesk; an unknown one is 1014
    root = xml.call(
        "<webspace><add><gen_setup><owner-login>dave</owner-login><name>a.example</name>"
        "<colour>red</colour></gen_setup></add></webspace>"
    )
    code, text = system_error(root)
    assert code == 1014 and "'colour'" in text


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_status_is_plesks_number(xml: XmlClient, world: World) -> None:
    _add_webspace(xml, "<gen_setup><name>off.example</name><status>16</status></gen_setup>")
    (r,) = domain_get(xml, "site", "<name>off.example</name>", "<dataset><gen_info/></dataset>")
    assert r.findtext("data/gen_info/status") == "16"
    assert r.findtext("data/gen_info/turn-off-action") == "disable"
    bad = _add_webspace(xml, "<gen_setup><name>bad.example</name><status>7</status></gen_setup>")
    assert error_of(bad)[0] == 1019


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
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
    (miss,) = domain_get(xml, "site", "<name>blog.carol.example</name>")
    assert error_of(miss)[0] == 1013


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_webspace_del_with_an_empty_filter_deletes_all_visible_once(
    xml: XmlClient, world: World
) -> None:
    root = xml.call("<webspace><del><filter/></del></webspace>", key=world.reseller.key)
    ids = [r.findtext("id") for r in results(root, "webspace/del")]
    assert ids == [str(world.carol_ws), str(world.carol_site)]
    assert [r.findtext("id") for r in domain_get(xml, "webspace", dataset="<dataset/>")] == [
        str(world.dave_ws)
    ]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
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
        found = domain_get(xml, "webspace", by, "<dataset><gen_info/></dataset>")
        assert [r.findtext("id") for r in found] == [str(world.carol_ws)], by
        assert found[0].findtext("data/gen_info/external-id") == "crm-7"
    (miss,) = domain_get(xml, "webspace", "<external-id>crm-8</external-id>")
    assert error_of(miss) == (1013, "Webspace does not exist")
    # a customer sees its own only
    (hidden,) = domain_get(xml, "webspace", "<external-id>crm-7</external-id>", key=world.dave.key)
    assert error_of(hidden)[0] == 1013
    child = xml.call(
        "<site><add><gen_setup><name>shop.blog.carol.example</name>"
        "<webspace-name>carol.example</webspace-name>"
        "<parent-site-name>blog.carol.example</parent-site-name></gen_setup></add></site>"
    )
    (made,) = results(child, "site/add")
    found = domain_get(xml, "site", f"<parent-site-id>{world.carol_site}</parent-site-id>")
    assert [r.findtext("id") for r in found] == [made.findtext("id")]
    # a parent site with no child: one bare ok
    (none,) = domain_get(xml, "site", f"<parent-site-id>{world.carol_ws}</parent-site-id>")
    assert [c.tag for c in none] == ["status"] and none.findtext("status") == "ok"
    xml.call(f"<webspace><del>{flt}</del></webspace>")
    (gone,) = domain_get(xml, "webspace", "<external-id>crm-7</external-id>")
    assert error_of(gone)[0] == 1013


# -- every operation: the table's rows (operation_table.py) -------------------------------


CAROL_WS = "<filter><id>{carol_ws}</id></filter>"
CASES = [
    Case(
        "webspace",
        "add",
        "<gen_setup><name>new.example</name><owner-login>dave</owner-login>"
        "<ip_address>192.0.2.10</ip_address></gen_setup><plan-name>Basic</plan-name>",
        "<add><gen_setup><name>new.example</name></gen_setup><plan-name>Basic</plan-name>"
        "<limits/></add>",
        "limits",
        "<gen_setup><name>new.example</name></gen_setup><plan-name>Nope</plan-name>",
        "Service plan does not exist",
        "carol",
    ),
    Case(
        "webspace",
        "get",
        "<filter><name>dave.example</name></filter><dataset><gen_info/><hosting/><limits/>"
        "<stat/><prefs/><disk_usage/><performance/><subscriptions/><permissions/><plan-items/>"
        "<php-settings/><resource-usage/><mail/></dataset>",
        "<get><dataset><gen_info/></dataset><filter/></get>",
        "dataset",
        "<filter><name>nowhere.example</name></filter><dataset><gen_info/></dataset>",
        "Webspace does not exist",
        "carol",
        1013,
    ),
    Case(
        "webspace",
        "set",
        "<filter><name>carol.example</name></filter><values><gen_setup><status>16</status>"
        "</gen_setup></values>",
        "<set><values/><filter><name>carol.example</name></filter></set>",
        "values",
        "<filter><name>nowhere.example</name></filter><values/>",
        "Webspace does not exist",
        "carol",
    ),
    Case(
        "webspace",
        "del",
        "<filter><name>carol.example</name></filter>",
        "<del><x/><filter><name>carol.example</name></filter></del>",
        "x",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "carol",
    ),
    Case(
        "webspace",
        "switch-subscription",
        "<filter><name>dave.example</name></filter><plan-guid>{basic}</plan-guid>",
        "<switch-subscription><plan-guid>{basic}</plan-guid><filter><name>dave.example</name>"
        "</filter></switch-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{basic}</plan-guid>",
        "Webspace does not exist",
        "dave",
    ),
    Case(
        "webspace",
        "add-subscription",
        "<filter><name>dave.example</name></filter><plan-guid>{extra}</plan-guid>",
        "<add-subscription><plan-guid>{extra}</plan-guid><filter><name>dave.example</name>"
        "</filter></add-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{extra}</plan-guid>",
        "Webspace does not exist",
        "dave",
    ),
    Case(
        "webspace",
        "remove-subscription",
        "<filter><name>carol.example</name></filter><plan-guid>{rick_extra}</plan-guid>",
        "<remove-subscription><plan-guid>{rick_extra}</plan-guid><filter><name>carol.example"
        "</name></filter></remove-subscription>",
        "plan-guid",
        "<filter><name>nowhere.example</name></filter><plan-guid>{rick_extra}</plan-guid>",
        "Webspace does not exist",
        "carol",
    ),
    *(
        Case(
            "webspace",
            op,
            "<filter><name>dave.example</name></filter>",
            f"<{op}><x/><filter><name>dave.example</name></filter></{op}>",
            "x",
            "<filter><name>nowhere.example</name></filter>",
            "Webspace does not exist",
            "carol",
            1013,
        )
        for op in (
            "get-limit-descriptor",
            "get-permission-descriptor",
            "get-physical-hosting-descriptor",
        )
    ),
    Case(
        "webspace",
        "get_traffic",
        "<filter><name>dave.example</name></filter><since_date>2026-01-01</since_date>",
        "<get_traffic><since_date>2026-01-01</since_date><filter><name>dave.example</name>"
        "</filter></get_traffic>",
        "since_date",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "carol",
        1013,
    ),
    *app_filter_cases(
        "webspace",
        "<filter><name>dave.example</name></filter>",
        "<filter><name>nowhere.example</name></filter>",
        "Webspace does not exist",
        "dave",
    ),
    set_traffic_case("webspace", "carol_ws"),
    *(
        Case(
            "webspace", op, CAROL_WS + PLAN_ITEM, f"<{op}>{PLAN_ITEM}{CAROL_WS}</{op}>",
            "plan-item", "<filter><id>4242</id></filter>" + PLAN_ITEM,
            "Webspace does not exist", "carol", before=before,
        )
        for op, before in (
            ("add-plan-item", ""),
            ("remove-plan-item",
             f"<webspace><add-plan-item>{CAROL_WS}{PLAN_ITEM}</add-plan-item></webspace>"),
        )
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
