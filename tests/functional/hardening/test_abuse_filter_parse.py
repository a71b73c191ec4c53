"""A filter naming more objects than the packet's budget is refused while the packet is
parsed, as soon as the budget is passed (issue 24, item 10): what follows is never read,
so garbage there, which would be a parse error, changes nothing."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests import factories
from tests.functional.hardening.conftest import MakeXml
from tests.functional.xml.xml_helpers import XmlClient, parse, results, system_error

GARBAGE = "<<< not XML at all &&& </nothing>"


def _filtered(ids: range | list[int], after: str = "") -> str:
    items = "".join(f"<id>{n}</id>" for n in ids)
    return (
        f"<packet><customer><get><filter>{items}{after}</filter>"
        "<dataset><gen_info/></dataset></get></customer></packet>"
    )


def _send(xml: XmlClient, body: str | bytes) -> etree._Element:
    return parse(xml.request(body, {"KEY": xml.key or ""}))


def test_a_filter_past_the_budget_is_refused_before_the_garbage_after_it(
    make_xml: MakeXml,
) -> None:
    xml = make_xml()
    code, text = system_error(_send(xml, _filtered(range(1, 20_001), GARBAGE)))
    assert code == 1024, text
    assert "more than 1000 objects" in text and "maxOperationsPerPacket" in text


def test_a_dtd_after_the_part_read_is_never_searched_for(make_xml: MakeXml) -> None:
    """A DTD can only open a packet: one past the budget's refusal is garbage like any
    other, never read (a search of the whole body cost more than the refusal)."""
    xml = make_xml()
    for garbage in ("<!DOCTYPE packet>", '<!ENTITY e "x">'):
        code, text = system_error(_send(xml, _filtered(range(1, 20_001), garbage)))
        assert code == 1024, text


def test_a_dtd_at_the_start_of_a_big_filtered_packet_is_still_refused(
    make_xml: MakeXml,
) -> None:
    xml = make_xml()
    body = '<!DOCTYPE packet [<!ENTITY e "x">]>' + _filtered(range(1, 20_001))
    code, text = system_error(_send(xml, body))
    assert code == 1014 and "DTD" in text, text
    # And wherever in the part read it comes (the slices' edges near it).
    for shift in range(1, 9):
        head = _filtered(range(1, 300)).replace("</filter>", "")
        pad = "<id>1</id>" * ((4096 - len(head)) // 10) + " " * shift
        tail = "<id>1</id>" * 2000 + "</filter></get></customer></packet>"
        body = head + pad + "<!DOCTYPE x>" + tail
        code, text = system_error(_send(xml, body))
        assert code == 1014, (shift, text)


def test_the_same_garbage_after_a_filter_within_the_budget_is_a_parse_error(
    make_xml: MakeXml,
) -> None:
    """The control: the garbage is read when the filter does not pass the budget first."""
    xml = make_xml()
    code, text = system_error(_send(xml, _filtered(range(1, 901), GARBAGE)))
    assert code == 1014, text


def test_a_utf16_packet_past_the_budget_is_refused_as_well(make_xml: MakeXml) -> None:
    xml = make_xml()
    body = '<?xml version="1.0" encoding="UTF-16"?>' + _filtered(range(1, 5_001), GARBAGE)
    code, text = system_error(_send(xml, body.encode("utf-16")))
    assert code == 1024, text


@pytest.mark.parametrize("max_operations", [1000, 1500])
def test_a_big_filter_within_the_budget_is_still_answered_item_by_item(
    make_xml: MakeXml, panel: Panel, max_operations: int
) -> None:
    """A packet past the size that is parsed a slice at a time, its filter one item
    short of the budget: every item is looked up."""
    known = factories.customer(panel, "fp").id
    xml = make_xml(max_operations=max_operations)
    body = _filtered([known, *range(10**9, 10**9 + max_operations - 1)])
    assert len(body) > 16 * 1024
    found = results(_send(xml, body), "customer/get")
    assert len(found) == max_operations
    assert found[0].findtext("status") == "ok"
    code, _ = system_error(_send(xml, _filtered(range(1, max_operations + 2))))
    assert code == 1024
