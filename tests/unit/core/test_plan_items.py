"""core/plans/items.py: a plan's items go with the plan (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from panelkey.core.panel import Panel
from tests import factories


@pytest.mark.parametrize("kind", ["service", "addon"])
def test_a_deleted_plan_leaves_no_items_behind(panel: Panel, kind: str) -> None:
    admin = factories.admin(panel)
    plan = panel.plans.create(admin, kind, name="Gold")
    kept = panel.plans.create(admin, kind, name="Silver")
    for target in (plan, kept):
        panel.plan_items.add(admin, target, "backup")
    panel.plan_items.add(admin, plan, "antispam")
    assert panel.plan_items.of_plan(plan) == ["antispam", "backup"]
    panel.plans.delete(admin, plan)
    assert panel.plan_items.of_plan(plan) == []
    # the other plan keeps its own
    assert panel.plan_items.of_plan(kept) == ["backup"]
