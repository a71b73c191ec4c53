"""Values on the wire (xmlapi/values.py): each reader takes what Plesk spells, refuses the
rest with 1019, and the writers answer what Plesk answers."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.errors import InvalidValue
from panelkey.xmlapi import values
from panelkey.xmlapi.errors import describe


@pytest.mark.parametrize(
    ("text", "spelling", "expected"),
    [
        ("true", values.BOOLEAN, True),
        (" TRUE ", values.BOOLEAN, True),
        ("1", values.BOOLEAN, True),
        ("false", values.BOOLEAN, False),
        ("0", values.BOOLEAN, False),
        ("on", values.SWITCH, True),
        ("yes", values.SWITCH, True),
        ("Off", values.SWITCH, False),
        ("no", values.SWITCH, False),
        ("true", values.SWITCH, True),
        ("", values.PRESENCE, True),
        ("false", values.PRESENCE, False),
        (None, values.BOOLEAN, None),
    ],
)
def test_a_flag_reads_as_its_element_spells_it(
    text: str | None, spelling: values.Spelling, expected: bool | None
) -> None:
    assert values.flag(text, "x", spelling) is expected


@pytest.mark.parametrize(
    ("text", "spelling"),
    [
        ("on", values.BOOLEAN),
        ("yes", values.BOOLEAN),
        ("", values.BOOLEAN),
        ("", values.SWITCH),
        ("maybe", values.SWITCH),
        ("on", values.PRESENCE),
    ],
)
def test_a_flag_spelled_otherwise_is_1019_naming_the_element(
    text: str, spelling: values.Spelling
) -> None:
    with pytest.raises(InvalidValue) as raised:
        values.flag(text, "mailbox/enabled", spelling)
    assert describe(raised.value) == (1019, "Invalid value for 'mailbox/enabled' specified")


def test_a_flag_given_as_an_element_is_yes_when_present_and_empty() -> None:
    assert values.flag_of(None) is None
    assert values.flag_of(etree.fromstring("<admin-as-vendor/>")) is True
    assert values.flag_of(etree.fromstring("<admin-as-vendor> </admin-as-vendor>")) is True
    assert values.flag_of(etree.fromstring("<admin-as-vendor>false</admin-as-vendor>")) is False
    with pytest.raises(InvalidValue, match="'admin-as-vendor'"):
        values.flag_of(etree.fromstring("<admin-as-vendor>nope</admin-as-vendor>"))


def test_a_flag_is_answered_true_or_false() -> None:
    assert (values.boolean(True), values.boolean(False)) == ("true", "false")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), (" 7 ", 7), ("+7", 7), ("007", 7), ("", None), ("-1", None), ("7a", None)],
)
def test_an_id_is_read_as_the_schema_spells_it(text: str, expected: int | None) -> None:
    assert values.id_of(text) == expected


def test_a_number_takes_a_sign_and_refuses_anything_else() -> None:
    assert values.number(" -1 ", "quota") == -1
    assert values.number("1024", "quota") == 1024
    assert values.number(None, "quota") is None
    for bad in ("", "1.5", "ten", "9" * 20):
        with pytest.raises(InvalidValue, match="Invalid quota"):
            values.number(bad, "quota")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (None, "active"),
        ("0", "active"),
        ("active", "active"),
        ("16", "disabled"),
        ("32", "disabled"),
        ("64", "disabled"),
        ("Disabled", "disabled"),
        ("4", "suspended"),
        ("256", "suspended"),
        ("suspended", "suspended"),
    ],
)
def test_a_status_is_read_from_a_plesk_code_or_a_word(text: str | None, status: str) -> None:
    assert values.status_in(text) == status


def test_an_unknown_status_is_1019() -> None:
    for bad in ("3", "frozen", "-16"):
        with pytest.raises(InvalidValue, match="Invalid status"):
            values.status_in(bad)


def test_a_status_is_answered_as_plesk_codes_it_and_turned_off_tells_how() -> None:
    assert [values.status_code(s) for s in ("active", "disabled", "suspended")] == [0, 16, 16]
    assert values.TURN_OFF_ACTION == {"disabled": "disable", "suspended": "suspend"}
    assert values.turned_off("disabled", "suspend") == "suspended"
    assert values.turned_off("suspended", " disable ") == "disabled"
    assert values.turned_off("active", "suspend") == "active"
    assert values.turned_off("disabled", None) == "disabled"


def test_htypes_go_both_ways() -> None:
    for htype, hosting_type in values.HTYPES.items():
        assert values.hosting_type_in(f" {htype} ") == hosting_type
        assert values.htype_of(hosting_type) == htype
    assert values.hosting_type_in(None) == "virtual"
    assert values.hosting_type_in(None, default="none") == "none"
    assert values.htype_of("anything else") == "none"


def test_an_address_is_the_first_given_in_canonical_form() -> None:
    assert values.ip_in(["", " 2001:DB8:0:0::1 ", "192.0.2.9"]) == "2001:db8::1"
    assert values.ip_in(["", "  "]) == ""
    with pytest.raises(InvalidValue, match="Invalid IP address"):
        values.ip_in(["192.0.2.300"])
