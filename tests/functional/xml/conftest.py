"""Fixtures of the XML API tests: the face in-process over the `panel` fixture's store
(SQLite and PostgreSQL), driven from any client address."""

from __future__ import annotations

import pytest

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient


@pytest.fixture
def admin_key(panel: Panel, admin: Identity) -> str:
    """A key of the admin that any address may use."""
    value, _ = panel.keys.create(admin, addresses=None, face="cli")
    return value


@pytest.fixture
def xml(ctx: Context, admin_key: str) -> XmlClient:
    """The XML face, sending the admin's key unless told otherwise."""
    return XmlClient(ctx, admin_key)
