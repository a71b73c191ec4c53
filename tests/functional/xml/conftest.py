"""Fixtures of the XML API tests: the face in-process over the `panel` fixture's store.

A test runs on SQLite unless it asks for both stores with
``@pytest.mark.parametrize("database_url", BOTH, indirect=True)`` (BOTH from
xml_helpers). `xml` sends the admin's key; `key_for(login)` makes a key acting as any
account; `world` is tests/factories.py's scene (reseller rick with customer carol, the
admin's customer dave, a webspace each); `scene` is what the every-operation table's
rows act on (operation_table.py); `legacy` speaks older protocol versions; `shape_world`
is one store per module for the request-shape cases in shapes/.

On SQLite a test that takes `scene` starts from a copy of a store the scene was made in
once per test process (`SceneTemplate`): the same admin key, world and scene, made in
the same order, for a file copy instead of some thirty writes.
"""

from __future__ import annotations

import copy
import itertools
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests import factories
from tests.conftest import ADMIN_PASSWORD, CHEAP_HASHES, MigratedTemplates, open_panel
from tests.functional.xml.operation_table import Scene, make_scene
from tests.functional.xml.shapes.shapes import World as ShapeWorld
from tests.functional.xml.xml_helpers import Legacy, XmlClient


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


@dataclass
class Made:
    """What a scene's store holds besides its rows: the values the fixtures hand out."""

    admin_key: str
    world: factories.World
    values: dict[str, str]


class SceneTemplate:
    """A SQLite store with the `scene` made in it (after the admin's key and the world,
    as the fixtures make them), made once per test process and copied per test. Made
    again when older than REMADE_AFTER seconds: the scene's session idles out in 30."""

    REMADE_AFTER = 600

    def __init__(self, folder: Path, stores: MigratedTemplates) -> None:
        self._folder = folder
        self._stores = stores
        self._made: Made | None = None
        self._at = 0.0

    def copy_to(self, url: str, monkeypatch: pytest.MonkeyPatch) -> Made:
        """Make the store at `url` (a SQLite file not there yet) a copy of the scene's."""
        if self._made is None or time.monotonic() - self._at > self.REMADE_AFTER:
            self._made = self._make(monkeypatch)
            self._at = time.monotonic()
        target = Path(url.removeprefix("sqlite:///"))
        shutil.copyfile(self._folder / "scene.db", target)
        target.chmod(0o600)
        return Made(self._made.admin_key, copy.deepcopy(self._made.world), dict(self._made.values))

    def _make(self, monkeypatch: pytest.MonkeyPatch) -> Made:
        path = self._folder / "scene.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        self._stores.fill(url)
        panel = open_panel(url, monkeypatch)
        try:
            settings = load_settings({"data_dir": str(self._folder), **CHEAP_HASHES}, environ={})
            ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
            account = panel.accounts.admin()
            assert account is not None
            admin = account.identity()
            key = factories.key_of(panel, admin)
            world = factories.world(panel, admin)
            made = make_scene(XmlClient(ctx, key), world, panel, admin)
        finally:
            panel.close()
        with sqlite3.connect(path) as conn:  # every page in the file, none in a WAL
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Made(key, world, made.values)


@pytest.fixture(scope="session")
def scene_template(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> SceneTemplate:
    return SceneTemplate(tmp_path_factory.mktemp("scene"), migrated_templates)


@pytest.fixture
def scene_made(
    request: pytest.FixtureRequest,
    database_url: str,
    scene_template: SceneTemplate,
    monkeypatch: pytest.MonkeyPatch,
) -> Made | None:
    """The scene's copied store, for a SQLite test that takes `scene` (None otherwise)."""
    if "scene" not in request.fixturenames or not database_url.startswith("sqlite:///"):
        return None
    return scene_template.copy_to(database_url, monkeypatch)


@pytest.fixture
def panel(
    scene_made: Made | None,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    migrated_templates: MigratedTemplates,
) -> Iterator[Panel]:
    """The root conftest's `panel`, on the scene's store where the test takes `scene`."""
    if scene_made is None:
        migrated_templates.fill(database_url)
    p = open_panel(database_url, monkeypatch)
    yield p
    p.close()


@pytest.fixture
def admin_key(panel: Panel, admin: Identity, scene_made: Made | None) -> str:
    """A key of the admin that any address may use."""
    if scene_made is not None:
        return scene_made.admin_key
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
def world(panel: Panel, admin: Identity, scene_made: Made | None) -> factories.World:
    if scene_made is not None:
        return scene_made.world
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
def scene(
    xml: XmlClient,
    world: factories.World,
    panel: Panel,
    admin: Identity,
    scene_made: Made | None,
) -> Scene:
    """What the every-operation table's rows act on (operation_table.make_scene)."""
    if scene_made is not None:
        return Scene(xml, panel, world, scene_made.values)
    return make_scene(xml, world, panel, admin)
