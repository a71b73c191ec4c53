"""Operator webspace, tier 1: subscriptions on plans, settings, suspension, switching,
add-ons, descriptors, traffic; what a billing integration runs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error
from tests.functional.xml_tier1.conftest import BOTH, World, named, one

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
