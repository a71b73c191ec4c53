"""Operator locale: the locales the panel offers; enable and disable keep their state
and locale/get shows it; the default locale stays enabled; get-message reads message
texts from a small catalogue."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests.factories import World
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


DE = "<filter><id>de-DE</id></filter>"


def _all(
    xml: XmlClient, operation: str, inner: str, key: str | None = None
) -> list[etree._Element]:
    root = xml.call(f"<locale><{operation}>{inner}</{operation}></locale>", key=key)
    return results(root, f"locale/{operation}")


def _enabled(xml: XmlClient, key: str | None = None) -> dict[str, str | None]:
    return {r.findtext("id"): r.findtext("info/enabled") for r in _all(xml, "get", "", key)}


def test_the_state_is_kept_and_get_shows_it(xml: XmlClient, world: World) -> None:
    assert set(_enabled(xml).values()) == {"true"}
    (done,) = _all(xml, "disable", DE)
    assert [(c.tag, c.text) for c in done] == [("status", "ok"), ("id", "de-DE")]
    assert _enabled(xml)["de-DE"] == "false"
    assert _enabled(xml, world.carol.key)["de-DE"] == "false"  # every account sees it
    assert _enabled(xml)["fr-FR"] == "true"
    _all(xml, "enable", DE)
    assert _enabled(xml)["de-DE"] == "true"


def test_the_default_locale_stays_enabled(xml: XmlClient, panel: Panel) -> None:
    before = len(panel.events.list())
    (refused,) = _all(xml, "disable", "<filter><id>en-US</id></filter>")
    assert error_of(refused) == (1023, "The default locale en-US cannot be disabled")
    assert _enabled(xml)["en-US"] == "true"
    # an empty filter is every locale: all but the default go off
    found = _all(xml, "disable", "<filter/>")
    assert [r.findtext("status") for r in found] == ["error", "ok", "ok", "ok", "ok"]
    assert _enabled(xml) == {
        "en-US": "true",
        "de-DE": "false",
        "fr-FR": "false",
        "es-ES": "false",
        "ru-RU": "false",
    }
    assert len(panel.events.list()) == before + 4


def test_messages_in_each_locale(xml: XmlClient) -> None:
    found = _all(
        xml,
        "get-message",
        "<filter><key>button.cancel</key><key>nope.nothing</key><key>logout</key></filter>"
        "<id>fr-FR</id>",
    )
    assert [(c.tag, c.text) for c in found[0]] == [
        ("status", "ok"),
        ("filter-id", "button.cancel"),
        ("message", "Annuler"),
    ]
    assert error_of(found[1]) == (1013, "Message does not exist")
    assert found[1].findtext("filter-id") == "nope.nothing"
    assert found[2].findtext("message") == "Se déconnecter"
    (english,) = _all(xml, "get-message", "<filter><key>logout</key></filter><id>en-US</id>")
    assert english.findtext("message") == "Log out"


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
    *(
        Case(
            "locale",
            operation,
            DE,
            f"<{operation}><x/>{DE}</{operation}>",
            "x",
            "<filter><id>xx-XX</id></filter>",
            "Locale does not exist",
            "rick",
        )
        for operation in ("enable", "disable")
    ),
    Case(
        "locale",
        "get-message",
        "<filter><key>button.cancel</key></filter><id>de-DE</id>",
        "<get-message><id>de-DE</id><filter><key>button.cancel</key></filter></get-message>",
        "id",
        "<filter><key>button.cancel</key><key>logout</key></filter><id>xx-XX</id>",
        "Locale does not exist",
        None,  # every account may read messages
        misses=2,  # one per key asked for
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
