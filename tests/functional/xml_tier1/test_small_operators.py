"""Operators php-handler, locale and ui."""

from __future__ import annotations

import base64
from collections.abc import Callable

from panelkey.core.panel import Panel
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_tier1.tier1 import (
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    one,
    results,
)


def test_php_handlers_are_a_coherent_catalogue(xml: XmlClient) -> None:
    found = results(xml.call("<php-handler><get/></php-handler>"), "php-handler/get")
    assert found and all(r.findtext("status") == "ok" for r in found)
    first = found[0]
    assert [c.tag for c in first][:6] == [
        "status",
        "id",
        "display-name",
        "full-version",
        "version",
        "type",
    ]
    ids = [r.findtext("id") for r in found]
    assert len(set(ids)) == len(ids)
    for r in found:
        assert (r.findtext("full-version") or "").startswith(r.findtext("version") or "?")
        assert r.findtext("handler-status") == "enabled"
    # the same PHP versions are the server's components
    comp = ok(one(xml.call("<server><get><components/></get></server>"), "server/get"))
    names = {c.findtext("name") for c in comp.findall("components/component")}
    assert {f"php{r.findtext('version')}" for r in found} <= names
    one_root = xml.call(f"<php-handler><get><filter><id>{ids[0]}</id></filter></get></php-handler>")
    assert ok(one(one_root, "php-handler/get")).findtext("id") == ids[0]
    miss = xml.call("<php-handler><get><filter><id>php-none</id></filter></get></php-handler>")
    assert error_of(one(miss, "php-handler/get")) == (1013, "PHP handler does not exist")


def test_locales_include_en_us(xml: XmlClient) -> None:
    found = results(xml.call("<locale><get/></locale>"), "locale/get")
    assert "en-US" in [r.findtext("id") for r in found]
    root = xml.call("<locale><get><filter><id>en-US</id><id>xx-XX</id></filter></get></locale>")
    good, bad = results(root, "locale/get")
    assert good.findtext("info/lang") == "en"
    assert error_of(bad) == (1013, "Locale does not exist")


BUTTON = (
    "<ui><create-custombutton><owner>{owner}</owner><properties>"
    "<internal>false</internal><noframe>true</noframe><place>client</place>"
    "<sort_key>10</sort_key><text>Billing</text><url>https://billing.example/</url>"
    "</properties></create-custombutton></ui>"
)


def test_custom_buttons_are_kept_listed_and_deleted(xml: XmlClient, panel: Panel) -> None:
    made = ok(one(xml.call(BUTTON.format(owner="<admin/>")), "ui/create-custombutton"))
    bid = made.findtext("id")
    root = xml.call(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></get-custombutton></ui>"
    )
    got = ok(one(root, "ui/get-custombutton"))
    assert [c.tag for c in got.find("properties")] == [
        "internal",
        "noframe",
        "place",
        "sort_key",
        "text",
        "url",
    ]
    assert got.findtext("properties/url") == "https://billing.example/"
    root = xml.call(
        f"<ui><delete-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></delete-custombutton></ui>"
    )
    ok(one(root, "ui/delete-custombutton"))
    root = xml.call(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></get-custombutton></ui>"
    )
    assert error_of(one(root, "ui/get-custombutton")) == (1013, "Custom button does not exist")


def test_custom_button_faults_and_rights(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    code, text = fault(
        xml,
        "<ui><create-custombutton><properties><text>x</text></properties>"
        "<owner><admin/></owner></create-custombutton></ui>",
    )
    assert code == 1014 and "'properties'" in text
    add_reseller(xml, "res1")
    add_customer(xml, "c1")
    res1 = key_for("res1")
    # a reseller may not put buttons on the admin's or another's customer
    root = xml.call(BUTTON.format(owner="<client-login>c1</client-login>"), key=res1)
    assert error_of(one(root, "ui/create-custombutton")) == (1013, "Owner does not exist")
    ok(
        one(
            xml.call(BUTTON.format(owner="<reseller-login>res1</reseller-login>"), key=res1),
            "ui/create-custombutton",
        )
    )


def test_navigation_is_base64(xml: XmlClient) -> None:
    result = ok(one(xml.call("<ui><get-navigation/></ui>"), "ui/get-navigation"))
    text = base64.b64decode(result.findtext("navigation") or "").decode()
    assert text.startswith("a:") and "Customers" in text
