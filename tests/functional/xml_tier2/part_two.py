"""Helpers of the mail, database, db_server and certificate tests: the XML face over the
`panel` fixture's store (SQLite and PostgreSQL, from the root conftest) and the world
of tests/functional/xml_domains (reseller rick with customer carol, the admin's
customer dave, a webspace each). Test modules import the fixtures from here."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error
from tests.functional.xml_domains.conftest import World, key_of
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture


@pytest.fixture
def xml(ctx: Context, panel: Panel, admin: Identity) -> XmlClient:
    """The XML face, sending the admin's key unless told otherwise."""
    return XmlClient(ctx, key_of(panel, admin))


def call(
    xml: XmlClient, operator: str, operation: str, inner: str, key: str | None = None
) -> etree._Element:
    """The answer packet of one operation."""
    return xml.call(f"<{operator}><{operation}>{inner}</{operation}></{operator}>", key=key)


def one(
    xml: XmlClient, operator: str, operation: str, inner: str, key: str | None = None
) -> etree._Element:
    """The single result of one operation."""
    found = results(call(xml, operator, operation, inner, key), f"{operator}/{operation}")
    assert len(found) == 1, [etree.tostring(r) for r in found]
    return found[0]


def ok(result: etree._Element) -> etree._Element:
    assert result.findtext("status") == "ok", etree.tostring(result)
    return result


def order_fault(xml: XmlClient, operator: str, operation: str, inner: str) -> str:
    """The text of the 1014 a packet out of Plesk's order gets."""
    code, text = system_error(call(xml, operator, operation, inner))
    assert code == 1014, text
    assert "Error in line" in text
    return text


__all__ = ["World", "call", "error_of", "one", "ok", "order_fault", "results"]
