"""Operators service-plan, service-plan-addon, reseller-plan: add, get, set, del; the
app filter of each (add-package, remove-package, enable-aps-filter, disable-aps-filter,
core/aps/filters.py): subscriptions and resellers on a plan are offered what it lists;
plan items, descriptors and duplicate: a copy carries the plan's values, and an item on a
plan shows on its subscriptions."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.core.server.stock import STOCK_PLANS
from panelkey.store import tables
from tests.factories import World
from tests.functional.xml.operation_table import (
    PACKAGE,
    PLAN_ITEM,
    Case,
    Scene,
    app_filter_cases,
    run,
)
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    all_ok,
    error_of,
    named,
    one,
    results,
    system_error,
)

STOCK = "Default Reseller"

GOLD = (
    "<name>Gold</name>"
    "<mail><nonexistent-user><bounce>No such user</bounce></nonexistent-user></mail>"
    "<limits><overuse>block</overuse>"
    "<limit><name>max_db</name><value>5</value></limit>"
    "<limit><name>disk_space</name><value>1073741824</value></limit></limits>"
    "<log-rotation><on><log-condition><log-bytime>weekly</log-bytime></log-condition>"
    "<log-max-num-files>7</log-max-num-files></on></log-rotation>"
    "<preferences><stat>6</stat></preferences>"
    "<hosting><property><name>php</name><value>false</value></property></hosting>"
    "<performance><bandwidth>1000</bandwidth></performance>"
    "<permissions><permission><name>manage_dns</name><value>true</value></permission></permissions>"
    "<php-settings><setting><name>memory_limit</name><value>256M</value></setting></php-settings>"
)


def test_service_plan_add_then_get_answers_every_block_in_plesks_order(
    xml: XmlClient, panel: Panel
) -> None:
    added = one(xml, "service-plan", "add", GOLD)
    assert [c.tag for c in added] == ["status", "id", "guid"]
    got = one(xml, "service-plan", "get", "<filter><name>Gold</name></filter>")
    assert [c.tag for c in got] == [
        "status", "filter-id", "id", "guid", "external-id", "name",
        "mail", "limits", "log-rotation", "preferences", "hosting",
        "performance", "permissions", "php-settings", "web-server-settings",
    ]  # fmt: skip
    assert (got.findtext("id"), got.findtext("guid")) == (
        added.findtext("id"),
        added.findtext("guid"),
    )
    assert got.findtext("mail/nonexistent-user/bounce") == "No such user"
    assert got.findtext("limits/overuse") == "block"
    limits = named(got.find("limits"), "limit")
    assert limits["max_db"] == "5" and limits["disk_space"] == "1073741824"
    assert limits["max_box"] == "-1"  # not set: Plesk's default, unlimited
    assert got.findtext("log-rotation/on/log-condition/log-bytime") == "weekly"
    assert got.findtext("log-rotation/on/log-max-num-files") == "7"
    assert got.findtext("preferences/stat") == "6"
    assert named(got.find("hosting"), "property")["php"] == "false"
    assert "ftp_login" not in named(got.find("hosting"), "property")
    assert got.findtext("performance/bandwidth") == "1000"
    assert named(got.find("permissions"), "permission")["manage_dns"] == "true"
    assert named(got.find("php-settings"), "setting")["memory_limit"] == "256M"
    events = panel.events.list(obj_class="service_plan")
    stock = [n for k, n, _ in STOCK_PLANS if k == "service"]  # made at the first start
    assert [(e.action, e.obj_name) for e in events] == [
        *(("service_plan_create", n) for n in stock),
        ("service_plan_create", "Gold"),
    ]


def test_service_plan_set_changes_only_what_is_given_and_del_removes_it(
    xml: XmlClient, panel: Panel
) -> None:
    gid = int(one(xml, "service-plan", "add", GOLD).findtext("id") or 0)
    done = one(
        xml,
        "service-plan",
        "set",
        "<filter><name>Gold</name></filter>"
        "<limits><limit><name>max_db</name><value>-1</value></limit></limits>"
        "<name>Platinum</name>",
    )
    assert done.findtext("status") == "ok"
    got = one(xml, "service-plan", "get", "<filter><name>Platinum</name></filter>")
    limits = named(got.find("limits"), "limit")
    assert (limits["max_db"], limits["disk_space"]) == ("-1", "1073741824")
    gone = one(xml, "service-plan", "del", "<filter><name>Platinum</name></filter>")
    assert gone.findtext("status") == "ok" and gone.findtext("id") == got.findtext("id")
    miss = one(xml, "service-plan", "get", "<filter><name>Platinum</name></filter>")
    assert error_of(miss) == (1013, "Service plan does not exist")
    actions = [e.action for e in panel.events.list(obj_class="service_plan") if e.obj_id == gid]
    assert actions == ["service_plan_create", "service_plan_update", "service_plan_delete"]


def test_service_plan_refusals_name_taken_bad_value_unknown_name(xml: XmlClient) -> None:
    one(xml, "service-plan", "add", "<name>Gold</name>")
    assert error_of(one(xml, "service-plan", "add", "<name>Gold</name>"))[0] == 1007
    bad = "<name>B</name><limits><limit><name>max_db</name><value>lots</value></limit></limits>"
    assert error_of(one(xml, "service-plan", "add", bad)) == (
        1019,
        "Invalid value of max_db: 'lots'",
    )
    unknown = (
        "<name>C</name><permissions>"
        "<permission><name>fly</name><value>true</value></permission></permissions>"
    )
    assert error_of(one(xml, "service-plan", "add", unknown))[0] == 1019
    per_domain = (
        "<name>D</name><hosting>"
        "<property><name>ftp_login</name><value>x</value></property></hosting>"
    )
    assert error_of(one(xml, "service-plan", "add", per_domain))[0] == 1019
    # Nothing half-written: the stock plans of a first start, and Gold.
    root = xml.call("<service-plan><get><filter/></get></service-plan>")
    stock = [n for k, n, _ in STOCK_PLANS if k == "service"]
    assert [r.findtext("name") for r in results(root, "service-plan/get")] == [*stock, "Gold"]


def test_service_plan_blocks_out_of_order_are_1014_naming_the_element(xml: XmlClient) -> None:
    root = xml.call("<service-plan><add><name>X</name><limits/><mail/></add></service-plan>")
    code, text = system_error(root)
    assert code == 1014 and "'mail'" in text


def test_unknown_plans_are_1013_with_plesks_text(xml: XmlClient) -> None:
    miss = one(xml, "service-plan", "del", "<filter><id>4242</id></filter>")
    assert error_of(miss) == (1013, "Service plan does not exist")
    assert miss.findtext("filter-id") == "4242"
    miss = one(xml, "service-plan-addon", "get", "<filter><guid>nope</guid></filter>")
    assert error_of(miss) == (1013, "Add-on plan does not exist")
    miss = one(xml, "reseller-plan", "set", "<filter><name>nope</name></filter><name>y</name>")
    assert error_of(miss) == (1013, "Reseller plan does not exist")


def test_resellers_manage_their_own_plans_and_customers_none(xml: XmlClient, world: World) -> None:
    one(xml, "service-plan", "add", "<name>Admin plan</name>")
    mine = one(xml, "service-plan", "add", "<name>Rick plan</name>", key=world.reseller.key)
    assert mine.findtext("status") == "ok"
    # The same name under another owner is no clash.
    assert one(xml, "service-plan", "add", "<name>Rick plan</name>").findtext("status") == "ok"
    root = xml.call("<service-plan><get><filter/></get></service-plan>", key=world.reseller.key)
    assert [r.findtext("name") for r in results(root, "service-plan/get")] == ["Rick plan"]
    miss = one(
        xml, "service-plan", "get", "<filter><name>Admin plan</name></filter>", world.reseller.key
    )
    assert error_of(miss)[0] == 1013
    # The admin sees a reseller's plans by owner, or all of them.
    by_owner = xml.call(
        "<service-plan><get><filter/><owner-login>rick</owner-login></get></service-plan>"
    )
    assert [r.findtext("name") for r in results(by_owner, "service-plan/get")] == ["Rick plan"]
    every = xml.call("<service-plan><get><filter/><owner-all/></get></service-plan>")
    stock = [n for k, n, _ in STOCK_PLANS if k == "service"]  # the admin's, from the first start
    assert len(results(every, "service-plan/get")) == 3 + len(stock)
    # The admin adds a plan to a reseller's list.
    given = one(
        xml, "service-plan-addon", "add", "<name>Extra</name><owner-login>rick</owner-login>"
    )
    assert given.findtext("status") == "ok"
    addons = xml.call(
        "<service-plan-addon><get><filter/></get></service-plan-addon>", key=world.reseller.key
    )
    assert [r.findtext("name") for r in results(addons, "service-plan-addon/get")] == ["Extra"]
    for operator in ("service-plan", "service-plan-addon", "reseller-plan"):
        denied = one(xml, operator, "get", "<filter/>", key=world.carol.key)
        assert error_of(denied)[0] == 1006
        denied = one(xml, operator, "add", "<name>Mine</name>", key=world.carol.key)
        assert error_of(denied)[0] == 1006
    assert (
        error_of(one(xml, "reseller-plan", "add", "<name>R</name>", key=world.reseller.key))[0]
        == 1006
    )


def test_addon_plan_add_get_set_del(xml: XmlClient) -> None:
    added = one(
        xml,
        "service-plan-addon",
        "add",
        "<name>More DB</name>"
        "<limits><limit><name>max_db</name><value>3</value></limit></limits>"
        "<external-id>ext-7</external-id>",
    )
    assert added.findtext("status") == "ok"
    got = one(xml, "service-plan-addon", "get", "<filter><external-id>ext-7</external-id></filter>")
    assert [c.tag for c in got][:6] == ["status", "filter-id", "id", "guid", "external-id", "name"]
    assert [c.tag for c in got][6:] == [
        "limits",
        "hosting",
        "performance",
        "permissions",
        "php-settings",
    ]
    assert named(got.find("limits"), "limit")["max_db"] == "3"
    one(
        xml,
        "service-plan-addon",
        "set",
        "<filter><name>More DB</name></filter><external-id>ext-8</external-id>",
    )
    got = one(xml, "service-plan-addon", "get", "<filter><name>More DB</name></filter>")
    assert got.findtext("external-id") == "ext-8"
    assert (
        one(xml, "service-plan-addon", "del", "<filter><name>More DB</name></filter>").findtext(
            "status"
        )
        == "ok"
    )
    # A service plan of that name is another object.
    assert (
        error_of(one(xml, "service-plan", "get", "<filter><name>More DB</name></filter>"))[0]
        == 1013
    )


def test_reseller_plan_add_get_set_del(xml: XmlClient, panel: Panel) -> None:
    added = one(
        xml,
        "reseller-plan",
        "add",
        "<name>Resell S</name><limits><resource-policy><oversell>true</oversell>"
        "<overuse>notify</overuse></resource-policy>"
        "<limit><name>max_cl</name><value>10</value></limit></limits>"
        "<permissions><permission><name>create_clients</name><value>true</value></permission></permissions>",
    )
    assert added.findtext("status") == "ok"
    got = one(xml, "reseller-plan", "get", "<filter><name>Resell S</name></filter>")
    assert got.findtext("name") == "Resell S"
    every = xml.call("<reseller-plan><get><filter><all/></filter></get></reseller-plan>")
    listed = [r.findtext("name") for r in results(every, "reseller-plan/get")]
    assert listed == ["Default Reseller", "Resell S"]  # Plesk's stock plan, then this one
    assert got.findtext("limits/resource-policy/oversell") == "true"
    assert got.findtext("limits/resource-policy/overuse") == "notify"
    assert named(got.find("limits"), "limit")["max_cl"] == "10"
    assert named(got.find("permissions"), "permission")["create_clients"] == "true"
    one(
        xml,
        "reseller-plan",
        "set",
        "<filter><name>Resell S</name></filter>"
        "<limits><limit><name>max_cl</name><value>20</value></limit></limits>",
    )
    got = one(xml, "reseller-plan", "get", f"<filter><id>{added.findtext('id')}</id></filter>")
    assert named(got.find("limits"), "limit")["max_cl"] == "20"
    bad = one(
        xml,
        "reseller-plan",
        "set",
        "<filter><name>Resell S</name></filter>"
        "<limits><limit><name>max_site_typo</name><value>1</value></limit></limits>",
    )
    assert error_of(bad)[0] == 1019
    assert (
        one(xml, "reseller-plan", "del", "<filter><name>Resell S</name></filter>").findtext(
            "status"
        )
        == "ok"
    )
    assert [
        e.action for e in panel.events.list(obj_class="reseller_plan") if e.obj_name != STOCK
    ] == [
        "reseller_plan_create",
        "reseller_plan_update",
        "reseller_plan_delete",
    ]
    root = xml.call("<reseller-plan><add><limits/><name>x</name></add></reseller-plan>")
    code, text = system_error(root)
    assert code == 1014 and "'limits'" in text


def test_reseller_plan_in_plesks_order_and_get_naming_the_blocks_it_wants(xml: XmlClient) -> None:
    added = one(
        xml,
        "reseller-plan",
        "add",
        "<name>Resell M</name><limits><limit><name>max_cl</name><value>4</value></limit>"
        "</limits><permissions><permission><name>create_clients</name><value>true</value>"
        "</permission></permissions><external-id>whmcs-rm</external-id>",
    )
    assert added.findtext("status") == "ok"
    flt = "<filter><external-id>whmcs-rm</external-id></filter>"
    got = one(xml, "reseller-plan", "get", f"{flt}<limits/>")
    assert [c.tag for c in got] == ["status", "filter-id", "id", "guid", "external-id", "name",
                                    "limits"]  # fmt: skip
    assert named(got.find("limits"), "limit")["max_cl"] == "4"
    got = one(xml, "reseller-plan", "get", f"{flt}<permissions/>")
    assert [c.tag for c in got][-1] == "permissions"
    assert "limits" not in [c.tag for c in got]
    both = one(xml, "reseller-plan", "get", flt)
    assert [c.tag for c in both][-2:] == ["limits", "permissions"]
    code, text = system_error(
        xml.call("<reseller-plan><get><filter/><permissions/><limits/></get></reseller-plan>")
    )
    assert code == 1014 and "'limits'" in text


def test_service_plan_external_id_sits_where_plesk_puts_it(xml: XmlClient) -> None:
    """After permissions and before php-settings, on add and on set (then the name)."""
    added = one(
        xml,
        "service-plan",
        "add",
        "<name>Ext</name><limits><limit><name>max_db</name><value>1</value></limit></limits>"
        "<permissions><permission><name>manage_dns</name><value>true</value></permission>"
        "</permissions><external-id>billing-7</external-id><php-settings><setting>"
        "<name>memory_limit</name><value>64M</value></setting></php-settings>",
    )
    assert added.findtext("status") == "ok"
    done = one(
        xml,
        "service-plan",
        "set",
        "<filter><external-id>billing-7</external-id></filter>"
        "<external-id>billing-8</external-id><name>Ext 2</name>",
    )
    assert done.findtext("status") == "ok"
    got = one(xml, "service-plan", "get", "<filter><external-id>billing-8</external-id></filter>")
    assert got.findtext("name") == "Ext 2"
    assert named(got.find("php-settings"), "setting")["memory_limit"] == "64M"
    code, text = system_error(
        xml.call("<service-plan><add><name>X</name><external-id>e</external-id><limits/>"
                 "</add></service-plan>")
    )  # fmt: skip
    assert code == 1014 and "'limits'" in text


def _offered(xml: XmlClient, webspace: str) -> list[str]:
    root = xml.call(
        f"<aps><get-packages-list-by-webspace><filter><name>{webspace}</name></filter>"
        "</get-packages-list-by-webspace></aps>"
    )
    (result,) = results(root, "aps/get-packages-list-by-webspace")
    assert result.findtext("status") == "ok"
    return [p.findtext("name") or "" for p in result.findall("package")]


def _plan(xml: XmlClient, operation: str, inner: str = "") -> None:
    root = xml.call(
        f"<service-plan><{operation}><filter><name>Basic</name></filter>{inner}"
        f"</{operation}></service-plan>"
    )
    (result,) = results(root, f"service-plan/{operation}")
    assert result.findtext("status") == "ok" and result.findtext("filter-id") == "Basic"


def test_a_package_added_to_a_plan_is_offered_to_its_subscriptions(
    xml: XmlClient, scene: Scene, panel: Panel, admin: Identity
) -> None:
    for name in ("Joomla", "Drupal"):
        xml.call(f"<aps><download-package><package><name>{name}</name></package>"
                 "</download-package></aps>")  # fmt: skip
    (basic,) = [p for p in panel.plans.list(admin, "service") if p.name == "Basic"]
    root = xml.call(
        "<webspace><switch-subscription><filter><name>dave.example</name></filter>"
        f"<plan-guid>{basic.guid}</plan-guid></switch-subscription></webspace>"
    )
    assert results(root, "webspace/switch-subscription")[0].findtext("status") == "ok"
    # no filter: every package
    assert _offered(xml, "dave.example") == ["WordPress", "Joomla", "Drupal"]
    _plan(xml, "enable-aps-filter")
    assert _offered(xml, "dave.example") == []
    _plan(xml, "add-package", PACKAGE)
    assert _offered(xml, "dave.example") == ["WordPress"]
    # an add-on of the subscription adds its apps
    extra = xml.call(
        "<service-plan-addon><add-package><filter><name>Extra</name></filter><package>"
        "<name>name</name><value>drupal</value></package></add-package></service-plan-addon>"
    )
    assert results(extra, "service-plan-addon/add-package")[0].findtext("status") == "ok"
    (addon,) = [p for p in panel.plans.list(admin, "addon") if p.name == "Extra"]
    xml.call(
        "<webspace><add-subscription><filter><name>dave.example</name></filter>"
        f"<plan-guid>{addon.guid}</plan-guid></add-subscription></webspace>"
    )
    assert _offered(xml, "dave.example") == ["WordPress", "Drupal"]
    # carol's webspace is on no plan: every package
    assert _offered(xml, "carol.example") == ["WordPress", "Joomla", "Drupal"]
    _plan(xml, "remove-package", PACKAGE)
    assert _offered(xml, "dave.example") == ["Drupal"]
    # removing what the plan does not list: 1013, nothing changed
    root = xml.call(
        f"<service-plan><remove-package><filter><name>Basic</name></filter>{PACKAGE}"
        "</remove-package></service-plan>"
    )
    assert error_of(results(root, "service-plan/remove-package")[0])[0] == 1013
    _plan(xml, "disable-aps-filter")
    assert _offered(xml, "dave.example") == ["WordPress", "Joomla", "Drupal"]


def test_a_reseller_filters_its_own_plans_only(xml: XmlClient, scene: Scene) -> None:
    rick = scene.key("rick")
    made = xml.call("<service-plan><add><name>Rick basic</name></add></service-plan>", key=rick)
    assert results(made, "service-plan/add")[0].findtext("status") == "ok"
    root = xml.call(
        f"<service-plan><add-package><filter><name>Rick basic</name></filter>{PACKAGE}"
        "</add-package></service-plan>",
        key=rick,
    )
    assert results(root, "service-plan/add-package")[0].findtext("status") == "ok"
    # the admin's plan is out of a reseller's reach
    root = xml.call(
        f"<service-plan><add-package><filter><name>Basic</name></filter>{PACKAGE}"
        "</add-package></service-plan>",
        key=rick,
    )
    assert error_of(results(root, "service-plan/add-package")[0])[0] == 1013


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_deleted_plan_takes_its_filter_along(xml: XmlClient, scene: Scene, panel: Panel) -> None:
    _plan(xml, "add-package", PACKAGE)
    root = xml.call("<service-plan><del><filter><name>Basic</name></filter></del></service-plan>")
    assert results(root, "service-plan/del")[0].findtext("status") == "ok"
    with panel.db.read() as conn:
        assert conn.execute(tables.aps_filters.select()).all() == []
        assert conn.execute(tables.aps_filter_items.select()).all() == []


def test_a_reseller_on_the_plan_is_offered_what_it_lists(xml: XmlClient, scene: Scene) -> None:
    xml.call(
        "<aps><download-package><package><name>Joomla</name></package></download-package></aps>"
    )
    root = xml.call(
        "<reseller><switch-subscription><filter><login>rick</login></filter>"
        "<plan-name>RP</plan-name></switch-subscription></reseller>"
    )
    assert results(root, "reseller/switch-subscription")[0].findtext("status") == "ok", root
    root = xml.call(
        f"<reseller-plan><add-package><filter><name>RP</name></filter>{PACKAGE}</add-package>"
        "</reseller-plan>"
    )
    assert results(root, "reseller-plan/add-package")[0].findtext("status") == "ok"
    root = xml.call(
        "<aps><get-packages-list-by-reseller><filter><login>rick</login></filter>"
        "</get-packages-list-by-reseller></aps>"
    )
    (result,) = results(root, "aps/get-packages-list-by-reseller")
    assert [p.findtext("name") for p in result.findall("package")] == ["WordPress"]
    assert result.findtext("filter-id") == "rick"
    # and so are the subscriptions of its customers
    root = xml.call(
        "<aps><get-packages-list-by-webspace><filter><name>carol.example</name></filter>"
        "</get-packages-list-by-webspace></aps>"
    )
    (result,) = results(root, "aps/get-packages-list-by-webspace")
    assert [p.findtext("name") for p in result.findall("package")] == ["WordPress"]


# -- plan items and duplicates ------------------------------------------------------------


PLANS = (
    "<service-plan><add><name>Basic</name><limits><limit><name>max_site</name>"
    "<value>7</value></limit></limits></add></service-plan>"
    "<service-plan-addon><add><name>Extra</name></add></service-plan-addon>"
    "<reseller-plan><add><name>RP</name></add></reseller-plan>"
)


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_duplicate_has_the_plans_values_and_items(xml: XmlClient, world: World) -> None:
    xml.call(PLANS)
    all_ok(xml.call(f"<service-plan><add-plan-item><filter><name>Basic</name></filter>{PLAN_ITEM}"
                "</add-plan-item></service-plan>"), "service-plan/add-plan-item")  # fmt: skip
    (made,) = all_ok(
        xml.call("<service-plan><duplicate><filter><name>Basic</name></filter>"
                 "<duplicate-name>Copy</duplicate-name></duplicate></service-plan>"),
        "service-plan/duplicate",
    )  # fmt: skip
    assert made.findtext("filter-id") == "Basic" and made.findtext("guid")
    got = xml.call(
        "<service-plan><get><filter><name>Basic</name><name>Copy</name></filter></get>"
        "</service-plan>"
    )
    original, copy = all_ok(got, "service-plan/get")
    assert copy.findtext("name") == "Copy" and copy.findtext("guid") == made.findtext("guid")
    limits = [(r.findtext("limits"), r.find("limits")) for r in (original, copy)]
    assert etree.tostring(limits[0][1]) == etree.tostring(limits[1][1])
    assert "7" in [v.text for v in copy.iter("value")]
    # the copy's name is taken now
    root = xml.call("<service-plan><duplicate><filter><name>Basic</name></filter>"
                    "<duplicate-name>Copy</duplicate-name></duplicate></service-plan>")  # fmt: skip
    assert error_of(results(root, "service-plan/duplicate")[0])[0] != 0


def test_a_duplicate_answers_the_copys_id_once(xml: XmlClient, world: World) -> None:
    xml.call(PLANS)
    (made,) = all_ok(
        xml.call("<service-plan><duplicate><filter><name>Basic</name></filter>"
                 "<duplicate-name>Copy</duplicate-name></duplicate></service-plan>"),
        "service-plan/duplicate",
    )  # fmt: skip
    (copy,) = all_ok(
        xml.call("<service-plan><get><filter><name>Copy</name></filter></get></service-plan>"),
        "service-plan/get",
    )
    assert [c.tag for c in made] == ["status", "filter-id", "id", "guid"]
    assert made.findtext("id") == copy.findtext("id")


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_an_item_on_a_plan_shows_on_its_subscription(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    xml.call(PLANS)
    (basic,) = [p for p in panel.plans.list(admin, "service") if p.name == "Basic"]
    xml.call(
        "<webspace><switch-subscription><filter><name>dave.example</name></filter>"
        f"<plan-guid>{basic.guid}</plan-guid></switch-subscription></webspace>"
    )
    xml.call(f"<service-plan><add-plan-item><filter><name>Basic</name></filter>{PLAN_ITEM}"
             "</add-plan-item></service-plan>")  # fmt: skip
    (got,) = all_ok(
        xml.call("<webspace><get><filter><name>dave.example</name></filter><dataset>"
                 "<plan-items/></dataset></get></webspace>"),
        "webspace/get",
    )  # fmt: skip
    assert [n.text for n in got.iterfind("data/plan-items/plan-item/name")] == ["Backup"]
    # removing what the plan does not carry: 1013
    other = "<plan-item><name>Other</name></plan-item>"
    root = xml.call(
        "<service-plan><remove-plan-item><filter><name>Basic</name></filter>"
        f"{other}</remove-plan-item></service-plan>"
    )
    assert error_of(results(root, "service-plan/remove-plan-item")[0]) == (
        1013,
        "Plan item does not exist",
    )


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    *(
        case
        for operator, name, missing in (
            ("service-plan", "Basic", "Service plan does not exist"),
            ("service-plan-addon", "Extra", "Add-on plan does not exist"),
            ("reseller-plan", "RP", "Reseller plan does not exist"),
        )
        for case in (
            Case(
                operator,
                "add",
                "<name>Fresh</name><limits><limit><name>max_db</name><value>3</value></limit>"
                "</limits>"
                if operator != "reseller-plan"
                else "<name>Fresh</name><limits><limit><name>max_cl</name><value>3</value>"
                "</limit></limits>",
                "<add><limits/><name>Fresh</name></add>",
                "limits",
                None,
                "",
                "carol",
            ),
            Case(
                operator,
                "get",
                f"<filter><name>{name}</name></filter>",
                f"<get><x/><filter><name>{name}</name></filter></get>",
                "x",
                "<filter><name>Nope</name></filter>",
                missing,
                "carol",
            ),
            Case(
                operator,
                "set",
                f"<filter><name>{name}</name></filter><external-id>ext-{name}</external-id>",
                f"<set><x/><filter><name>{name}</name></filter></set>",
                "x",
                "<filter><name>Nope</name></filter><external-id>e</external-id>",
                missing,
                "carol",
            ),
            Case(
                operator,
                "del",
                f"<filter><name>{name}</name></filter>",
                f"<del><x/><filter><name>{name}</name></filter></del>",
                "x",
                "<filter><name>Nope</name></filter>",
                missing,
                "carol",
            ),
        )
    ),
    *app_filter_cases(
        "service-plan",
        "<filter><name>Basic</name></filter>",
        "<filter><name>Nope</name></filter>",
        "Service plan does not exist",
        "carol",
    ),
    *app_filter_cases(
        "service-plan-addon",
        "<filter><name>Extra</name></filter>",
        "<filter><name>Nope</name></filter>",
        "Add-on plan does not exist",
        "carol",
        ("add-package", "remove-package"),
    ),
    *app_filter_cases(
        "reseller-plan",
        "<filter><name>RP</name></filter>",
        "<filter><name>Nope</name></filter>",
        "Reseller plan does not exist",
        "rick",
    ),
    *(
        Case(
            operator, operation, f"<filter><name>{name}</name></filter>{after}",
            misordered or f"<{operation}><owner-all/><filter><name>{name}</name></filter>"
            f"</{operation}>",
            late, f"<filter><name>Nope</name></filter>{after}", missing, "carol", before=before,
        )
        for operator, name, missing in (
            ("service-plan", "Basic", "Service plan does not exist"),
            ("service-plan-addon", "Extra", "Add-on plan does not exist"),
        )
        for operation, after, late, misordered, before in (
            *(
                (f"get-{what}-descriptor", "", "owner-all", "", "")
                for what in ("limit", "permission", "physical-hosting")
            ),
            (
                "duplicate", "<duplicate-name>Copy</duplicate-name>", "duplicate-name",
                f"<duplicate><duplicate-name>Copy</duplicate-name><filter><name>{name}</name>"
                "</filter></duplicate>", "",
            ),
            *(
                (
                    op, PLAN_ITEM, "plan-item",
                    f"<{op}>{PLAN_ITEM}<filter><name>{name}</name></filter></{op}>",
                    "" if op == "add-plan-item" else
                    "<service-plan><add-plan-item><filter><name>Basic</name></filter>"
                    f"{PLAN_ITEM}</add-plan-item></service-plan>",
                )
                for op in ("add-plan-item", "remove-plan-item")
                if operator == "service-plan"
            ),
        )
    ),
    *(
        Case(
            "reseller-plan", f"get-{what}-descriptor", "<filter><name>RP</name></filter>",
            f"<get-{what}-descriptor><filter/><x/></get-{what}-descriptor>", "x",
            "<filter><name>Nope</name></filter>", "Reseller plan does not exist", "rick",
        )
        for what in ("limit", "permission")
    ),
    Case(
        "reseller-plan", "duplicate", "<name>RP</name><duplicate-name>RP copy</duplicate-name>",
        "<duplicate><duplicate-name>X</duplicate-name><name>RP</name></duplicate>",
        "duplicate-name", "<name>Nope</name><duplicate-name>X</duplicate-name>",
        "Reseller plan does not exist", "rick",
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
