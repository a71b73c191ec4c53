from __future__ import annotations

import pytest

from panelkey.core.access.addresses import AllowList, parse_allow_list
from panelkey.core.errors import InvalidValue


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("192.168.1.100", ["192.168.1.100"]),
        (" 192.168.1.100 , 10.0.0.1 ", ["192.168.1.100", "10.0.0.1"]),
        ("10.0.0.1,10.0.0.1", ["10.0.0.1"]),
        ("10.0.0.0/8", ["10.0.0.0/8"]),
        ("2001:DB8:0:0::1", ["2001:db8::1"]),
        ("2001:db8::/32", ["2001:db8::/32"]),
        ("10.0.0.5/32", ["10.0.0.5"]),
        ("", []),
        (None, []),
        (["1.2.3.4", " ::1 "], ["1.2.3.4", "::1"]),
    ],
)
def test_allow_list_items_are_stored_in_canonical_form(given: object, stored: list[str]) -> None:
    assert parse_allow_list(given) == stored  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "given",
    ["300.1.1.1", "1.2.3.4,bad", "10.0.0.1/8", "1.2.3.4,,5.6.7.8", "::1::2", "example.com", ["x"]],
)
def test_one_invalid_item_rejects_the_whole_list(given: object) -> None:
    with pytest.raises(InvalidValue):
        parse_allow_list(given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("items", "address", "allowed"),
    [
        ([], "203.0.113.9", True),
        (["192.168.1.100"], "192.168.1.100", True),
        (["192.168.1.100"], "192.168.1.101", False),
        (["10.0.0.0/8"], "10.200.3.4", True),
        (["10.0.0.0/8"], "11.0.0.1", False),
        (["2001:db8::/32"], "2001:db8:1::5", True),
        (["2001:db8::/32"], "2001:db9::5", False),
        (["127.0.0.1"], "::ffff:127.0.0.1", True),
        (["10.0.0.0/8"], "not-an-address", False),
        (["::1"], "0:0::1", True),
    ],
)
def test_allow_list_matching(items: list[str], address: str, allowed: bool) -> None:
    assert AllowList.compile(items).allows(address) is allowed
