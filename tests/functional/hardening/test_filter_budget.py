"""A filter's items count against the packet's operations budget (issue 24, item 10): a
filter naming thousands of objects is thousands of lookups, refused before any runs."""

from __future__ import annotations

import time

import pytest

from panelkey.core.panel import Panel
from tests import factories
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import BOTH, error_of, results, system_error


def _get(ids: list[int] | range, operations: int = 1) -> str:
    one = (
        "<get><filter>"
        + "".join(f"<id>{n}</id>" for n in ids)
        + "</filter><dataset><gen_info/></dataset></get>"
    )
    return "<customer>" + one * operations + "</customer>"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_filter_of_twenty_thousand_items_is_refused_before_any_lookup(
    make_xml: MakeXml,
) -> None:
    xml = make_xml()
    started = time.perf_counter()
    code, text = system_error(xml.call(_get(range(1, 20_001))))
    elapsed = time.perf_counter() - started
    assert code == 1024
    assert "more than 1000 objects" in text and "maxOperationsPerPacket" in text
    # 20,000 lookups took 6 to 9.5 s; parsing the 400 KB packet takes a few tens of ms.
    assert elapsed < 1.5, elapsed


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_filter_of_a_few_hundred_items_still_answers_each(
    make_xml: MakeXml, panel: Panel
) -> None:
    made = [factories.customer(panel, f"fb{n}").id for n in range(3)]
    xml = make_xml()
    asked = [*made, *range(100_000, 100_297)]  # 300 items, 3 of them known
    found = results(xml.call(_get(asked)), "customer/get")
    assert len(found) == 300
    assert [r.findtext("id") for r in found[:3]] == [str(n) for n in made]
    assert all(r.findtext("status") == "ok" for r in found[:3])
    assert {error_of(r)[0] for r in found[3:]} == {1013}


def test_filter_items_and_operations_share_one_budget(make_xml: MakeXml, panel: Panel) -> None:
    """An operation counts as the items of its filter, at least one: 5 operations of
    2 items are 10, as 10 operations of one item are."""
    known = factories.customer(panel, "fb").id
    xml = make_xml(max_operations=10)
    assert len(results(xml.call(_get([known, known], 5)), "customer/get")) == 10
    assert len(results(xml.call(_get([known], 10)), "customer/get")) == 10
    assert len(results(xml.call(_get([], 4) + _get(range(1, 7))), "customer/get")) == 10
    code, text = system_error(xml.call(_get(range(1, 12))))
    assert code == 1024 and "11 objects" in text
    code, _ = system_error(xml.call(_get([known], 2) + _get(range(1, 10))))
    assert code == 1024


def test_a_change_whose_filter_is_over_the_budget_changes_nothing(
    make_xml: MakeXml, panel: Panel
) -> None:
    made = [factories.customer(panel, f"fd{n}").id for n in range(3)]
    xml = make_xml(max_operations=5)
    ids = "".join(f"<id>{n}</id>" for n in [*made, 900, 901, 902])
    code, _ = system_error(xml.call(f"<customer><del><filter>{ids}</filter></del></customer>"))
    assert code == 1024
    assert {a.id for a in panel.accounts.list()} >= set(made)
