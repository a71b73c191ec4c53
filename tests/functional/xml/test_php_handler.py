"""Operator php-handler: the catalogue of PHP handlers; an unknown handler answers Plesk's
own text, which clients (Plesk's PHP SDK among them) match on. A disabled handler is
answered disabled and cannot be chosen by a webspace or a site until it is enabled
again; one in use (get-usage names where) cannot be disabled."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.panel import Panel
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    error_of,
    ok,
    only,
    results,
)


def test_an_unknown_php_handler_answers_plesks_text(xml: XmlClient) -> None:
    known = results(xml.call("<php-handler><get/></php-handler>"), "php-handler/get")
    first = known[0].findtext("id")
    alone = xml.call(
        "<php-handler><get><filter><id>this-handler-does-not-exist</id></filter></get></php-handler>"
    )
    (miss,) = results(alone, "php-handler/get")
    assert error_of(miss) == (1013, "Php handler does not exists")
    # Among several ids, each is answered in turn.
    root = xml.call(
        "<php-handler><get><filter><id>this-handler-does-not-exist</id>"
        f"<id>{first}</id></filter></get></php-handler>"
    )
    miss, hit = results(root, "php-handler/get")
    assert error_of(miss) == (1013, "Php handler does not exists")
    assert hit.findtext("status") == "ok" and hit.findtext("id") == first


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
    comp = ok(only(xml.call("<server><get><components/></get></server>"), "server/get"))
    names = {c.findtext("name") for c in comp.findall("components/component")}
    assert {f"php{r.findtext('version')}" for r in found} <= names
    one_root = xml.call(f"<php-handler><get><filter><id>{ids[0]}</id></filter></get></php-handler>")
    assert ok(only(one_root, "php-handler/get")).findtext("id") == ids[0]
    miss = xml.call("<php-handler><get><filter><id>php-none</id></filter></get></php-handler>")
    assert error_of(only(miss, "php-handler/get")) == (1013, "Php handler does not exists")


HANDLER = "plesk-php82-fpm"
ONE = f"<filter><id>{HANDLER}</id></filter>"


def _one(xml: XmlClient, operation: str, inner: str, key: str | None = None) -> etree._Element:
    root = xml.call(f"<php-handler><{operation}>{inner}</{operation}></php-handler>", key=key)
    (result,) = results(root, f"php-handler/{operation}")
    return result


def _choose(xml: XmlClient, operator: str, name: str, handler: str) -> etree._Element:
    root = xml.call(
        f"<{operator}><set><filter><name>{name}</name></filter><values><hosting><vrt_hst>"
        f"<property><name>php_handler_id</name><value>{handler}</value></property>"
        f"</vrt_hst></hosting></values></set></{operator}>"
    )
    (result,) = results(root, f"{operator}/set")
    return result


def test_a_disabled_handler_is_answered_so_and_cannot_be_chosen(
    xml: XmlClient, panel: Panel, world: World
) -> None:
    done = _one(xml, "disable", ONE)
    assert [(c.tag, c.text) for c in done] == [("status", "ok"), ("id", HANDLER)]
    assert _one(xml, "get", ONE).findtext("handler-status") == "disabled"
    everyone = results(xml.call("<php-handler><get/></php-handler>"), "php-handler/get")
    assert {r.findtext("id"): r.findtext("handler-status") for r in everyone}[HANDLER] == (
        "disabled"
    )
    # a webspace, and a site, naming it are refused; nothing changes
    before = len(panel.events.list())
    for operator, name in (("webspace", "dave.example"), ("site", "blog.carol.example")):
        code, text = error_of(_choose(xml, operator, name, HANDLER))
        assert (code, text) == (1019, f"The PHP handler {HANDLER} is disabled")
    assert len(panel.events.list()) == before
    # enabled again, it can be chosen
    assert _one(xml, "enable", ONE).findtext("status") == "ok"
    assert _one(xml, "get", ONE).findtext("handler-status") == "enabled"
    assert _choose(xml, "webspace", "dave.example", HANDLER).findtext("status") == "ok"
    root = xml.call(
        "<webspace><get><filter><name>dave.example</name></filter><dataset><hosting/>"
        "</dataset></get></webspace>"
    )
    props = {
        p.findtext("name"): p.findtext("value")
        for p in root.iterfind("webspace/get/result/data/hosting/vrt_hst/property")
    }
    assert props["php_handler_id"] == HANDLER


def test_usage_names_domains_and_plans_and_a_used_handler_stays_enabled(
    xml: XmlClient, world: World
) -> None:
    empty = _one(xml, "get-usage", ONE)
    assert [c.tag for c in empty] == ["status", "id", "usage"] and len(empty[2]) == 0
    _choose(xml, "webspace", "dave.example", HANDLER)
    xml.call(
        "<service-plan><add><name>PHP 8.2</name><hosting><property><name>php_handler_id"
        f"</name><value>{HANDLER}</value></property></hosting></add></service-plan>"
    )
    used = _one(xml, "get-usage", ONE).find("usage")
    assert used is not None
    assert [(e.tag, e.findtext("name")) for e in used] == [
        ("domain", "dave.example"),
        ("plan", "PHP 8.2"),
    ]
    code, text = error_of(_one(xml, "disable", ONE))
    assert code == 1023 and "used by 1 domains and 1 plans" in text
    assert _one(xml, "get", ONE).findtext("handler-status") == "enabled"


def test_an_empty_filter_is_every_handler(xml: XmlClient, world: World) -> None:
    found = results(
        xml.call("<php-handler><get-usage><filter/></get-usage></php-handler>"),
        "php-handler/get-usage",
    )
    assert len(found) == 6 and all(r.findtext("status") == "ok" for r in found)


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case(
        "php-handler",
        "get",
        "",
        "<get><x/></get>",
        "x",
        "<filter><id>php-none</id></filter>",
        "Php handler does not exists",
        None,
    ),
    *(
        Case(
            "php-handler",
            operation,
            ONE,
            f"<{operation}><x/>{ONE}</{operation}>",
            "x",
            "<filter><id>php-none</id></filter>",
            "Php handler does not exists",
            "rick",
        )
        for operation in ("enable", "disable", "get-usage")
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
