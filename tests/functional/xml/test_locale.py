"""Operator locale: the locales the panel offers."""

from __future__ import annotations

import pytest

from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    error_of,
    results,
)


def test_locales_include_en_us(xml: XmlClient) -> None:
    found = results(xml.call("<locale><get/></locale>"), "locale/get")
    assert "en-US" in [r.findtext("id") for r in found]
    root = xml.call("<locale><get><filter><id>en-US</id><id>xx-XX</id></filter></get></locale>")
    good, bad = results(root, "locale/get")
    assert good.findtext("info/lang") == "en"
    assert error_of(bad) == (1013, "Locale does not exist")


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case(
        "locale",
        "get",
        "<filter><id>en-US</id></filter>",
        "<get><x/><filter><id>en-US</id></filter></get>",
        "x",
        "<filter><id>xx-XX</id></filter>",
        "Locale does not exist",
        None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
