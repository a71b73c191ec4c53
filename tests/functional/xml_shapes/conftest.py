"""One store per test module for the request-shape cases (SQLite; each case makes its own
objects), with the admin's key."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.conftest import ADMIN_PASSWORD, CHEAP_HASHES
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_shapes.shapes import World


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("shapes")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PANELKEY_ADMIN_PASSWORD", ADMIN_PASSWORD)
        panel = Panel.open(f"sqlite:///{folder / 'panelkey.db'}")
        panel.bootstrap()
    settings = load_settings({"data_dir": str(folder), **CHEAP_HASHES}, environ={})
    ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
    admin = panel.accounts.admin()
    assert admin is not None
    key, _ = panel.keys.create(admin.identity(), addresses=None, face="cli")
    yield World(panel, XmlClient(ctx, key), itertools.count(1))
    panel.close()
