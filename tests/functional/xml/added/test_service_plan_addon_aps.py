"""service-plan-addon: add-package and remove-package, the apps an add-on brings."""

from __future__ import annotations

from panelkey.core.panel import Panel
from tests.functional.xml.added.plan_rows import rows
from tests.functional.xml.aps_rows import Case, Scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient

CASES = rows(
    "service-plan-addon",
    "<filter><name>Extra</name></filter>",
    "<filter><name>Nope</name></filter>",
    "Add-on plan does not exist",
    "carol",
    ("add-package", "remove-package"),
)


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)
