"""Fixtures of the legacy-protocol tests: the XML face in-process on SQLite (unless a
test asks for both stores), driven at any protocol version by `Legacy`."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient, packet, results

OLD = "1.0.0.0"
NEW = "1.6.9.1"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'panelkey.db'}"
    return str(request.getfixturevalue("pg_url"))


class Legacy:
    """Sends packets of a chosen version and checks the answer's root carries the
    server's."""

    def __init__(self, client: XmlClient) -> None:
        self.client = client

    def call(
        self,
        inner: str,
        version: str | None = OLD,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> etree._Element:
        sent = dict(headers or {})
        if not any(h.lower() == "http_auth_login" for h in sent):
            sent["KEY"] = key if key is not None else self.client.key or ""
        response = self.client.request(packet(inner, version), sent)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml"
        root = etree.fromstring(response.content)
        assert root.tag == "packet"
        # the server's version, whatever the request's (spec/xml-api.md)
        assert root.get("version") == NEW, etree.tostring(root)
        return root

    def one(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> etree._Element:
        """The single result under `path`."""
        root = self.call(inner, version, key=key)
        found = results(root, path)
        assert len(found) == 1, etree.tostring(root)
        return found[0]

    def ok(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> etree._Element:
        result = self.one(inner, path, version, key=key)
        assert result.findtext("status") == "ok", etree.tostring(result)
        return result

    def error(
        self, inner: str, path: str, version: str | None = OLD, *, key: str | None = None
    ) -> tuple[int, str]:
        result = self.one(inner, path, version, key=key)
        assert result.findtext("status") == "error", etree.tostring(result)
        return int(result.findtext("errcode") or 0), result.findtext("errtext") or ""


def system_code(root: etree._Element) -> tuple[int, str]:
    system = root.find("system")
    assert system is not None, etree.tostring(root)
    return int(system.findtext("errcode") or 0), system.findtext("errtext") or ""


def key_of(panel: Panel, admin: Identity, login: str | None = None) -> str:
    """A key acting as `login` (the admin's own when None), usable from any address."""
    return panel.keys.create(admin, addresses=None, login=login, face="cli")[0]


@pytest.fixture
def legacy(ctx: Context, panel: Panel, admin: Identity) -> Legacy:
    """The XML face with the admin's key, at version 1.0.0.0 unless told."""
    return Legacy(XmlClient(ctx, key_of(panel, admin)))
