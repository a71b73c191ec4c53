"""reseller-plan: the plan's app filter; resellers on the plan are offered what it lists."""

from __future__ import annotations

from panelkey.core.panel import Panel
from tests.functional.xml.added.plan_rows import PACKAGE, rows
from tests.functional.xml.aps_rows import Case, Scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient, results

CASES = rows(
    "reseller-plan",
    "<filter><name>RP</name></filter>",
    "<filter><name>Nope</name></filter>",
    "Reseller plan does not exist",
    "rick",
)


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)


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
