"""core/refs.py: how a request names one object, read once for every finder."""

from __future__ import annotations

from typing import Any

import pytest

from panelkey.core.refs import resolve

ACCOUNTS = ("id", "login", "guid", "external-id")


@pytest.mark.parametrize(
    ("ref", "resolved"),
    [
        (("id", 7), ("id", 7)),
        (("id", " 7 "), ("id", 7)),
        (("owner-id", "12"), ("id", 12)),
        (("owner-login", " carol "), ("login", "carol")),
        (("new-owner-login", "carol"), ("login", "carol")),
        (("owner-guid", "AB-CD"), ("guid", "AB-CD")),
        (("owner-external-id", "ext-1"), ("external-id", "ext-1")),
        (("external_id", "ext-1"), ("external-id", "ext-1")),
        # what names nothing a finder could find
        (("id", "seven"), None),
        (("id", "²"), None),
        (("id", -1), None),
        (("id", True), None),
        (("id", 2**64), None),
        (("login", "  "), None),
        (("login", 5), None),
        (("name", "example.com"), None),
        (("grid", "x"), None),
        # REST's mapping, read in the finder's order of kinds
        ({"login": "carol"}, ("login", "carol")),
        ({"guid": "g", "login": "carol"}, ("login", "carol")),
        ({"id": 3, "login": "carol"}, ("id", 3)),
        ({"external_id": "e"}, ("external-id", "e")),
        ({"id": None, "login": "", "guid": "g"}, ("guid", "g")),
        ({}, None),
        ({"name": "x"}, None),
    ],
)
def test_a_reference_is_read_alike_from_every_face(
    ref: Any, resolved: tuple[str, Any] | None
) -> None:
    assert resolve(ref, ACCOUNTS) == resolved


def test_the_kinds_are_the_finders_own() -> None:
    domains = ("id", "name", "guid", "external-id")
    assert resolve(("webspace-name", "example.com"), domains) == ("name", "example.com")
    assert resolve(("parent-site-guid", "g"), domains) == ("guid", "g")
    assert resolve(("owner-login", "carol"), domains) is None
    assert resolve({"name": "example.com", "login": "x"}, domains) == ("name", "example.com")
