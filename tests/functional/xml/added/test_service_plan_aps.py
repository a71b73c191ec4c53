"""service-plan: add-package, remove-package, enable-aps-filter, disable-aps-filter (the
plan's app filter, core/aps/filters.py); a subscription on the plan is offered what it
lists."""

from __future__ import annotations

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests.functional.xml.added.plan_rows import PACKAGE, rows
from tests.functional.xml.aps_rows import Case, Scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results

CASES = rows(
    "service-plan",
    "<filter><name>Basic</name></filter>",
    "<filter><name>Nope</name></filter>",
    "Service plan does not exist",
    "carol",
)


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)


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


def test_a_deleted_plan_takes_its_filter_along(xml: XmlClient, scene: Scene, panel: Panel) -> None:
    _plan(xml, "add-package", PACKAGE)
    root = xml.call("<service-plan><del><filter><name>Basic</name></filter></del></service-plan>")
    assert results(root, "service-plan/del")[0].findtext("status") == "ok"
    with panel.db.read() as conn:
        assert conn.execute(tables.aps_filters.select()).all() == []
        assert conn.execute(tables.aps_filter_items.select()).all() == []
