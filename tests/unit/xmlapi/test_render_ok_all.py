"""Results written as text (render.ok_text, ok_all, written) are the very bytes render.ok's
elements serialize to, for any text."""

from __future__ import annotations

import pytest

from panelkey.xmlapi import render

TEXTS = ["plain", "", "a<b>&c", "line\r\nbreak\ttab", "quotes \" and '", "ünïcödé ✓", "]]>", "0"]


@pytest.mark.parametrize("text", TEXTS)
def test_each_result_is_what_ok_makes(text: str) -> None:
    nested = [("site-id", 3), ("host", text), ("skipped", None), ("opt", "")]
    made = render.element("made", [("a", text), ("b", "")])
    fast = render.ok_all([[("id", 7), ("data", nested), ("name", text), ("made", made)]])
    slow = render.ok(
        [("id", 7), ("data", render.element("data", nested)), ("name", text), ("made", made)]  # type: ignore[arg-type]
    )
    assert fast == [render.result_bytes(slow)]


def test_nested_fields_with_nothing_in_them_are_empty_elements() -> None:
    fast = render.ok_text([("data", [("gone", None)]), ("list", [])])
    assert fast == render.result_bytes(
        render.ok([("data", render.element("data")), ("list", render.element("list"))])
    )


def test_many_results_keep_their_order_and_none_gives_none() -> None:
    made = render.ok_all([[("id", n)] for n in range(5)])
    assert made == [f"<result><status>ok</status><id>{n}</id></result>".encode() for n in range(5)]
    assert render.ok_all([]) == []


def test_a_control_character_is_refused_as_ok_refuses_it() -> None:
    with pytest.raises(ValueError, match="XML compatible"):
        render.ok_all([[("value", "bell\x07")]])
    with pytest.raises(ValueError, match="XML compatible"):
        render.ok([("value", "bell\x07")])


@pytest.mark.parametrize("text", TEXTS)
def test_a_dns_record_written_as_text_is_what_the_elements_make(text: str) -> None:
    from panelkey.core.dns.records import Record
    from panelkey.xmlapi.operators.dns import _data, _result_text

    record = Record(9, 3, "TXT", f"h.{text}.example.", text, text, 300)
    for alias in (None, 4):
        (fast,) = render.written([_result_text(record, alias)], list)
        slow = render.ok([("id", record.id), ("data", _data(record, alias))])
        assert fast == render.result_bytes(slow)


def test_written_falls_back_when_xml_cannot_hold_the_text() -> None:
    marker = [render.ok([("fallback", "yes")])]
    assert render.written(["<a>\x07</a>"], lambda: marker) == [render.result_bytes(marker[0])]


@pytest.mark.parametrize(
    "text", ["bell\x07", "é and bell\x07", "nul\x00", "x\uffff", "lone \ud800", "é\x1f"]
)
def test_written_falls_back_for_every_text_xml_cannot_hold(text: str) -> None:
    # ASCII text is searched one way, other text another (render.written): both fall back.
    marker = [render.ok([("fallback", "yes")])]
    fragments = ["<a>fine</a>", f"<a>{text}</a>"]
    assert render.written(fragments, lambda: marker) == [render.result_bytes(marker[0])]


@pytest.mark.parametrize("text", ["tab\tline\ncr", "ünïcödé ✓", "\U0001f600 astral", "\ufffd"])
def test_written_keeps_every_text_xml_holds(text: str) -> None:
    assert render.written([f"<a>{text}</a>", "<b/>"], list) == [
        f"<a>{text}</a>".encode(),
        b"<b/>",
    ]
