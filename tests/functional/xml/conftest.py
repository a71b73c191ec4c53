"""Fixtures of the XML API tests: the face in-process over the `panel` fixture's store.

A test runs on SQLite unless it asks for both stores with
``@pytest.mark.parametrize("database_url", BOTH, indirect=True)`` (BOTH from
xml_helpers). `xml` sends the admin's key; `key_for(login)` makes a key acting as any
account; `world` is tests/factories.py's scene (reseller rick with customer carol, the
admin's customer dave, a webspace each); `scene` is what the every-operation table's
rows act on (operation_table.py); `legacy` speaks older protocol versions; `shape_world`
is one store per module for the request-shape cases in shapes/.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests import factories
from tests.conftest import ADMIN_PASSWORD, CHEAP_HASHES
from tests.functional.xml.operation_table import Scene, make_scene
from tests.functional.xml.shapes.shapes import World as ShapeWorld
from tests.functional.xml.xml_helpers import Legacy, XmlClient


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def admin_key(panel: Panel, admin: Identity) -> str:
    """A key of the admin that any address may use."""
    return factories.key_of(panel, admin)


@pytest.fixture
def xml(ctx: Context, admin_key: str) -> XmlClient:
    """The XML face, sending the admin's key unless told otherwise."""
    return XmlClient(ctx, admin_key)


@pytest.fixture
def key_for(panel: Panel, admin: Identity) -> Callable[[str], str]:
    """Makes a key acting as the account with that login."""

    def make(login: str) -> str:
        return factories.key_of(panel, admin, login)

    return make


@pytest.fixture
def world(panel: Panel, admin: Identity) -> factories.World:
    return factories.world(panel, admin)


@pytest.fixture
def legacy(xml: XmlClient) -> Legacy:
    """The XML face with the admin's key, at version 1.0.0.0 unless told."""
    return Legacy(xml)


@pytest.fixture(scope="module")
def shape_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShapeWorld]:
    """One store per module (SQLite; each request-shape case makes its own objects)."""
    folder: Path = tmp_path_factory.mktemp("shapes")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PANELKEY_ADMIN_PASSWORD", ADMIN_PASSWORD)
        panel = Panel.open(f"sqlite:///{folder / 'panelkey.db'}")
        panel.bootstrap()
    settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, environ={})
    ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
    admin = panel.accounts.admin()
    assert admin is not None
    key = factories.key_of(panel, admin.identity())
    yield ShapeWorld(panel, XmlClient(ctx, key), itertools.count(1))
    panel.close()


@pytest.fixture
def scene(xml: XmlClient, world: factories.World, panel: Panel, admin: Identity) -> Scene:
    """What the every-operation table's rows act on (operation_table.make_scene)."""
    return make_scene(xml, world, panel, admin)
