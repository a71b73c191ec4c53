"""Operator php-handler: the catalogue of PHP handlers; an unknown handler answers Plesk's
own text, which clients (Plesk's PHP SDK among them) match on."""

from __future__ import annotations

import pytest

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
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
