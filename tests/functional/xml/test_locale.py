"""Operator locale: the locales the panel offers."""

from __future__ import annotations

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
