"""Operator php-handler: an unknown handler answers Plesk's own text, which clients
(Plesk's PHP SDK among them) match on."""

from __future__ import annotations

from tests.functional.xml.xml_helpers import XmlClient, error_of, results


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
