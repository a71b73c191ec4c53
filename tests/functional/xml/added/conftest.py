"""The scene of tests/functional/xml/aps_rows.py for every table of this folder."""

from __future__ import annotations

import pytest

from tests.functional.xml.aps_rows import Scene, make_scene
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture


@pytest.fixture
def scene(xml: XmlClient, world: World) -> Scene:
    return make_scene(xml, world)
