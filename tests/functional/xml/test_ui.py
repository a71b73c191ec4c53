"""Operator ui: custom buttons, the navigation payload, and branding themes (one kept
per vendor until uninstalled)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from panelkey.core.panel import Panel
from tests.functional.xml.operation_table import BUTTON_PROPS, Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    only,
    results,
)

BUTTON = (
    "<ui><create-custombutton><owner>{owner}</owner><properties>"
    "<sort_key>10</sort_key><internal>false</internal><noframe>true</noframe>"
    "<place>client</place><url>https://billing.example/</url><text>Billing</text>"
    "</properties></create-custombutton></ui>"
)


def test_custom_buttons_are_kept_listed_and_deleted(xml: XmlClient, panel: Panel) -> None:
    made = ok(only(xml.call(BUTTON.format(owner="<admin/>")), "ui/create-custombutton"))
    bid = made.findtext("id")
    root = xml.call(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></get-custombutton></ui>"
    )
    got = ok(only(root, "ui/get-custombutton"))
    # Plesk's order: place, url, text last
    assert [c.tag for c in got.find("properties")] == [
        "sort_key",
        "internal",
        "noframe",
        "place",
        "url",
        "text",
    ]
    assert got.findtext("properties/url") == "https://billing.example/"
    root = xml.call(
        f"<ui><delete-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></delete-custombutton></ui>"
    )
    ok(only(root, "ui/delete-custombutton"))
    root = xml.call(
        f"<ui><get-custombutton><filter><custombutton-id>{bid}</custombutton-id></filter></get-custombutton></ui>"
    )
    assert error_of(only(root, "ui/get-custombutton")) == (1013, "Custom button does not exist")


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
    assert error_of(only(root, "ui/create-custombutton")) == (1013, "Owner does not exist")
    ok(
        only(
            xml.call(BUTTON.format(owner="<reseller-login>res1</reseller-login>"), key=res1),
            "ui/create-custombutton",
        )
    )


def _php_unserialize(data: bytes) -> object:
    """A reader of PHP's serialize() format (strings, ints, booleans, null, arrays),
    written apart from panelkey's writer so that the test checks the format itself."""

    def read(i: int) -> tuple[object, int]:
        kind = data[i : i + 1]
        if kind == b"N":
            return None, i + 2
        end = data.index(b";" if kind in b"ib" else b":", i + 2)
        if kind == b"i":
            return int(data[i + 2 : end]), end + 1
        if kind == b"b":
            return data[i + 2 : end] == b"1", end + 1
        size = int(data[i + 2 : end])
        if kind == b"s":
            text = data[end + 2 : end + 2 + size]
            assert data[end + 2 + size : end + 4 + size] == b'";'
            return text.decode(), end + 4 + size
        assert kind == b"a" and data[end + 1 : end + 2] == b"{"
        out: dict[object, object] = {}
        j = end + 2
        for _ in range(size):
            key, j = read(j)
            out[key], j = read(j)
        assert data[j : j + 1] == b"}"
        return out, j + 1

    value, used = read(0)
    assert used == len(data)
    return value


