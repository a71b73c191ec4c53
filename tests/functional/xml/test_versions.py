"""Every protocol version Plesk lists is served, each checked against its own shape."""

from __future__ import annotations

import threading

from lxml import etree

from panelkey.core.errors import MalformedRequest
from panelkey.xmlapi import parsing, validation, versions
from tests.functional.xml.xml_helpers import NEW, OLD, Legacy, system_code

PROTOS = "<server><get_protos/></server>"
# Plesk's get_protos reference lists these first, before 1.3.0.0.
FIRST = ["1.0.0.0", "1.1.0.0", "1.2.0.0", "1.3.0.0"]
CUSTOMER_GET = "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"
WEBSPACE_GET = "<webspace><get><filter/><dataset><gen_info/></dataset></get></webspace>"
CLIENT_GET = "<client><get><filter/><dataset><gen_info/></dataset></get></client>"
DOMAIN_GET = "<domain><get><filter/><dataset><gen_info/></dataset></get></domain>"


def test_get_protos_lists_every_version_from_1_0_0_0(legacy: Legacy) -> None:
    got = legacy.ok(PROTOS, "server/get_protos", OLD)
    listed = [p.text for p in got.findall("protos/proto")]
    assert listed[:4] == FIRST
    assert listed[-1] == NEW
    assert listed == list(versions.SUPPORTED_VERSIONS)
    numbers = [tuple(int(n) for n in str(v).split(".")) for v in listed]
    assert numbers == sorted(set(numbers))


def test_a_packet_of_every_listed_version_is_served(legacy: Legacy) -> None:
    # one store for every version (a loop, not parameters: a store per case is slow)
    for version in versions.SUPPORTED_VERSIONS:
        got = legacy.ok(PROTOS, "server/get_protos", version)
        assert [p.text for p in got.findall("protos/proto")][:1] == ["1.0.0.0"]


def test_a_packet_without_version_is_answered_at_the_servers(legacy: Legacy) -> None:
    legacy.ok(PROTOS, "server/get_protos", None)


def test_packet_level_errors_carry_the_servers_version(legacy: Legacy) -> None:
    assert system_code(legacy.call("<nope/>", OLD))[0] == 1014
    assert system_code(legacy.call(PROTOS, "0.9.0.0"))[0] == 1005


def test_operators_of_plesk_10_are_refused_in_older_packets(legacy: Legacy) -> None:
    for version in ("1.0.0.0", "1.4.2.0", "1.5.2.1", "1.6.2.0", "1.4"):
        for inner in (CUSTOMER_GET, WEBSPACE_GET):
            code, text = system_code(legacy.call(inner, version))
            operator = inner[1 : inner.index(">")]
            assert code == 1014
            assert f"element '{operator}' is not expected" in text
            # the old shape's own operators are named in their place
            assert "expected one of (secret_key, client, server, domain, dns" in text


def test_legacy_operators_are_refused_from_1_6_3_0_on(legacy: Legacy) -> None:
    for version in ("1.6.3.0", "1.6.7.0", NEW, "1.6", None):
        for inner in (CLIENT_GET, DOMAIN_GET):
            code, text = system_code(legacy.call(inner, version))
            operator = inner[1 : inner.index(">")]
            assert code == 1014
            assert f"element '{operator}' is not expected" in text
            assert "expected one of (secret_key, customer, server, webspace, site" in text


def test_legacy_operators_are_served_before_1_6_3_0(legacy: Legacy) -> None:
    for version in ("1.0.0.0", "1.3.5.0", "1.6.2.0", "1.4"):
        root = legacy.call(CLIENT_GET + DOMAIN_GET, version)
        assert root.find("system") is None, etree.tostring(root)
        assert [r.findtext("status") for r in root.iter("result")] == ["ok", "ok"]


def test_operators_every_version_had_are_served_at_both(legacy: Legacy) -> None:
    for version in (OLD, NEW):
        root = legacy.call("<server><get><gen_info/></get></server>", version)
        assert root.findtext("server/get/result/status") == "ok"


def test_one_schema_per_shape_loaded_once() -> None:
    shapes = {versions.lacks(v) for v in versions.SUPPORTED_VERSIONS}
    assert shapes == {
        frozenset({"client", "domain"}),
        frozenset(
            {"customer", "webspace", "site", "service-plan", "service-plan-addon", "reseller-plan"}
        ),
    }
    assert set(validation._SHAPES) == shapes
    for shape in validation._SHAPES.values():
        with shape.lock:
            assert shape.schema() is shape.schema()


def _packet(version: str, inner: str) -> etree._Element:
    return parsing.parse_packet(f'<packet version="{version}">{inner}</packet>'.encode())


def test_shapes_are_checked_safely_from_several_threads() -> None:
    """Packets of both shapes at once, good and bad: each gets its own verdict."""
    cases = [
        (_packet(OLD, CLIENT_GET), True),
        (_packet(OLD, CUSTOMER_GET), False),
        (_packet(NEW, CUSTOMER_GET), True),
        (_packet(NEW, CLIENT_GET), False),
    ]
    wrong: list[str] = []

    def work() -> None:
        for _ in range(50):
            for packet, good in cases:
                try:
                    validation.validate(packet)
                    verdict = True
                except MalformedRequest:
                    verdict = False
                if verdict != good:
                    wrong.append(etree.tostring(packet).decode())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
