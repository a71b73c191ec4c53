"""core/text.py: the one bound of kept text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from panelkey.core.text import MAX_TEXT, fits
from panelkey.store import tables


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("", MAX_TEXT, True),
        ("a" * MAX_TEXT, MAX_TEXT, True),
        ("a" * (MAX_TEXT + 1), MAX_TEXT, False),
        ("abcd", 3, False),
        ("abc", 3, True),
        (None, MAX_TEXT, False),
        (12, MAX_TEXT, False),
        (b"bytes", MAX_TEXT, False),
    ],
)
def test_text_fits_when_a_str_within_the_bound(value: object, limit: int, expected: bool) -> None:
    assert fits(value, limit) is expected


@pytest.mark.parametrize(
    "column", [tables.plans.c.name, tables.certificates.c.name, tables.aps_installations.c.location]
)
def test_the_bound_is_the_stores_for_names(column: sa.Column[str]) -> None:
    assert isinstance(column.type, sa.String) and column.type.length == MAX_TEXT
