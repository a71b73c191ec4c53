"""Fixtures of the filter-engine tests (xmlapi/select.py across operators): the tier-1
ones (SQLite unless a test asks for both stores with
``@pytest.mark.parametrize("database_url", BOTH, indirect=True)``; the world of a
reseller `rick`, its customer `carol` with carol.example and blog.carol.example, the
admin's customer `dave` with dave.example; the admin's key)."""

from __future__ import annotations

from tests.functional.xml_tier1.conftest import (  # noqa: F401 - fixtures
    BOTH,
    World,
    database_url,
    one,
    world,
    xml,
)

__all__ = ["BOTH", "World", "one"]
