"""Operator `extension`: install, uninstall, get and call over the registry REST
`/extensions` shows; `call` runs panelkey's test extension only (docs/xml-api.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from panelkey.context import Context
from panelkey.core.panel import Panel
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, all_ok, error_of, results

INSTALL = "<extension><install><id>panelkey-test</id></install></extension>"
CALL = "<panelkey-test><echo><a>1</a><b>two</b></echo></panelkey-test>"

CASES = [
    Case(
        "extension",
        "install",
        "<id>panelkey-test</id>",
        "<install><id>panelkey-test</id><url>https://example.com/git.zip</url></install>",
        "url",
        None,  # an id outside the catalogue is a bad value (1019), not a missing object
        "",
        "rick",
    ),
    Case(
        "extension",
        "uninstall",
        "<id>panelkey-test</id>",
        "<uninstall><x/><id>panelkey-test</id></uninstall>",
        "x",
        "<id>git</id>",
        "Extension does not exist",
        "rick",
        before=INSTALL,
    ),
    Case(
        "extension",
        "get",
        "<filter><id>panelkey-test</id></filter>",
        "<get><filter/><x/></get>",
        "x",
        "<filter><id>git</id></filter>",
        "Extension does not exist",
        "rick",
        before=INSTALL,
    ),
    Case(
        "extension",
        "call",
        CALL,
        "<call>echo</call>",
        "call",
        "<git><get/></git>",
        "Extension does not exist",
        "rick",
        before=INSTALL,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)


def _one(xml: XmlClient, operation: str, inner: str) -> etree._Element:
    root = xml.call(f"<extension><{operation}>{inner}</{operation}></extension>")
    (result,) = results(root, f"extension/{operation}")
    return result


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_installed_over_xml_is_listed_over_rest_called_then_uninstalled(
    xml: XmlClient, panel: Panel, ctx: Context, tmp_path: Path
) -> None:
    api = Api(panel, ctx, tmp_path / "panel.ini")
    key = api.new_key()
    all_ok(xml.call(INSTALL), "extension/install")
    listed = api.get("/extensions", headers=key).json()
    assert [e["id"] for e in listed] == ["panelkey-test"]
    assert listed[0]["active"] is True

    # the test extension answers each call with the call itself
    answer = _one(xml, "call", CALL)
    assert answer.findtext("status") == "ok"
    echo = answer.find("panelkey-test")
    assert echo is not None
    assert [c.tag for c in echo] == ["echo"]
    assert {c.tag: c.text for c in echo[0]} == {"a": "1", "b": "two"}

    details = _one(xml, "get", "").find("details")
    assert details is not None
    assert [c.tag for c in details] == ["id", "name", "version", "release", "active"]
    assert details.findtext("id") == "panelkey-test" and details.findtext("active") == "true"

    # disabled over REST: the call is refused
    assert api.put("/extensions/panelkey-test/disable", headers=key).status_code == 200
    assert error_of(_one(xml, "call", CALL))[0] == 1023
    assert _one(xml, "get", "").findtext("details/active") == "false"

    all_ok(xml.call("<extension><uninstall><id>panelkey-test</id></uninstall></extension>"),
       "extension/uninstall")  # fmt: skip
    assert api.get("/extensions", headers=key).json() == []
    assert error_of(_one(xml, "call", CALL)) == (1013, "Extension does not exist")
    # nothing installed: get answers one bare ok
    assert [c.tag for c in _one(xml, "get", "")] == ["status"]


def test_an_installed_extension_panelkey_does_not_run_answers_an_error(xml: XmlClient) -> None:
    all_ok(xml.call("<extension><install><url>https://ext.example/git.zip</url></install></extension>"),
       "extension/install")  # fmt: skip
    assert _one(xml, "get", "<filter><id>git</id></filter>").findtext("details/id") == "git"
    code, text = error_of(_one(xml, "call", "<git><get/></git>"))
    assert code == 1023 and "git" in text


def test_install_refuses_what_the_catalogue_lacks(xml: XmlClient, panel: Panel) -> None:
    assert error_of(_one(xml, "install", "<id>no-such</id>"))[0] == 1019
    assert error_of(_one(xml, "install", "<url>https://ext.example/other.zip</url>"))[0] == 1019
    assert panel.extensions.list() == []


def test_one_result_per_extension_called(xml: XmlClient) -> None:
    all_ok(xml.call(INSTALL), "extension/install")
    root = xml.call(f"<extension><call>{CALL}<git><get/></git></call></extension>")
    first, second = results(root, "extension/call")
    assert first.findtext("status") == "ok"
    assert error_of(second) == (1013, "Extension does not exist")
