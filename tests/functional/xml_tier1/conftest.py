"""Fixtures of the tier-1 XML tests: SQLite unless a test asks for both stores with
``@pytest.mark.parametrize("database_url", BOTH, indirect=True)``; the world of
tests/functional/xml_domains (a reseller, its customer carol, the admin's customer
dave, a webspace each); keys acting as any login (``key_for``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, results
from tests.functional.xml_domains.conftest import World, key_of
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

BOTH = ["sqlite", "postgresql"]


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def xml(ctx: Context, panel: Panel, admin: Identity) -> XmlClient:
    """The XML face, sending the admin's key unless told otherwise."""
    return XmlClient(ctx, key_of(panel, admin))


@pytest.fixture
def key_for(panel: Panel, admin: Identity) -> Callable[[str], str]:
    """Makes a key acting as the account with that login."""

    def make(login: str) -> str:
        return key_of(panel, admin, login)

    return make


def one(
    xml: XmlClient, operator: str, operation: str, inner: str, key: str | None = None
) -> etree._Element:
    """The single result of one operation."""
    root = xml.call(f"<{operator}><{operation}>{inner}</{operation}></{operator}>", key=key)
    found = results(root, f"{operator}/{operation}")
    assert len(found) == 1, etree.tostring(root)
    return found[0]


def named(parent: etree._Element | None, item: str) -> dict[str, str]:
    """{name: value} of the name/value pairs `item` under `parent`."""
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


__all__ = ["BOTH", "World", "named", "one"]
