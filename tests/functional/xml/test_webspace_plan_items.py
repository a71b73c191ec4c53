"""Operator webspace, its plan items: an item added to a subscription shows in its get,
and is gone once removed. The rows are in test_webspace.py."""

from __future__ import annotations

import pytest

from tests.factories import World
from tests.functional.xml.operation_table import PLAN_ITEM
from tests.functional.xml.xml_helpers import BOTH, XmlClient, all_ok


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_an_item_added_to_a_webspace_shows_in_its_get(xml: XmlClient, world: World) -> None:
    flt = f"<filter><id>{world.carol_ws}</id></filter>"
    all_ok(xml.call(f"<webspace><add-plan-item>{flt}{PLAN_ITEM}</add-plan-item></webspace>"),
           "webspace/add-plan-item")  # fmt: skip
    get = f"<webspace><get>{flt}<dataset><plan-items/></dataset></get></webspace>"
    (got,) = all_ok(xml.call(get), "webspace/get")
    assert [n.text for n in got.iterfind("data/plan-items/plan-item/name")] == ["Backup"]
    all_ok(xml.call(f"<webspace><remove-plan-item>{flt}{PLAN_ITEM}</remove-plan-item></webspace>"),
           "webspace/remove-plan-item")  # fmt: skip
    (got,) = all_ok(xml.call(get), "webspace/get")
    assert got.findall("data/plan-items/plan-item") == []
