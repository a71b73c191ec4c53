"""Operator server: get_protos and get (each section); settings (set, initial_setup),
services (srv_man, reboot, clean-mail-queue), misc parameters, additional
administrators, domain restrictions, the billing connection: what each write changes, a
later read shows. Its create_session is in test_session.py, its license keys' flows in
test_server_license.py; every operation's row is here."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.context import Context
from panelkey.core.access.auth import Refused
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from panelkey.xmlapi.operators.server import SECTIONS
from tests import factories
from tests.factories import World, key_of
from tests.functional.rest.rest_helpers import Api
from tests.functional.xml.operation_table import USER_IP, Case, Scene, run
from tests.functional.xml.xml_helpers import (
    BOTH,
    XmlClient,
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    one,
    only,
    results,
    system_error,
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


# -- settings, services, administrators, restrictions, misc, billing ---------------------


def _one(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    """The single result of one server operation."""
    return one(xml, "server", operation, inner, key)


def _ok(xml: XmlClient, operation: str, inner: str = "", key: str | None = None) -> etree._Element:
    return ok(_one(xml, operation, inner, key))


def _states(xml: XmlClient) -> dict[str, str]:
    found = ok(_get(xml, "<services_state/>")).findall("services_state/srv")
    return {s.findtext("id") or "": s.findtext("state") or "" for s in found}


def test_srv_man_stop_then_get_says_stopped_and_a_reboot_starts_all(xml: XmlClient) -> None:
    assert set(_states(xml).values()) == {"running"}
    done = _ok(xml, "srv_man", "<id>dns</id><operation>stop</operation>")
    assert done.findtext("id") == "dns"
    _ok(xml, "srv_man", "<id>mail</id><operation>stop</operation>")
    states = _states(xml)
    assert states["dns"] == states["mail"] == "stopped" and states["web"] == "running"
    _ok(xml, "srv_man", "<id>dns</id><operation>restart</operation>")
    assert _states(xml)["dns"] == "running"
    _ok(xml, "srv_man", "<id>dns</id><operation>stop</operation>")
    _ok(xml, "reboot")
    assert set(_states(xml).values()) == {"running"}
    unknown = _one(xml, "srv_man", "<id>nope</id><operation>start</operation>")
    assert (
        error_of(unknown) == (1013, "Service does not exist") and unknown.findtext("id") == "nope"
    )


def test_set_then_get_shows_admin_prefs_session_setup_mode_and_external_id(
    xml: XmlClient, panel: Panel
) -> None:
    _ok(
        xml,
        "set",
        "<mode>poweruser</mode><session_setup><login_timeout>45</login_timeout></session_setup>"
        "<prefs><traffic_accounting>1</traffic_accounting><smtp_password>smtp-secret</smtp_password>"
        "<ftp_over_ssl>required</ftp_over_ssl></prefs><external-id>whmcs-1</external-id>"
        "<admin><admin_cname>Ada Ltd</admin_cname><admin_pname>Ada Admin</admin_pname>"
        "<admin_email>ada@example.com</admin_email><send_announce>true</send_announce></admin>",
    )
    got = ok(_get(xml, "<gen_info/><admin/><prefs/><session_setup/>"))
    assert [c.tag for c in got.find("gen_info")] == [
        "server_name", "server_guid", "external-id", "mode",
    ]  # fmt: skip
    assert got.findtext("gen_info/mode") == "poweruser"
    assert got.findtext("gen_info/external-id") == "whmcs-1"
    assert got.findtext("admin/admin_cname") == "Ada Ltd"
    assert got.findtext("admin/admin_pname") == "Ada Admin"
    assert got.findtext("admin/admin_email") == "ada@example.com"
    assert got.findtext("admin/send_announce") == "true"
    prefs = {str(c.tag): c.text for c in got.find("prefs")}
    # Plesk's order; the secret kept only as a digest, never answered
    assert list(prefs) == [
        "stat_ttl",
        "traffic_accounting",
        "restart_apache_interval",
        "ftp_over_ssl",
    ]
    assert prefs["traffic_accounting"] == "1" and prefs["ftp_over_ssl"] == "required"
    assert b"smtp-secret" not in etree.tostring(got)
    with panel.db.read() as conn:
        stored = conn.execute(sa.select(tables.properties.c.value)).scalars().all()
    assert "smtp-secret" not in stored
    assert got.findtext("session_setup/login_timeout") == "45"
    admin = panel.accounts.admin()
    assert admin is not None and admin.company == "Ada Ltd"
    # a value the schema refuses is 1014; one the core refuses writes nothing
    code, _ = system_error(xml.call("<server><set><mode>expert</mode></set></server>"))
    assert code == 1014
    bad = _one(
        xml, "set", "<mode>standard</mode><admin><admin_email>no-at-sign</admin_email></admin>"
    )
    assert error_of(bad)[0] == 1019
    assert ok(_get(xml, "<gen_info/>")).findtext("gen_info/mode") == "poweruser"


def test_the_login_timeout_set_is_the_one_sessions_keep(xml: XmlClient, panel: Panel) -> None:
    user_ip = base64.b64encode(b"203.0.113.5").decode()
    made = _ok(
        xml,
        "create_session",
        f"<login>admin</login><data><user_ip>{user_ip}</user_ip></data>",
    )
    assert made.findtext("id")
    # idle for 10 minutes: alive under Plesk's 30, over after a set of 5
    ten_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    with panel.db.begin() as conn:
        conn.execute(tables.sessions.update().values(last_active=ten_ago))

    def listed() -> int:
        root = xml.call("<session><get/></session>")
        return len(root.findall("session/get/result/session"))

    assert listed() == 1
    _ok(xml, "set", "<session_setup><login_timeout>5</login_timeout></session_setup>")
    assert listed() == 0
    _ok(xml, "set", "<session_setup><login_timeout>15</login_timeout></session_setup>")
    assert listed() == 1


def test_admin_aliases_are_added_changed_and_deleted(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    _ok(xml, "add-admin-alias", ALIAS)
    (alias,) = panel.admin_aliases.list(admin)
    assert (alias.login, alias.email, alias.active) == ("deputy", "deputy@example.com", True)
    with panel.db.read() as conn:
        stored = conn.execute(sa.select(tables.admin_aliases.c.password)).scalar()
    assert stored and "deputy-pass-1" not in stored
    taken = _one(xml, "add-admin-alias", ALIAS)
    assert error_of(taken)[0] == 1007
    as_account = _one(
        xml, "add-admin-alias", "<data><login>admin</login><password>pw-12345</password></data>"
    )
    assert error_of(as_account)[0] == 1007
    _ok(
        xml,
        "set-admin-alias",
        "<filter><login>deputy</login></filter><data><status>false</status>"
        "<login>deputy2</login><comment>night shift</comment></data>",
    )
    (alias,) = panel.admin_aliases.list(admin)
    assert (alias.login, alias.comment, alias.active) == ("deputy2", "night shift", False)
    gone = _one(xml, "del-admin-alias", "<filter><login>deputy</login></filter>")
    assert error_of(gone) == (1013, "Administrator alias does not exist")
    _ok(xml, "del-admin-alias", "<filter><login>deputy2</login></filter>")
    assert panel.admin_aliases.list(admin) == []
    actions = [e.action for e in panel.events.list(obj_class="admin_alias")]
    assert actions == ["admin_alias_create", "admin_alias_update", "admin_alias_delete"]
    assert "deputy-pass-1" not in json.dumps([e.new_values for e in panel.events.list()])


def _restrictions(xml: XmlClient) -> tuple[str, list[str]]:
    root = xml.call("<server><domain-restriction-list/></server>")
    # Plesk answers the list with no <result>: its elements, none an error
    found = root.find("server/domain-restriction-list")
    assert found is not None and len(found), etree.tostring(root)
    assert all(status.text == "ok" for status in found.iter("status")), etree.tostring(root)
    assert [c.tag for c in found][:1] == ["enable"]
    return found.findtext("enable") or "", [n.text or "" for n in found.findall("name")]


def test_a_restricted_name_is_refused_to_resellers_and_customers_while_the_list_applies(
    xml: XmlClient, world: World, ctx: Context, panel: Panel, tmp_path: Path
) -> None:
    assert _restrictions(xml) == ("0", [])
    _ok(xml, "domain-restriction-add", "<name>Restricted.Example</name>")
    taken = _one(xml, "domain-restriction-add", "<name>restricted.example</name>")
    assert error_of(taken)[0] == 1007
    _ok(xml, "domain-restriction-add", "<name>other.example</name>")
    _ok(
        xml,
        "domain-restriction-rename",
        "<name>other.example</name><new-name>brand.example</new-name>",
    )
    _ok(xml, "domain-restriction-enable")
    assert _restrictions(xml) == ("1", ["brand.example", "restricted.example"])
    rick = world.reseller.key
    _ok(xml, "get", "<gen_info/>")  # the admin reads on
    plan = xml.call("<service-plan><add><name>Rick plan</name></add></service-plan>", key=rick)
    assert results(plan, "service-plan/add")[0].findtext("status") == "ok"

    def webspace(name: str, key: str | None) -> etree._Element:
        root = xml.call(
            f"<webspace><add><gen_setup><name>{name}</name><owner-login>carol</owner-login>"
            "</gen_setup><plan-name>Rick plan</plan-name></add></webspace>",
            key=key,
        )
        (found,) = results(root, "webspace/add")
        return found

    refused = webspace("restricted.example", rick)
    assert error_of(refused) == (
        1006, "The domain name restricted.example is restricted by the administrator"
    )  # fmt: skip
    assert error_of(webspace("shop.brand.example", rick))[0] == 1006
    # a site of carol's, and a domain over REST: refused the same
    site = xml.call(
        "<site><add><gen_setup><name>restricted.example</name><webspace-name>carol.example"
        "</webspace-name></gen_setup></add></site>",
        key=world.carol.key,
    )
    assert error_of(results(site, "site/add")[0])[0] == 1006
    api = Api(panel, ctx, tmp_path / "panel.ini")
    over_rest = api.post(
        "/domains",
        headers={"X-API-Key": world.carol.key},
        json={"name": "brand.example", "hosting_type": "virtual"},
    )
    assert over_rest.status_code == 403, over_rest.text
    # the admin is not restricted; nor is anyone once the list no longer applies
    assert webspace("brand.example", None).findtext("status") == "ok"
    _ok(xml, "domain-restriction-disable")
    assert webspace("restricted.example", rick).findtext("status") == "ok"
    _ok(xml, "domain-restriction-remove", "<name>restricted.example</name>")
    assert _restrictions(xml) == ("0", ["brand.example"])


def test_initial_setup_runs_once_and_names_the_server(xml: XmlClient, panel: Panel) -> None:
    done = _ok(
        xml,
        "initial_setup",
        "<password>first-pass-1</password><server_name>plesk.example.com</server_name>"
        "<admin><admin_pname>First Admin</admin_pname></admin>",
    )
    assert done.findtext("server_name") == "plesk.example.com"
    assert ok(_get(xml, "<gen_info/>")).findtext("gen_info/server_name") == "plesk.example.com"
    admin = panel.accounts.admin()
    assert admin is not None and admin.name == "First Admin"
    assert not isinstance(panel.auth.check_password("admin", "first-pass-1"), Refused)
    again = _one(
        xml,
        "initial_setup",
        "<admin><admin_pname>X</admin_pname></admin><password>other-pw-1</password>",
    )
    assert error_of(again)[0] == 1006


def test_misc_parameters_are_set_read_and_deleted(xml: XmlClient) -> None:
    made = xml.call(
        "<server><set_misc><filter><property><name>color</name><value>blue</value></property>"
        "<property><name>size</name><value>10</value></property></filter></set_misc></server>"
    )
    assert [r.findtext("property/name") for r in results(made, "server/set_misc")] == [
        "color",
        "size",
    ]
    got = xml.call(
        "<server><get_misc><filter><property><name>size</name></property><property><name>none"
        "</name></property></filter></get_misc></server>"
    )
    size, none = results(got, "server/get_misc")
    assert (size.findtext("property/name"), size.findtext("property/value")) == ("size", "10")
    assert error_of(none) == (1013, "Parameter does not exist")
    assert none.findtext("property/name") == "none"
    _ok(xml, "del_misc", "<filter><property><name>size</name></property></filter>")
    gone = _one(xml, "get_misc", "<filter><property><name>size</name></property></filter>")
    assert error_of(gone)[0] == 1013


def test_the_billing_connection_keeps_no_access_hash(xml: XmlClient, panel: Panel) -> None:
    _ok(xml, "set-ppb-connection", PPB)
    kept = panel.billing.get()
    assert kept["url"] == "https://billing.example/" and kept["integration-api-version"] == "1.0"
    assert "h4sh-v4lue" not in json.dumps(kept)
    assert kept["remote-access-hash.digest"] == hashlib.sha256(b"h4sh-v4lue").hexdigest()


# -- every operation: the table's rows (operation_table.py) -------------------------------


ADD_MAIN = "<server><lic_install><license>{main}</license></lic_install></server>"
ADD_ADDON = (
    "<server><lic_install><license>{addon}</license><additional_key/></lic_install></server>"
)
SET_MISC = (
    "<server><set_misc><filter><property><name>color</name><value>blue</value></property>"
    "</filter></set_misc></server>"
)
ALIAS = (
    "<data><login>deputy</login><password>deputy-pass-1</password>"
    "<email>deputy@example.com</email></data>"
)
ADD_ALIAS = f"<server><add-admin-alias>{ALIAS}</add-admin-alias></server>"
RESTRICT = (
    "<server><domain-restriction-add><name>restricted.example</name>"
    "</domain-restriction-add></server>"
)
PPB = (
    "<connection><ppb-url>https://billing.example/</ppb-url><remote-access-hash>h4sh-v4lue"
    "</remote-access-hash><integration-api-version>1.0</integration-api-version></connection>"
)


def _c(operation: str, good: str, misordered: str, late: str, *rest: Any, **kw: Any) -> Case:
    return Case("server", operation, good, misordered, late, *rest, **kw)


def _empty(operation: str, caller: str = "rick", bare: bool = False) -> Case:
    """An operation that takes nothing: content inside it is out of place."""
    return _c(
        operation, "", f"<{operation}><x/></{operation}>", operation, None, "", caller, bare=bare
    )


KEY_MISSING = "License key does not exist"
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
    # -- license keys, most used first -------------------------------------------------
    _c(
        "lic_install",
        "<activation-code>A00B00-CDE111-FGH222</activation-code>",
        "<lic_install><additional_key/><activation-code>X</activation-code></lic_install>",
        "additional_key",
        None,
        "",
        "rick",
    ),
    _c(
        "get_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<get_additional_key><filter/><filter/></get_additional_key>",
        "filter",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _c(
        "set",
        "<admin><admin_pname>Ada Admin</admin_pname></admin><prefs><stat_ttl>6</stat_ttl>"
        "</prefs><session_setup><login_timeout>45</login_timeout></session_setup>",
        "<set><admin><admin_pname>A</admin_pname><admin_cname>C</admin_cname></admin></set>",
        "admin_cname",
        None,
        "",
        "carol",
    ),
    _c(
        "license-rollback-key",
        "",
        "<license-rollback-key><x/></license-rollback-key>",
        "license-rollback-key",
        None,
        "",
        "rick",
        before=ADD_MAIN,
    ),
    _c(
        "lic_update",
        "<filter><key-id>{main_id}</key-id></filter>",
        "<lic_update><instance-id>i-1</instance-id><filter><key-id>K</key-id></filter>"
        "</lic_update>",
        "instance-id",
        "<filter><key-id>PLSK.99999999.0000</key-id></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_MAIN,
    ),
    _c(
        "lic_get_info",
        "<license>{main}</license>",
        "<lic_get_info><x/><license>{main}</license></lic_get_info>",
        "x",
        None,
        "",
        "rick",
        bare=True,  # Plesk answers no <result>
    ),
    _c(
        "remove_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<remove_additional_key><filter/><filter/></remove_additional_key>",
        "filter",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _c(
        "renew_additional_key",
        "<filter><name>{addon_name}</name></filter>",
        "<renew_additional_key><filter><name>x</name></filter><x/></renew_additional_key>",
        "x",
        "<filter><name>NOPE.00000000/none</name></filter>",
        KEY_MISSING,
        "rick",
        before=ADD_ADDON,
    ),
    _empty("license-retrieve-keys"),
    # -- misc parameters ----------------------------------------------------------------
    _c(
        "get_misc",
        "<filter><property><name>color</name></property></filter>",
        "<get_misc><filter><property><x/><name>color</name></property></filter></get_misc>",
        "x",
        "<filter><property><name>nothing-here</name></property></filter>",
        "Parameter does not exist",
        "rick",
        before=SET_MISC,
    ),
    _c(
        "set_misc",
        "<filter><property><name>color</name><value>green</value></property></filter>",
        "<set_misc><filter><property><value>v</value><name>n</name></property></filter></set_misc>",
        "value",
        None,
        "",
        "carol",
    ),
    _c(
        "del_misc",
        "<filter><property><name>color</name></property></filter>",
        "<del_misc><x/><filter><property><name>color</name></property></filter></del_misc>",
        "x",
        "<filter><property><name>nothing-here</name></property></filter>",
        "Parameter does not exist",
        "rick",
        before=SET_MISC,
    ),
    # -- services -----------------------------------------------------------------------
    _c(
        "srv_man",
        "<id>dns</id><operation>stop</operation>",
        "<srv_man><operation>stop</operation><id>dns</id></srv_man>",
        "operation",
        "<id>no-such-service</id><operation>stop</operation>",
        "Service does not exist",
        "rick",
    ),
    _c(
        "initial_setup",
        "<admin><admin_pname>First Admin</admin_pname><admin_email>first@example.com"
        "</admin_email></admin><password>first-pass-1</password>"
        "<server_name>plesk.example.com</server_name>",
        "<initial_setup><admin><admin_email>e@example.com</admin_email><admin_pname>P"
        "</admin_pname></admin><password>abcdef</password></initial_setup>",
        "admin_pname",
        None,
        "",
        "rick",
    ),
    _empty("reboot"),
    _empty("clean-mail-queue", "carol"),
    # -- additional administrators ------------------------------------------------------
    _c(
        "add-admin-alias",
        ALIAS,
        f"<add-admin-alias>{ALIAS}<data/></add-admin-alias>",
        "data",
        None,
        "",
        "rick",
    ),
    _c(
        "set-admin-alias",
        "<filter><login>deputy</login></filter><data><comment>night shift</comment></data>",
        "<set-admin-alias><data><comment>x</comment></data><filter><login>deputy</login>"
        "</filter></set-admin-alias>",
        "data",
        "<filter><login>ghost</login></filter><data><comment>x</comment></data>",
        "Administrator alias does not exist",
        "rick",
        before=ADD_ALIAS,
    ),
    _c(
        "del-admin-alias",
        "<filter><login>deputy</login></filter>",
        "<del-admin-alias><x/><filter><login>deputy</login></filter></del-admin-alias>",
        "x",
        "<filter><login>ghost</login></filter>",
        "Administrator alias does not exist",
        "rick",
        before=ADD_ALIAS,
    ),
    # -- domain restrictions ------------------------------------------------------------
    _c(
        "domain-restriction-add",
        "<name>restricted.example</name>",
        "<domain-restriction-add><x/><name>restricted.example</name></domain-restriction-add>",
        "x",
        None,
        "",
        "rick",
    ),
    _c(
        "domain-restriction-remove",
        "<name>restricted.example</name>",
        "<domain-restriction-remove><name>a.example</name><x/></domain-restriction-remove>",
        "x",
        "<name>free.example</name>",
        "Domain restriction does not exist",
        "rick",
        before=RESTRICT,
    ),
    _empty("domain-restriction-list", bare=True),  # Plesk answers no <result>
    _c(
        "domain-restriction-rename",
        "<name>restricted.example</name><new-name>renamed.example</new-name>",
        "<domain-restriction-rename><new-name>b.example</new-name><name>a.example</name>"
        "</domain-restriction-rename>",
        "new-name",
        "<name>free.example</name><new-name>other.example</new-name>",
        "Domain restriction does not exist",
        "rick",
        before=RESTRICT,
    ),
    _empty("domain-restriction-enable"),
    _empty("domain-restriction-disable", "carol"),
    # -- the billing connection ---------------------------------------------------------
    _c(
        "set-ppb-connection",
        PPB,
        "<set-ppb-connection><connection><remote-access-hash>h</remote-access-hash>"
        "<ppb-url>https://b.example/</ppb-url><integration-api-version>1</integration-api-version>"
        "</connection></set-ppb-connection>",
        "remote-access-hash",
        None,
        "",
        "rick",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
