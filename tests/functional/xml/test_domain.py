"""The legacy operator `domain` (version 1.0.0.0 packets): a domain is a subscription."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from tests.factories import key_of
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import NEW, OLD, Legacy

FTP_PASSWORD = "Ftp-Secret-Pw-81"


def _plan(legacy: Legacy, name: str, max_db: int = 3) -> str:
    legacy.ok(
        f"<service-plan><add><name>{name}</name><limits><limit><name>max_db</name>"
        f"<value>{max_db}</value></limit></limits></add></service-plan>",
        "service-plan/add",
        NEW,
    )
    got = legacy.ok(
        f"<service-plan><get><filter><name>{name}</name></filter></get></service-plan>",
        "service-plan/get",
        NEW,
    )
    return got.findtext("guid") or ""


def _client(legacy: Legacy, login: str) -> int:
    got = legacy.ok(
        f"<client><add><gen_info><pname>P {login}</pname><login>{login}</login>"
        "<passwd>pw-12345678</passwd></gen_info></add></client>",
        "client/add",
    )
    return int(got.findtext("id") or 0)


def _address(panel: Panel) -> str:
    return panel.ips.list()[0].address


def _add(legacy: Legacy, panel: Panel, name: str, cid: int, extra: str = "") -> int:
    ip = _address(panel)
    got = legacy.ok(
        f"<domain><add><gen_setup><name>{name}</name><client_id>{cid}</client_id>"
        f"<ip_address>{ip}</ip_address><htype>vrt_hst</htype><status>0</status></gen_setup>"
        f"<hosting><vrt_hst><ftp_login>ftp{cid}x</ftp_login><ftp_password>{FTP_PASSWORD}"
        f"</ftp_password><ip_address>{ip}</ip_address></vrt_hst></hosting>"
        f"<prefs><www>false</www></prefs>{extra}</add></domain>",
        "domain/add",
    )
    assert got.findtext("guid")
    return int(got.findtext("id") or 0)


def _webspace(legacy: Legacy, name: str, dataset: str) -> etree._Element:
    return legacy.ok(
        f"<webspace><get><filter><name>{name}</name></filter><dataset>{dataset}</dataset>"
        "</get></webspace>",
        "webspace/get",
        NEW,
    )


def _named(parent: etree._Element | None, item: str) -> dict[str, str]:
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


def test_add_on_a_plan_is_a_subscription_of_the_client(legacy: Legacy, panel: Panel) -> None:
    guid = _plan(legacy, "Legacy Basic", max_db=4)
    cid = _client(legacy, "dom1")
    did = _add(legacy, panel, "dom1.example", cid, "<template-name>Legacy Basic</template-name>")
    dataset = "<gen_info/><hosting/><limits/><prefs/><subscriptions/>"
    got = _webspace(legacy, "dom1.example", dataset)
    assert got.findtext("id") == str(did)
    assert got.findtext("data/gen_info/owner-id") == str(cid)
    assert got.findtext("data/gen_info/htype") == "vrt_hst"
    assert got.findtext("data/subscriptions/subscription/plan/plan-guid") == guid
    assert _named(got.find("data/limits"), "limit")["max_db"] == "4"
    assert _named(got.find("data/hosting/vrt_hst"), "property")["ftp_login"] == f"ftp{cid}x"
    assert got.findtext("data/prefs/www") == "false"


def test_template_id_names_the_plan_too(legacy: Legacy, panel: Panel, admin: Identity) -> None:
    guid = _plan(legacy, "By Id")
    plan = next(p for p in panel.plans.list(admin, "service") if p.guid == guid)
    cid = _client(legacy, "dom2")
    _add(legacy, panel, "dom2.example", cid, f"<template-id>{plan.id}</template-id>")
    got = _webspace(legacy, "dom2.example", "<subscriptions/>")
    assert got.findtext("data/subscriptions/subscription/plan/plan-guid") == guid


def test_add_refuses_as_plesk_does(legacy: Legacy, panel: Panel, admin: Identity) -> None:
    cid = _client(legacy, "dom3")
    _add(legacy, panel, "taken.example", cid)
    cases = {
        1007: "<gen_setup><name>taken.example</name></gen_setup>",
        1013: "<gen_setup><name>a.example</name><client_id>999999</client_id></gen_setup>",
        1019: "<gen_setup><name>b.example</name><status>3</status></gen_setup>",
    }
    for code, inner in cases.items():
        assert legacy.error(f"<domain><add>{inner}</add></domain>", "domain/add")[0] == code
    unknown_plan = (
        "<gen_setup><name>c.example</name></gen_setup><template-name>No Such</template-name>"
    )
    assert legacy.error(f"<domain><add>{unknown_plan}</add></domain>", "domain/add")[0] == 1013
    bad_ip = "<gen_setup><name>d.example</name><ip_address>nope</ip_address></gen_setup>"
    assert legacy.error(f"<domain><add>{bad_ip}</add></domain>", "domain/add")[0] == 1019
    bad_hosting = (
        "<gen_setup><name>e.example</name></gen_setup>"
        "<hosting><vrt_hst><webstat>nonsense</webstat></vrt_hst></hosting>"
    )
    assert legacy.error(f"<domain><add>{bad_hosting}</add></domain>", "domain/add")[0] == 1019
    # none of the refused ones exists
    for name in "abcde":
        assert panel.domains.by_name(admin, f"{name}.example") is None
    root = legacy.call("<domain><add><gen_setup><name>f.example</name><htype>odd</htype>"
                       "</gen_setup></add></domain>")  # fmt: skip
    assert root.findtext("system/errcode") == "1014"


def test_set_status_suspends_and_resumes(legacy: Legacy, panel: Panel) -> None:
    cid = _client(legacy, "dom4")
    _add(legacy, panel, "dom4.example", cid)
    for status in ("16", "0"):
        got = legacy.ok(
            "<domain><set><filter><domain_name>dom4.example</domain_name></filter><values>"
            f"<gen_setup><status>{status}</status></gen_setup></values></set></domain>",
            "domain/set",
        )
        assert got.findtext("filter-id") == "dom4.example"
        assert (
            _webspace(legacy, "dom4.example", "<gen_info/>").findtext("data/gen_info/status")
            == status
        )
        assert (
            legacy.ok(
                "<domain><get><filter><name>dom4.example</name></filter><dataset><gen_info/>"
                "</dataset></get></domain>",
                "domain/get",
            ).findtext("data/gen_info/status")
            == status
        )


def test_set_ftp_password_is_checked_and_never_kept(
    legacy: Legacy, panel: Panel, database_url: str
) -> None:
    cid = _client(legacy, "dom5")
    _add(legacy, panel, "dom5.example", cid)
    new = "Brand-New-Ftp-77"
    legacy.ok(
        "<domain><set><filter><name>dom5.example</name></filter><values><hosting><vrt_hst>"
        f"<property><name>ftp_password</name><value>{new}</value></property>"
        "<ftp_login>renamed5</ftp_login></vrt_hst></hosting></values></set></domain>",
        "domain/set",
    )
    got = _webspace(legacy, "dom5.example", "<hosting/>")
    assert _named(got.find("data/hosting/vrt_hst"), "property")["ftp_login"] == "renamed5"
    store = Path(database_url.removeprefix("sqlite:///")).read_bytes()
    assert new.encode() not in store and FTP_PASSWORD.encode() not in store


def test_set_ip_and_prefs(legacy: Legacy, panel: Panel) -> None:
    cid = _client(legacy, "dom6")
    did = _add(legacy, panel, "dom6.example", cid)
    ip = _address(panel)
    legacy.ok(
        f"<domain><set><filter><id>{did}</id></filter><values><prefs><www>true</www></prefs>"
        f"<gen_setup><ip_address>{ip}</ip_address></gen_setup></values></set></domain>",
        "domain/set",
    )
    got = legacy.ok(
        f"<domain><get><filter><id>{did}</id></filter><dataset><prefs/><gen_info/></dataset>"
        "</get></domain>",
        "domain/get",
    )
    assert got.findtext("data/prefs/www") == "true"
    assert got.findtext("data/gen_info/dns_ip_address") == ip
    code, _ = legacy.error(
        f"<domain><set><filter><id>{did}</id></filter><values><gen_setup><ip_address>"
        "203.0.113.251</ip_address></gen_setup></values></set></domain>",
        "domain/set",
    )
    assert code == 1013


def test_get_by_every_filter_with_every_dataset(legacy: Legacy, panel: Panel) -> None:
    _plan(legacy, "Get Plan", max_db=9)
    cid = _client(legacy, "dom7")
    did = _add(legacy, panel, "dom7.example", cid, "<template-name>Get Plan</template-name>")
    other = _add(legacy, panel, "dom7b.example", cid)
    for flt in (f"<id>{did}</id>", "<name>dom7.example</name>",
                "<domain_name>dom7.example</domain_name>"):  # fmt: skip
        got = legacy.ok(
            f"<domain><get><filter>{flt}</filter><dataset><gen_info/><hosting/><limits/>"
            "<prefs/><stat/></dataset></get></domain>",
            "domain/get",
        )
        data = got.find("data")
        assert data is not None
        assert [c.tag for c in data] == ["gen_info", "hosting", "limits", "prefs", "stat"]
        assert got.findtext("id") == str(did)
        assert data.findtext("gen_info/name") == "dom7.example"
        assert data.findtext("gen_info/client_id") == str(cid)
        assert data.findtext("gen_info/htype") == "vrt_hst"
        assert data.findtext("hosting/vrt_hst/ftp_login") == f"ftp{cid}x"
        assert data.findtext("hosting/vrt_hst/ip_address") == _address(panel)
        assert data.find("hosting/vrt_hst/ftp_password") is None
        assert data.findtext("limits/max_db") == "9"
        assert data.findtext("stat/traffic") == "0"
    owners = (
        f"<client_id>{cid}</client_id>",
        "<client_login>dom7</client_login>",
        f"<owner-id>{cid}</owner-id>",
        "<owner-login>dom7</owner-login>",
    )
    for flt in owners:
        root = legacy.call(
            f"<domain><get><filter>{flt}</filter><dataset><gen_info/></dataset></get></domain>"
        )
        ids = [r.findtext("id") for r in root.findall("domain/get/result")]
        assert sorted(ids) == sorted([str(did), str(other)])
    assert legacy.error(
        "<domain><get><filter><name>none.example</name></filter><dataset><gen_info/></dataset>"
        "</get></domain>",
        "domain/get",
    ) == (1013, "Domain does not exist")


def test_del_removes_the_subscription(legacy: Legacy, panel: Panel) -> None:
    cid = _client(legacy, "dom8")
    _add(legacy, panel, "dom8.example", cid)
    legacy.ok(
        "<domain><del><filter><name>dom8.example</name></filter></del></domain>", "domain/del"
    )
    assert legacy.error(
        "<webspace><get><filter><name>dom8.example</name></filter><dataset><gen_info/>"
        "</dataset></get></webspace>",
        "webspace/get",
        NEW,
    ) == (1013, "Webspace does not exist")
    assert (
        legacy.error(
            "<domain><del><filter><name>dom8.example</name></filter></del></domain>", "domain/del"
        )[0]
        == 1013
    )


def test_a_customer_reaches_only_its_own_and_may_not_add_or_delete(
    legacy: Legacy, panel: Panel, admin: Identity
) -> None:
    mine, theirs = _client(legacy, "dom9"), _client(legacy, "dom9b")
    _add(legacy, panel, "dom9.example", mine)
    _add(legacy, panel, "dom9b.example", theirs)
    key = key_of(panel, admin, "dom9")
    add = "<domain><add><gen_setup><name>x9.example</name></gen_setup></add></domain>"
    assert legacy.error(add, "domain/add", key=key)[0] == 1006
    delete = "<domain><del><filter><name>dom9.example</name></filter></del></domain>"
    assert legacy.error(delete, "domain/del", key=key)[0] == 1006
    suspend = (
        "<domain><set><filter><name>dom9.example</name></filter><values><gen_setup>"
        "<status>16</status></gen_setup></values></set></domain>"
    )
    assert legacy.error(suspend, "domain/set", key=key)[0] == 1006
    other = (
        "<domain><get><filter><name>dom9b.example</name></filter><dataset><gen_info/>"
        "</dataset></get></domain>"
    )
    assert legacy.error(other, "domain/get", key=key)[0] == 1013


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_domain_flow_on_postgresql(legacy: Legacy, panel: Panel) -> None:
    _plan(legacy, "PG Plan")
    cid = _client(legacy, "pgdom")
    _add(legacy, panel, "pgdom.example", cid, "<template-name>PG Plan</template-name>")
    legacy.ok(
        "<domain><set><filter><name>pgdom.example</name></filter><values><gen_setup>"
        "<status>16</status></gen_setup></values></set></domain>",
        "domain/set",
    )
    assert (
        _webspace(legacy, "pgdom.example", "<gen_info/>").findtext("data/gen_info/status") == "16"
    )
    legacy.ok(
        "<domain><del><filter><name>pgdom.example</name></filter></del></domain>", "domain/del"
    )


# -- every operation: the table's rows (operation_table.py) -------------------------------


DAVES = "<filter><name>dave.example</name></filter>"
NOWHERE = "<filter><name>nowhere.example</name></filter>"
NO_DOMAIN = "Domain does not exist"
CASES = [
    Case(
        "domain",
        "add",
        "<gen_setup><name>new.example</name><client_id>{dave}</client_id></gen_setup>",
        "<add><gen_setup><name>new.example</name></gen_setup><x/></add>",
        "x",
        "<gen_setup><name>new.example</name><client_id>999999</client_id></gen_setup>",
        "Client does not exist",
        "dave",
        version=OLD,
    ),
    Case(
        "domain",
        "get",
        f"{DAVES}<dataset><gen_info/></dataset>",
        f"<get><dataset><gen_info/></dataset>{DAVES}</get>",
        "dataset",
        f"{NOWHERE}<dataset><gen_info/></dataset>",
        NO_DOMAIN,
        "carol",
        1013,
        version=OLD,
    ),
    Case(
        "domain",
        "set",
        f"{DAVES}<values><gen_setup><status>16</status></gen_setup></values>",
        f"<set><values/>{DAVES}</set>",
        "values",
        f"{NOWHERE}<values><gen_setup><status>16</status></gen_setup></values>",
        NO_DOMAIN,
        "dave",
        version=OLD,
    ),
    Case(
        "domain",
        "del",
        DAVES,
        f"<del><x/>{DAVES}</del>",
        "x",
        NOWHERE,
        NO_DOMAIN,
        "dave",
        version=OLD,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
