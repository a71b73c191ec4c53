"""reseller: the reseller's own app filter, over its reseller plan's."""

from __future__ import annotations

from panelkey.core.aps.filters import account_owner
from panelkey.core.panel import Panel
from tests.functional.xml.added.plan_rows import PACKAGE, rows
from tests.functional.xml.aps_rows import Case, Scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results

CASES = rows(
    "reseller",
    "<filter><login>rick</login></filter>",
    "<filter><login>ghost</login></filter>",
    "Reseller does not exist",
    "rick",
)


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)


def _offered(xml: XmlClient) -> list[str | None]:
    root = xml.call(
        "<aps><get-packages-list-by-reseller><filter><login>rick</login></filter>"
        "</get-packages-list-by-reseller></aps>"
    )
    (result,) = results(root, "aps/get-packages-list-by-reseller")
    return [p.findtext("name") for p in result.findall("package")]


def test_the_resellers_filter_narrows_what_it_and_its_customers_are_offered(
    xml: XmlClient, scene: Scene, panel: Panel
) -> None:
    xml.call(
        "<aps><download-package><package><name>Joomla</name></package></download-package></aps>"
    )
    assert _offered(xml) == ["WordPress", "Joomla"]
    root = xml.call("<reseller><enable-aps-filter><filter><login>rick</login></filter>"
                    "</enable-aps-filter></reseller>")  # fmt: skip
    (result,) = results(root, "reseller/enable-aps-filter")
    assert result.findtext("status") == "ok" and result.findtext("id") == scene.values["rick"]
    assert _offered(xml) == []
    xml.call(f"<reseller><add-package><filter><login>rick</login></filter>{PACKAGE}"
             "</add-package></reseller>")  # fmt: skip
    assert _offered(xml) == ["WordPress"]
    # a package property it does not know: 1019
    root = xml.call(
        "<reseller><add-package><filter><login>rick</login></filter><package>"
        "<name>colour</name><value>x</value></package></add-package></reseller>"
    )
    assert error_of(results(root, "reseller/add-package")[0])[0] == 1019
    # the reseller goes, its filter with it
    xml.call("<reseller><del><filter><login>rick</login></filter></del></reseller>")
    assert panel.aps_filters.items(account_owner(scene.world.reseller.account)) is None
