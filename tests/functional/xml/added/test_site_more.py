"""site and webspace traffic, site's hosting descriptor, webspace plan items, reseller
descriptors (a row per operation, tests/functional/xml/rows.py); set_traffic then
get_traffic; add-plan-item then webspace get."""

from __future__ import annotations

import pytest

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, ok, run
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

SITE = "<filter><id>{carol_site}</id></filter>"
WS = "<filter><id>{carol_ws}</id></filter>"
COUNTS = (
    "<smtp_in>1</smtp_in><smtp_out>2</smtp_out><pop3_imap_in>3</pop3_imap_in>"
    "<pop3_imap_out>4</pop3_imap_out><http_in>5</http_in>"
)
ITEM = "<plan-item><name>Backup</name></plan-item>"


def _set(dom: str) -> Case:
    operator = "site" if dom == "carol_site" else "webspace"
    return Case(
        operator, "set_traffic", f"<dom_id>{{{dom}}}</dom_id><date>2026-11-30</date>{COUNTS}",
        f"<set_traffic><date>2026-11-30</date><dom_id>{{{dom}}}</dom_id>{COUNTS}</set_traffic>",
        "date", f"<dom_id>4242</dom_id><date>2026-11-30</date>{COUNTS}",
        "Site does not exist" if operator == "site" else "Webspace does not exist", "carol",
    )  # fmt: skip


CASES = [
    Case(
        "site", "get_traffic", SITE,
        f"<get_traffic><since_date>2026-11-01</since_date>{SITE}</get_traffic>", "since_date",
        "<filter><id>4242</id></filter>", "Site does not exist", "dave", denied=1013,
    ),
    _set("carol_site"),
    _set("carol_ws"),
    Case(
        "site", "get-physical-hosting-descriptor", SITE,
        f"<get-physical-hosting-descriptor><x/>{SITE}</get-physical-hosting-descriptor>", "x",
        "<filter><id>4242</id></filter>", "Site does not exist", "dave", denied=1013,
    ),
    Case(
        "webspace", "add-plan-item", WS + ITEM, f"<add-plan-item>{ITEM}{WS}</add-plan-item>",
        "plan-item", "<filter><id>4242</id></filter>" + ITEM, "Webspace does not exist", "carol",
    ),
    Case(
        "webspace", "remove-plan-item", WS + ITEM,
        f"<remove-plan-item>{ITEM}{WS}</remove-plan-item>", "plan-item",
        "<filter><id>4242</id></filter>" + ITEM, "Webspace does not exist", "carol",
        before=f"<webspace><add-plan-item>{WS}{ITEM}</add-plan-item></webspace>",
    ),
    *(
        Case(
            "reseller", f"get-{what}-descriptor", "<filter><id>{rick}</id></filter>",
            f"<get-{what}-descriptor><x/></get-{what}-descriptor>", "x",
            "<filter><id>4242</id></filter>", "Reseller does not exist", "rick",
        )
        for what in ("limit", "permission")
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def test_traffic_set_is_got_back_and_summed_over_the_subscription(
    xml: XmlClient, world: World
) -> None:
    for dom, smtp in ((world.carol_site, 10), (world.carol_ws, 5)):
        ok(xml.call(
            f"<site><set_traffic><dom_id>{dom}</dom_id><date>2026-11-30</date>"
            f"<smtp_in>{smtp}</smtp_in><smtp_out>0</smtp_out><pop3_imap_in>0</pop3_imap_in>"
            "<pop3_imap_out>0</pop3_imap_out></set_traffic></site>"
        ), "site/set_traffic")  # fmt: skip
    period = "<since_date>2026-11-29</since_date><to_date>2026-11-30</to_date>"
    (site,) = ok(
        xml.call(f"<site><get_traffic><filter><id>{world.carol_site}</id></filter>{period}"
                 "</get_traffic></site>"),
        "site/get_traffic",
    )  # fmt: skip
    days = site.findall("traffic")
    assert [d.findtext("date") for d in days] == ["2026-11-29", "2026-11-30"]
    assert [d.findtext("smtp_in") for d in days] == ["0", "10"]
    (ws,) = ok(
        xml.call(f"<webspace><get_traffic><filter><id>{world.carol_ws}</id></filter>{period}"
                 "</get_traffic></webspace>"),
        "webspace/get_traffic",
    )  # fmt: skip
    assert [d.findtext("smtp_in") for d in ws.findall("traffic")] == ["0", "15"]


def test_an_item_added_to_a_webspace_shows_in_its_get(xml: XmlClient, world: World) -> None:
    flt = f"<filter><id>{world.carol_ws}</id></filter>"
    ok(xml.call(f"<webspace><add-plan-item>{flt}{ITEM}</add-plan-item></webspace>"),
       "webspace/add-plan-item")  # fmt: skip
    get = f"<webspace><get>{flt}<dataset><plan-items/></dataset></get></webspace>"
    (got,) = ok(xml.call(get), "webspace/get")
    assert [n.text for n in got.iterfind("data/plan-items/plan-item/name")] == ["Backup"]
    ok(xml.call(f"<webspace><remove-plan-item>{flt}{ITEM}</remove-plan-item></webspace>"),
       "webspace/remove-plan-item")  # fmt: skip
    (got,) = ok(xml.call(get), "webspace/get")
    assert got.findall("data/plan-items/plan-item") == []
