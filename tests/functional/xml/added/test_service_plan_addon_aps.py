"""service-plan-addon: add-package and remove-package, the apps an add-on brings."""

from __future__ import annotations

import pytest

from panelkey.core.panel import Panel
from tests.functional.xml.added.plan_rows import rows
from tests.functional.xml.aps_rows import Case, Scene, make_scene, parametrize, run
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

CASES = rows(
    "service-plan-addon",
    "<filter><name>Extra</name></filter>",
    "<filter><name>Nope</name></filter>",
    "Add-on plan does not exist",
    "carol",
    ("add-package", "remove-package"),
)


@pytest.fixture
def scene(xml: XmlClient, world: World) -> Scene:
    return make_scene(xml, world)


@parametrize(CASES)
def test_operation(xml: XmlClient, scene: Scene, panel: Panel, case: Case) -> None:
    run(xml, scene, panel, case)
