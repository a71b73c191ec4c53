"""Hardening fixtures: the faces in-process with abuse limits set short for the test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.conftest import CHEAP_HASHES
from tests.functional.xml.xml_helpers import XmlClient

MakeXml = Callable[..., XmlClient]


@pytest.fixture
def make_xml(panel: Panel, admin: Identity, tmp_path: Path) -> MakeXml:
    """An XML client over the `panel` store whose settings are the given flags, sending
    an admin key any address may use."""

    def make(ini: str = "", **flags: Any) -> XmlClient:
        (tmp_path / "panel.ini").write_text(ini)
        settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES, **flags}, environ={})
        ctx = Context(panel, settings, LivePanelIni(settings.panel_ini))
        value, _ = panel.keys.create(admin, addresses=None, face="cli")
        return XmlClient(ctx, value)

    return make
