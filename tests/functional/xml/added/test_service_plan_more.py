"""service-plan, service-plan-addon, reseller-plan: plan items, descriptors, duplicate
(a row per operation, tests/functional/xml/rows.py); a copy carries the plan's values,
and an item on a plan shows on its subscriptions."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

PLANS = (
    "<service-plan><add><name>Basic</name><limits><limit><name>max_site</name>"
    "<value>7</value></limit></limits></add></service-plan>"
    "<service-plan-addon><add><name>Extra</name></add></service-plan-addon>"
    "<reseller-plan><add><name>RP</name></add></reseller-plan>"
)
ITEM = "<plan-item><name>Backup</name></plan-item>"
OPERATORS = {
    "service-plan": ("Basic", "Service plan does not exist"),
    "service-plan-addon": ("Extra", "Add-on plan does not exist"),
}


def _filtered(operator: str, operation: str, after: str = "", **kw: str) -> Case:
    name, missing = OPERATORS[operator]
    flt = f"<filter><name>{name}</name></filter>"
    late = kw.pop("late", "owner-all")
    misordered = kw.pop("misordered", f"<{operation}><owner-all/>{flt}</{operation}>")
    return Case(
        operator, operation, flt + after, misordered, late,
        f"<filter><name>Nope</name></filter>{after}", missing, "carol",
        before=kw.pop("before", PLANS),
    )  # fmt: skip


CASES = [
    _filtered(
        "service-plan", "add-plan-item", ITEM, late="plan-item",
        misordered=f"<add-plan-item>{ITEM}<filter><name>Basic</name></filter></add-plan-item>",
    ),
    _filtered(
        "service-plan", "remove-plan-item", ITEM, late="plan-item",
        misordered=f"<remove-plan-item>{ITEM}<filter><name>Basic</name></filter></remove-plan-item>",
        before=PLANS + "<service-plan><add-plan-item><filter><name>Basic</name></filter>"
        f"{ITEM}</add-plan-item></service-plan>",
    ),
    *(
        _filtered(op, f"get-{what}-descriptor")
        for op in OPERATORS
        for what in ("limit", "permission", "physical-hosting")
    ),
    *(
        _filtered(
            op, "duplicate", "<duplicate-name>Copy</duplicate-name>", late="duplicate-name",
            misordered=f"<duplicate><duplicate-name>Copy</duplicate-name><filter><name>"
            f"{OPERATORS[op][0]}</name></filter></duplicate>",
        )
        for op in OPERATORS
    ),
    *(
        Case(
            "reseller-plan", f"get-{what}-descriptor", "<filter><name>RP</name></filter>",
            f"<get-{what}-descriptor><filter/><x/></get-{what}-descriptor>", "x",
            "<filter><name>Nope</name></filter>", "Reseller plan does not exist", "rick",
            before=PLANS,
        )
        for what in ("limit", "permission")
    ),
    Case(
        "reseller-plan", "duplicate", "<name>RP</name><duplicate-name>RP copy</duplicate-name>",
        "<duplicate><duplicate-name>X</duplicate-name><name>RP</name></duplicate>",
        "duplicate-name", "<name>Nope</name><duplicate-name>X</duplicate-name>",
        "Reseller plan does not exist", "rick", before=PLANS,
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def test_a_duplicate_has_the_plans_values_and_items(xml: XmlClient, world: World) -> None:
    xml.call(PLANS)
    ok(xml.call(f"<service-plan><add-plan-item><filter><name>Basic</name></filter>{ITEM}"
                "</add-plan-item></service-plan>"), "service-plan/add-plan-item")  # fmt: skip
    (made,) = ok(
        xml.call("<service-plan><duplicate><filter><name>Basic</name></filter>"
                 "<duplicate-name>Copy</duplicate-name></duplicate></service-plan>"),
        "service-plan/duplicate",
    )  # fmt: skip
    assert made.findtext("filter-id") == "Basic" and made.findtext("guid")
    got = xml.call(
        "<service-plan><get><filter><name>Basic</name><name>Copy</name></filter></get>"
        "</service-plan>"
    )
    original, copy = ok(got, "service-plan/get")
    assert copy.findtext("name") == "Copy" and copy.findtext("id") == made.findtext("id")
    limits = [(r.findtext("limits"), r.find("limits")) for r in (original, copy)]
    assert etree.tostring(limits[0][1]) == etree.tostring(limits[1][1])
    assert "7" in [v.text for v in copy.iter("value")]
    # the copy's name is taken now
    root = xml.call("<service-plan><duplicate><filter><name>Basic</name></filter>"
                    "<duplicate-name>Copy</duplicate-name></duplicate></service-plan>")  # fmt: skip
    assert error_of(results(root, "service-plan/duplicate")[0])[0] != 0


def test_an_item_on_a_plan_shows_on_its_subscription(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    xml.call(PLANS)
    (basic,) = [p for p in panel.plans.list(admin, "service") if p.name == "Basic"]
    xml.call(
        "<webspace><switch-subscription><filter><name>dave.example</name></filter>"
        f"<plan-guid>{basic.guid}</plan-guid></switch-subscription></webspace>"
    )
    xml.call(f"<service-plan><add-plan-item><filter><name>Basic</name></filter>{ITEM}"
             "</add-plan-item></service-plan>")  # fmt: skip
    (got,) = ok(
        xml.call("<webspace><get><filter><name>dave.example</name></filter><dataset>"
                 "<plan-items/></dataset></get></webspace>"),
        "webspace/get",
    )  # fmt: skip
    assert [n.text for n in got.iterfind("data/plan-items/plan-item/name")] == ["Backup"]
    # removing what the plan does not carry: 1013
    other = "<plan-item><name>Other</name></plan-item>"
    root = xml.call(
        "<service-plan><remove-plan-item><filter><name>Basic</name></filter>"
        f"{other}</remove-plan-item></service-plan>"
    )
    assert error_of(results(root, "service-plan/remove-plan-item")[0]) == (
        1013,
        "Plan item does not exist",
    )
