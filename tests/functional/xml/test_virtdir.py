"""Operator virtdir: a row per operation (operation_table.py), and the flow
create, get, update, remove, over SQLite and PostgreSQL; directories of a subdomain;
what goes with a site or subdomain; what is refused (1019, 1007, 1006)."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.factories import World
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import BOTH, XmlClient, error_of, results

SITE = "<site-id>{dave_ws}</site-id>"
VD = f"{SITE}<name>/vd1</name>"
CREATE = f"<virtdir><create>{VD}<properties/></create></virtdir>"
GONE = (1013, "Virtual directory does not exist")

CASES = [
    Case(
        "virtdir",
        "create",
        f"{VD}<properties><access-read>true</access-read></properties>",
        f"<create><name>/vd1</name>{SITE}<properties/></create>",
        "name",
        "<site-id>4242</site-id><name>/vd1</name><properties/>",
        "Site does not exist",
        "rick",
    ),
    Case(
        "virtdir",
        "update",
        f"{VD}<properties><dir-browsing>true</dir-browsing></properties>",
        f"<update>{VD}<properties><dir-browsing>true</dir-browsing><access-read>false"
        "</access-read></properties></update>",
        "access-read",
        f"{SITE}<name>/nope</name><properties/>",
        "Virtual directory does not exist",
        "dave",
        before=CREATE,
    ),
    Case(
        "virtdir",
        "remove",
        VD,
        f"<remove><name>/vd1</name>{SITE}</remove>",
        "name",
        f"{SITE}<name>/nope</name>",
        "Virtual directory does not exist",
        "rick",
        before=CREATE,
    ),
    Case(
        "virtdir",
        "get",
        VD,
        f"<get>{VD}<properties/></get>",
        "properties",
        "<subdomain-id>4242</subdomain-id><name>/vd1</name>",
        "Subdomain does not exist",
        "carol",
        before=CREATE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)


def _one(xml: XmlClient, operation: str, inner: str) -> etree._Element:
    root = xml.call(f"<virtdir><{operation}>{inner}</{operation}></virtdir>")
    (result,) = results(root, f"virtdir/{operation}")
    return result


def _props(result: etree._Element) -> list[tuple[str, str]]:
    props = result.find("properties")
    assert props is not None, etree.tostring(result)
    return [(str(c.tag), c.text or "") for c in props]


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_create_get_update_remove(xml: XmlClient, world: World) -> None:
    site = f"<site-id>{world.dave_ws}</site-id>"
    made = _one(
        xml,
        "create",
        f"{site}<name>docs/v1/</name><properties><real-path>/files/docs</real-path>"
        "<access-write>true</access-write><application><enabled/><run-in-mta>false"
        "</run-in-mta><aspnet-version>4.0</aspnet-version></application>"
        "<default-doc><enabled/><search>index.html</search><search>main.html</search>"
        "</default-doc><ip-deny>198.51.100.0/24</ip-deny><max-requests>50</max-requests>"
        "</properties>",
    )
    assert [c.tag for c in made] == ["status"]  # Plesk's VDirResultType: status alone
    got = _one(xml, "get", f"{site}<name>/docs/v1</name>")
    assert [c.tag for c in got][:3] == ["status", "filter-id", "id"]
    assert got.findtext("filter-id") == "/docs/v1"
    # every property with a value, defaults filled in, in Plesk's order
    assert _props(got) == [
        ("real-path", "/files/docs"),
        ("access-source", "false"),
        ("access-read", "true"),
        ("access-write", "true"),
        ("dir-browsing", "false"),
        ("log-visits", "true"),
        ("application", ""),
        ("execute-perm", "script"),
        ("default-doc", ""),
        ("access-anonymous", "true"),
        ("access-windows", "false"),
        ("require-ssl", "false"),
        ("ip-deny", "198.51.100.0/24"),
        ("max-requests", "50"),
    ]
    app = got.find("properties/application")
    assert app is not None
    assert [(c.tag, c.text) for c in app] == [
        ("enabled", None),
        ("run-in-mta", "false"),
        ("aspnet-version", "4.0"),
    ]
    assert [s.text for s in got.findall("properties/default-doc/search")] == [
        "index.html",
        "main.html",
    ]
    # update changes what it names; the rest stays
    changed = _one(
        xml,
        "update",
        f"{site}<name>/docs/v1</name><properties><dir-browsing>true</dir-browsing>"
        "<application><disabled/></application><execute-perm>none</execute-perm>"
        "</properties>",
    )
    assert changed.findtext("status") == "ok"
    got = dict(_props(_one(xml, "get", f"{site}<name>/docs/v1</name>")))
    assert got["dir-browsing"] == "true" and got["execute-perm"] == "none"
    assert got["access-write"] == "true" and got["real-path"] == "/files/docs"
    again = _one(xml, "get", f"{site}<name>/docs/v1</name>").find("properties/application")
    assert again is not None and [c.tag for c in again] == ["disabled"]
    # remove, then it is gone for every operation
    assert _one(xml, "remove", f"{site}<name>/docs/v1</name>").findtext("status") == "ok"
    assert error_of(_one(xml, "get", f"{site}<name>/docs/v1</name>")) == GONE
    assert error_of(_one(xml, "remove", f"{site}<name>/docs/v1</name>")) == GONE
    assert error_of(_one(xml, "update", f"{site}<name>/docs/v1</name><properties/>")) == GONE


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_a_subdomain_has_its_own_directories_and_takes_them_along(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    site = panel.domains.get(admin, world.dave_ws)
    sub = panel.subdomains.create(admin, site, "forum")
    on_sub = f"<subdomain-id>{sub.id}</subdomain-id><name>/vd</name>"
    on_site = f"<site-id>{world.dave_ws}</site-id><name>/vd</name>"
    assert _one(xml, "create", f"{on_sub}<properties/>").findtext("status") == "ok"
    # the same name on the site is another directory
    assert error_of(_one(xml, "get", on_site)) == GONE
    assert _one(xml, "create", f"{on_site}<properties/>").findtext("status") == "ok"
    assert error_of(_one(xml, "create", f"{on_sub}<properties/>"))[0] == 1007
    panel.subdomains.delete(admin, sub)
    # the subdomain's directory went with it; the site's stays
    assert _one(xml, "get", on_site).findtext("status") == "ok"
    assert panel.virtdirs.list(admin, panel.virtdirs.place(admin, site_id=site.id))


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_directories_go_with_their_site(
    xml: XmlClient, panel: Panel, admin: Identity, world: World
) -> None:
    on_site = f"<site-id>{world.carol_site}</site-id><name>/vd</name>"
    assert _one(xml, "create", f"{on_site}<properties/>").findtext("status") == "ok"
    site = panel.domains.get(admin, world.carol_site)
    panel.domains.delete(admin, site)
    removed = [e for e in panel.events.list() if e.action == "virtdir_delete"]
    assert len(removed) == 1
    assert error_of(_one(xml, "get", on_site)) == (1013, "Site does not exist")


@pytest.mark.parametrize(
    ("name", "props"),
    [
        ("/", ""),  # the site's root is not a virtual directory
        ("/a b", ""),
        ("/vd", "<access-read>maybe</access-read>"),
        ("/vd", "<execute-perm>all</execute-perm>"),
        ("/vd", "<ip-allow>not-an-address</ip-allow>"),
        ("/vd", "<max-requests>-3</max-requests>"),
        ("/vd", "<real-path>../../etc</real-path>"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    xml: XmlClient, panel: Panel, world: World, name: str, props: str
) -> None:
    before = len(panel.events.list())
    made = _one(
        xml,
        "create",
        f"<site-id>{world.dave_ws}</site-id><name>{name}</name><properties>{props}</properties>",
    )
    assert error_of(made)[0] == 1019
    assert len(panel.events.list()) == before


def test_application_needs_run_in_mta_as_in_plesk(xml: XmlClient, world: World) -> None:
    root = xml.call(
        f"<virtdir><create><site-id>{world.dave_ws}</site-id><name>/vd</name><properties>"
        "<application><enabled/></application></properties></create></virtdir>"
    )
    assert root.find("system/errcode") is not None and root.findtext("system/errcode") == "1014"
