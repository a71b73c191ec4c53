"""REST fixtures: the app in-process over both stores, and a real server per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES, MigratedTemplates, Server, make_server, premigrated
from tests.functional.rest.rest_helpers import Api


@pytest.fixture
def api(panel: Panel, tmp_path: Path) -> Api:
    ini = tmp_path / "panel.ini"
    settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, {})
    return Api(panel, Context(panel, settings, LivePanelIni(ini)), ini)


@pytest.fixture
def admin_key(api: Api) -> dict[str, str]:
    return api.new_key()


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, migrated_templates: MigratedTemplates
) -> Iterator[Server]:
    """One real `panelkey serve` for a module whose tests do not disturb each other; its
    store is a copy of the migrated one (no test here is about a first start)."""
    server = premigrated(make_server(tmp_path_factory.mktemp("rest")), migrated_templates)
    server.start()
    yield server
    server.stop()
