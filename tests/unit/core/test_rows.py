"""core/rows.py: every new object's row is stamped alike (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from panelkey.core.panel import Panel
from panelkey.core.rows import insert
from panelkey.store import tables
from tests import factories

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_new_objects_get_a_creation_stamp_and_their_own_guid(panel: Panel) -> None:
    admin = factories.admin(panel)
    carol, dave = factories.customer(panel, "carol"), factories.customer(panel, "dave")
    shop = factories.webspace(panel, "shop.example", owner=carol)
    plan = panel.plans.create(admin, "service", name="Gold")
    stamps = [(m.guid, m.created) for m in (carol, dave)] + [
        (shop.guid, shop.created),
        (plan.guid, plan.created),
    ]
    assert all(_GUID.match(guid) and _STAMP.match(created) for guid, created in stamps)
    assert len({guid for guid, _ in stamps}) == len(stamps)


def test_insert_answers_the_id_and_keeps_what_it_is_given(panel: Panel) -> None:
    a = tables.accounts
    row = {"type": "customer", "login": "erin", "login_key": "erin", "password_hash": "x"}
    with panel.db.begin() as conn:
        first = insert(conn, a, **row, guid="g-1", created="2020-01-02T03:04:05Z")
        second = insert(conn, a, **{**row, "login": "fay", "login_key": "fay"})
        # a table with neither a guid nor a created column gets neither
        assert insert(conn, tables.aps_filters) > 0
        got = conn.execute(
            sa.select(a.c.id, a.c.guid, a.c.created).where(a.c.id.in_([first, second]))
        ).all()
    by_id = {r.id: r for r in got}
    assert (by_id[first].guid, by_id[first].created) == ("g-1", "2020-01-02T03:04:05Z")
    assert _GUID.match(by_id[second].guid) and _STAMP.match(by_id[second].created)
    assert second > first
