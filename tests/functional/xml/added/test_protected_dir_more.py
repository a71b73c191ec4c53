"""Operator protected-dir, beyond tier 2: get-user and get-pd-location-descriptor (a row
each, from tests/functional/xml/rows.py); users by id or by directory, never a
password; the location properties, per site as its SSL/TLS setting has it."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.functional.xml.rows import Case, run
from tests.functional.xml.xml_helpers import XmlClient, error_of, results
from tests.functional.xml_domains.conftest import World
from tests.functional.xml_domains.conftest import world as world  # noqa: F401 - a fixture

CASES = [
    Case(
        "protected-dir",
        "get-user",
        "<filter><id>{pd_user}</id></filter>",
        "<get-user><x/><filter><id>{pd_user}</id></filter></get-user>",
        "x",
        "<filter><id>4242</id></filter>",
        "User is not found",
        "dave",  # not his site: as if the user did not exist
        1013,
    ),
    Case(
        "protected-dir",
        "get-pd-location-descriptor",
        "<filter><site-id>{carol_site}</site-id></filter>",
        "<get-pd-location-descriptor><x/></get-pd-location-descriptor>",
        "x",
        "<filter><site-id>4242</site-id></filter>",
        "site is not found",
        "dave",
        1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation(xml: XmlClient, panel: Panel, admin: Identity, world: World, case: Case) -> None:
    run(xml, panel, admin, world, case)


def _all(
    xml: XmlClient, operation: str, inner: str, key: str | None = None
) -> list[etree._Element]:
    root = xml.call(f"<protected-dir><{operation}>{inner}</{operation}></protected-dir>", key=key)
    return results(root, f"protected-dir/{operation}")


def test_users_by_id_and_by_directory_without_passwords(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    site = panel.domains.get(admin, world.carol_site)
    pd = panel.protected_dirs.create(admin, site, "private")
    first = panel.protected_dirs.add_user(admin, pd, "reader", "Reader-secret-42")
    second = panel.protected_dirs.add_user(admin, pd, "writer", "Writer-secret-42")
    found = _all(xml, "get-user", f"<filter><pd-id>{pd.id}</pd-id></filter>")
    assert [[(c.tag, c.text) for c in r if c.tag != "data"] for r in found] == [
        [("status", "ok"), ("filter-id", str(pd.id)), ("id", str(first.id))],
        [("status", "ok"), ("filter-id", str(pd.id)), ("id", str(second.id))],
    ]
    assert [r.findtext("data/login") for r in found] == ["reader", "writer"]
    assert [[c.tag for c in r.iterfind("data/*")] for r in found] == [["login"], ["login"]]
    assert b"secret" not in b"".join(etree.tostring(r) for r in found)
    # the site's owner sees them; by id, a miss beside a hit
    mine = _all(
        xml,
        "get-user",
        f"<filter><id>{second.id}</id><id>4242</id></filter>",
        key=world.carol.key,
    )
    assert mine[0].findtext("data/login") == "writer"
    assert error_of(mine[1]) == (1013, "User is not found")
    assert mine[1].findtext("id") == "4242"


def _descriptor(result: etree._Element) -> dict[str, str | None]:
    return {
        p.findtext("name"): p.findtext("default-value")
        for p in result.iterfind("descriptor/property")
    }


def test_the_location_descriptor_follows_the_sites_ssl(xml: XmlClient, world: World) -> None:
    (server,) = _all(xml, "get-pd-location-descriptor", "")
    assert _descriptor(server) == {"ssl": "true", "non-ssl": "true", "cgi": "false"}
    prop = server.find("descriptor/property")
    assert prop is not None
    assert [c.tag for c in prop] == ["name", "type", "default-value", "writable-by", "label"]
    xml.call(
        "<site><set><filter><name>blog.carol.example</name></filter><values><hosting>"
        "<vrt_hst><property><name>ssl</name><value>false</value></property></vrt_hst>"
        "</hosting></values></set></site>"
    )
    site, other = _all(
        xml,
        "get-pd-location-descriptor",
        f"<filter><site-id>{world.carol_site}</site-id><site-id>{world.dave_ws}</site-id></filter>",
    )
    assert (site.findtext("filter-id"), site.findtext("id")) == (str(world.carol_site),) * 2
    assert _descriptor(site)["ssl"] == "false"
    assert _descriptor(other)["ssl"] == "true"
