"""Operator server: get_protos and get (each section); its create_session is in
test_session.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.xmlapi.operators.server import SECTIONS
from tests import factories
from tests.factories import key_of
from tests.functional.xml.operation_table import USER_IP, Case, Scene, run
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    only,
    results,
    tags,
)

# The first children each section must have, in Plesk's order.
SHAPES = {
    "key": ["property"],
    "gen_info": ["server_name", "server_guid", "mode"],
    "components": ["component"],
    "stat": ["objects", "version", "other", "load_avg", "mem", "swap", "diskspace"],
    "admin": ["admin_cname", "admin_pname", "admin_phone"],
    "interfaces": ["interface"],
    "services_state": ["srv"],
    "prefs": ["stat_ttl", "traffic_accounting", "restart_apache_interval"],
    "shells": ["shell"],
    "session_setup": ["login_timeout"],
    "site-isolation-config": ["property"],
    "updates": ["last_installed_update", "install_updates_automatically"],
}
# Sections Plesk answers only when asked (an empty get leaves them out).
ON_REQUEST = {"admin-domain-list": [], "certificates": ["panel"]}


def _get(xml: XmlClient, inner: str, key: str | None = None) -> etree._Element:
    return only(xml.call(f"<server><get>{inner}</get></server>", key=key), "server/get")


@pytest.mark.parametrize("section", ["key", *SECTIONS])
def test_each_section_alone(xml: XmlClient, section: str) -> None:
    result = ok(_get(xml, f"<{section}/>"))
    assert tags(result) == ["status", section]
    body = result.find(section)
    shape = {**SHAPES, **ON_REQUEST}[section]
    assert tags(body)[: len(shape)] == shape


def test_an_empty_get_answers_every_section_in_plesks_order(xml: XmlClient) -> None:
    assert tags(ok(_get(xml, ""))) == ["status", *SHAPES]


def test_several_sections_in_order(xml: XmlClient) -> None:
    result = ok(_get(xml, "<gen_info/><stat/><updates/>"))
    assert tags(result) == ["status", "gen_info", "stat", "updates"]


def test_services_dns_and_mail_run(xml: XmlClient) -> None:
    result = ok(_get(xml, "<services_state/>"))
    states = {s.findtext("id"): s.findtext("state") for s in result.findall("services_state/srv")}
    assert states["dns"] == states["mail"] == "running"


def test_smtp_and_imap_pop3_are_two_services_titled_as_plesk_does(xml: XmlClient) -> None:
    result = ok(_get(xml, "<services_state/>"))
    titles = {s.findtext("id"): s.findtext("title") for s in result.findall("services_state/srv")}
    # Plesk: "SMTP Server (<software>)" as smtp, "IMAP/POP3 Server (<software>)" as mail
    assert (titles["smtp"] or "").startswith("SMTP Server (")
    assert (titles["mail"] or "").startswith("IMAP/POP3 Server (")
    assert all(t and t.endswith(")") for i, t in titles.items() if i in ("smtp", "mail"))


def _key_properties(result: etree._Element) -> dict[str, str]:
    return {p.findtext("name") or "": p.findtext("value") or "" for p in result.iter("property")}


def test_the_key_answers_its_boolean_properties_as_0_or_1(xml: XmlClient) -> None:
    props = _key_properties(ok(_get(xml, "<key/>")).find("key"))
    for name in (
        "can-manage-customers",
        "can-manage-resellers",
        "can-manage-accounts",
        "can-manage-subscriptions",
    ):
        assert props[name] == "1", name
    assert props["plesk_key_id"].startswith("PANELKEY.")


def test_a_key_filter_picks_keys(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    result = ok(_get(xml, "<key><filter><additional/></filter></key>"))
    assert result.findall("key") == []
    panel.server.install_license(admin, "ADDITIONAL-KEY-TEXT", code="ADD-1", additional=True)
    result = ok(_get(xml, "<key><filter><additional/></filter></key>"))
    (extra,) = result.findall("key")
    props = _key_properties(extra)
    assert props["key_type"] == "additional" and props["can-manage-customers"] == "0"
    result = ok(_get(xml, "<key><filter><all/></filter></key>"))
    assert len(result.findall("key")) == 2
    result = ok(_get(xml, f"<key><filter><id>{props['plesk_key_id']}</id></filter></key>"))
    assert [_key_properties(k)["key_type"] for k in result.findall("key")] == ["additional"]
    # no filter: the main key, as Plesk answers
    (main,) = ok(_get(xml, "<key/>")).findall("key")
    assert _key_properties(main)["key_type"] == "panelkey"


def test_stat_counts_the_objects_made(xml: XmlClient, panel: Panel, admin: Identity) -> None:
    def objects() -> dict[str, int]:
        result = ok(_get(xml, "<stat/>"))
        return {str(c.tag): int(c.text or 0) for c in result.find("stat/objects")}

    before = objects()
    assert tags(ok(_get(xml, "<stat/>")).find("stat/objects"))[:3] == [
        "clients",
        "domains",
        "active_domains",
    ]
    add_reseller(xml, "res1")
    add_customer(xml, "c1")
    add_customer(xml, "c2", owner="res1")
    ws = factories.webspace(panel, "a.example", owner=panel.accounts.by_login("c1"))
    factories.webspace(panel, "b.example", status="suspended")
    factories.site(panel, "site.a.example", ws)
    panel.accounts.update(admin, panel.accounts.by_login("c2"), {"status": 16})
    after = objects()
    assert after["clients"] - before["clients"] == 2
    assert after["domains"] - before["domains"] == 2
    assert after["active_domains"] - before["active_domains"] == 1
    assert after["problem_clients"] - before["problem_clients"] == 1


def test_an_element_out_of_order_is_1014(xml: XmlClient) -> None:
    code, text = fault(xml, "<server><get><stat/><key/></get></server>")
    assert code == 1014 and "'key'" in text


def test_only_the_admin_reads_the_server(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    add_reseller(xml, "res1")
    assert error_of(_get(xml, "<gen_info/>", key=key_for("res1")))[0] == 1006


# -- get_protos, and one answer per caller ------------------------------------------------


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_get_protos_lists_versions_newest_last(xml: XmlClient) -> None:
    (result,) = results(xml.call("<server><get_protos/></server>"), "server/get_protos")
    protos = [p.text for p in result.findall("protos/proto")]
    for version in ("1.6.3.0", "1.6.6.0", "1.6.7.0"):
        assert version in protos
    assert protos[-1] == "1.6.9.1"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_server_get_gen_info(xml: XmlClient, panel: Panel) -> None:
    for inner in ("<get><gen_info/></get>", "<get/>"):
        (result,) = results(xml.call(f"<server>{inner}</server>"), "server/get")
        assert result.findtext("status") == "ok"
        assert result.findtext("gen_info/server_guid") == panel.server_guid()
        assert result.findtext("gen_info/server_name")
        assert result.findtext("gen_info/mode") == "standard"


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_customers_get_protos_but_not_server_get(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    add_customer(xml, "jdoe")
    key = key_of(panel, admin, "jdoe")
    root = xml.call("<server><get_protos/><get><gen_info/></get></server>", key=key)
    assert results(root, "server/get_protos")[0].findtext("status") == "ok"
    assert error_of(results(root, "server/get")[0])[0] == 1006


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_same_packet_from_another_caller_gets_its_own_answer(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    add_customer(xml, "jdoe")
    key = key_of(panel, admin, "jdoe")
    for _ in range(2):  # the second round is answered from the remembered answers
        assert (
            results(xml.call("<server><get/></server>"), "server/get")[0].findtext("status") == "ok"
        )
        assert (
            error_of(results(xml.call("<server><get/></server>", key=key), "server/get")[0])[0]
            == 1006
        )


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case("server", "get_protos", "", "<get_protos><x/></get_protos>", "get_protos", None, "", None),
    Case("server", "get", "<gen_info/>", "<get><stat/><key/></get>", "key", None, "", "rick"),
    Case(
        "server",
        "create_session",
        f"<login>dave</login><data><user_ip>{USER_IP}</user_ip></data>",
        f"<create_session><data><user_ip>{USER_IP}</user_ip></data><login>dave</login>"
        "</create_session>",
        "data",
        f"<login>ghost</login><data><user_ip>{USER_IP}</user_ip></data>",
        "Client does not exist",
        "carol",
        1013,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