def test_navigation_is_plesks_payload(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    """base64 of a PHP-serialized array keyed by section, each with a name and nodes."""
    add_customer(xml, "c1")
    for key in (None, key_for("c1")):
        result = ok(only(xml.call("<ui><get-navigation/></ui>", key=key), "ui/get-navigation"))
        menu = _php_unserialize(base64.b64decode(result.findtext("navigation") or ""))
        assert isinstance(menu, dict) and {"general", "hosting"} <= set(menu)
        for section in menu.values():
            assert isinstance(section, dict) and section["name"]
            nodes = section["nodes"]
            assert isinstance(nodes, dict) and len(nodes) > 0
            assert all(isinstance(n, dict) and n["name"] for n in nodes.values())


THEME = "<filter><vendor-login>admin</vendor-login></filter><path>/tmp/theme.zip</path>"


def test_a_theme_is_kept_per_vendor_until_uninstalled(
    xml: XmlClient, scene: Scene, panel: Panel
) -> None:
    def one(op: str, inner: str, key: str | None = None) -> tuple[str | None, int]:
        root = xml.call(f"<ui><{op}>{inner}</{op}></ui>", key=key)
        (result,) = results(root, f"ui/{op}")
        if result.findtext("status") == "ok":
            return result.findtext("filter-id"), 0
        return None, error_of(result)[0]

    rick = "<filter><vendor-login>rick</vendor-login></filter>"
    # nothing installed yet: 1013
    assert one("branding-theme-uninstall", rick) == (None, 1013)
    # a reseller installs its own theme, not another vendor's
    assert one("branding-theme-install", f"{rick}<path>/tmp/r.zip</path>", scene.key("rick")) == (
        "rick",
        0,
    )
    assert panel.branding.theme(scene.world.reseller.account) == "/tmp/r.zip"
    admin = "<filter><vendor-login>admin</vendor-login></filter><path>/tmp/a.zip</path>"
    assert one("branding-theme-install", admin, scene.key("rick"))[1] == 1013
    # a customer is no vendor
    carol = "<filter><vendor-login>carol</vendor-login></filter><path>/tmp/c.zip</path>"
    assert one("branding-theme-install", carol)[1] == 1013
    assert one("branding-theme-uninstall", rick) == ("rick", 0)
    assert panel.branding.theme(scene.world.reseller.account) is None
    assert one("branding-theme-uninstall", rick)[1] == 1013


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case(
        "ui",
        "create-custombutton",
        f"<owner><admin/></owner>{BUTTON_PROPS}",
        f"<create-custombutton>{BUTTON_PROPS}<owner><admin/></owner></create-custombutton>",
        "properties",
        f"<owner><client-login>ghost</client-login></owner>{BUTTON_PROPS}",
        "Owner does not exist",
        "rick",
        1013,
    ),
    Case(
        "ui",
        "get-custombutton",
        "<filter><custombutton-id>{button}</custombutton-id></filter>",
        "<get-custombutton><x/><filter><custombutton-id>{button}</custombutton-id></filter>"
        "</get-custombutton>",
        "x",
        "<filter><custombutton-id>4242</custombutton-id></filter>",
        "Custom button does not exist",
        "carol",
        1013,
    ),
    Case(
        "ui",
        "delete-custombutton",
        "<filter><custombutton-id>{button}</custombutton-id></filter>",
        "<delete-custombutton><x/><filter><custombutton-id>{button}</custombutton-id></filter>"
        "</delete-custombutton>",
        "x",
        "<filter><custombutton-id>4242</custombutton-id></filter>",
        "Custom button does not exist",
        "carol",
        1013,
    ),
    Case(
        "ui",
        "get-navigation",
        "",
        "<get-navigation><x/></get-navigation>",
        "get-navigation",
        None,
        "",
        None,
    ),
    Case(
        "ui",
        "branding-theme-install",
        THEME,
        "<branding-theme-install><path>/tmp/t.zip</path><filter><vendor-login>admin"
        "</vendor-login></filter></branding-theme-install>",
        "path",
        "<filter><vendor-login>ghost</vendor-login></filter><path>/tmp/t.zip</path>",
        "Owner does not exist",
        "carol",
    ),
    Case(
        "ui",
        "branding-theme-uninstall",
        "<filter><vendor-login>admin</vendor-login></filter>",
        "<branding-theme-uninstall><x/><filter><vendor-login>admin</vendor-login></filter>"
        "</branding-theme-uninstall>",
        "x",
        "<filter><vendor-login>ghost</vendor-login></filter>",
        "Owner does not exist",
        "carol",
        before=f"<ui><branding-theme-install>{THEME}</branding-theme-install></ui>",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
