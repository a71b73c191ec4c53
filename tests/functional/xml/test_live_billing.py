"""A billing module's whole run, over real sockets against `panelkey serve`: with a key
and with a login, by the admin and by a reseller for its own customer; another reseller
is refused. Every event of the run is in event_log/get_events, in order."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator

import httpx
import pytest
from lxml import etree

from tests.conftest import (
    ADMIN_PASSWORD,
    MigratedTemplates,
    Server,
    make_server,
    pg_schema,
    premigrated,
)
from tests.functional.xml.xml_helpers import AGENT, BOTH, named, packet, parse

Call = Callable[[str], etree._Element]


@pytest.fixture(scope="module")
def live(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    migrated_templates: MigratedTemplates,
) -> Iterator[Server]:
    """One server a store for the module: each test names what it makes after its `auth`,
    and looks only at what it made (its events after its first)."""
    with contextlib.ExitStack() as stack:
        url = (
            None
            if request.param == "sqlite"
            else stack.enter_context(pg_schema(migrated_templates))
        )
        folder = tmp_path_factory.mktemp("billing")
        server = premigrated(make_server(folder, url), migrated_templates).start()
        stack.callback(server.stop)
        yield server


def _caller(server: Server, headers: dict[str, str]) -> Call:
    trust = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))
    version: list[str | None] = ["1.6.9.1"]

    def call(inner: str) -> etree._Element:
        with httpx.Client(verify=trust, timeout=20) as client:
            sent = client.post(
                server.https_url + AGENT, content=packet(inner, version[0]), headers=headers
            )
        return parse(sent)

    return call


def _result(root: etree._Element, path: str) -> etree._Element:
    found = root.findall(f"{path}/result")
    assert len(found) == 1, etree.tostring(root)
    return found[0]


def ok(root: etree._Element, path: str) -> etree._Element:
    result = _result(root, path)
    assert result.findtext("status") == "ok", etree.tostring(result)
    return result


def _key(server: Server, login: str | None = None) -> str:
    args = ["-c", "-ip-address", "127.0.0.1"] + (["-login", login] if login else [])
    made = server.command(*args)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def _limits(call: Call, name: str) -> dict[str, str]:
    got = ok(
        call(
            f"<webspace><get><filter><name>{name}</name></filter>"
            "<dataset><limits/></dataset></get></webspace>"
        ),
        "webspace/get",
    )
    return named(got.find("data/limits"), "limit")


def _status(call: Call, name: str) -> str:
    got = ok(
        call(
            f"<webspace><get><filter><name>{name}</name></filter>"
            "<dataset><gen_info/></dataset></get></webspace>"
        ),
        "webspace/get",
    )
    return got.findtext("data/gen_info/status") or ""


def _objects(call: Call) -> dict[str, int]:
    got = ok(call("<server><get><stat/></get></server>"), "server/get")
    return {str(c.tag): int(c.text or 0) for c in got.findall("stat/objects/*")}


def _flow(call: Call, tag: str, stat: Call | None = None) -> None:
    """What WHMCS-like modules do, in their order, as the caller of `call`; `stat`
    (the admin's) checks server/get's counts along the way."""
    before = _objects(stat) if stat else {}
    protos = [p.text or "" for p in ok(call("<server><get_protos/></server>"), "server/get_protos")
              .findall("protos/proto")]  # fmt: skip
    highest = max(protos, key=lambda v: tuple(int(n) for n in v.split(".")))
    assert highest == "1.6.9.1"
    pool = ok(call("<ip><get/></ip>"), "ip/get").findall("addresses/ip_info")
    address = pool[0].findtext("ip_address")
    assert address
    for plan, max_db in ((f"Basic {tag}", 2), (f"Pro {tag}", 10)):
        ok(
            call(
                f"<service-plan><add><name>{plan}</name><limits>"
                f"<limit><name>max_db</name><value>{max_db}</value></limit>"
                "<limit><name>disk_space</name><value>1073741824</value></limit>"
                "</limits></add></service-plan>"
            ),
            "service-plan/add",
        )
    got = ok(
        call(f"<service-plan><get><filter><name>Pro {tag}</name></filter></get></service-plan>"),
        "service-plan/get",
    )
    assert named(got.find("limits"), "limit")["max_db"] == "10"
    pro = got.findtext("guid")
    login = f"cust-{tag}"
    cid = ok(
        call(
            f"<customer><add><gen_info><pname>Customer {tag}</pname><login>{login}</login>"
            f"<passwd>pw-{tag}-12345</passwd><email>{tag}@example.com</email>"
            "</gen_info></add></customer>"
        ),
        "customer/add",
    ).findtext("id")
    site = f"{tag}.example"
    added = ok(
        call(
            f"<webspace><add><gen_setup><name>{site}</name><owner-login>{login}</owner-login>"
            f"<htype>vrt_hst</htype><ip_address>{address}</ip_address></gen_setup>"
            "<hosting><vrt_hst><property><name>ftp_login</name><value>ftp"
            f"{tag}</value></property><property><name>ftp_password</name><value>Ftp-{tag}-99"
            f"</value></property><ip_address>{address}</ip_address></vrt_hst></hosting>"
            f"<plan-name>Basic {tag}</plan-name></add></webspace>"
        ),
        "webspace/add",
    )
    assert added.findtext("id") and added.findtext("guid")
    if stat:
        now = _objects(stat)
        assert (now["clients"], now["domains"], now["active_domains"]) == (
            before["clients"] + 1,
            before["domains"] + 1,
            before["active_domains"] + 1,
        )
    limits = _limits(call, site)
    assert (limits["max_db"], limits["disk_space"]) == ("2", "1073741824")
    for status in ("16", "0"):
        ok(
            call(
                f"<webspace><set><filter><name>{site}</name></filter><values><gen_setup>"
                f"<status>{status}</status></gen_setup></values></set></webspace>"
            ),
            "webspace/set",
        )
        assert _status(call, site) == status
    ok(
        call(
            f"<webspace><switch-subscription><filter><name>{site}</name></filter>"
            f"<plan-guid>{pro}</plan-guid></switch-subscription></webspace>"
        ),
        "webspace/switch-subscription",
    )
    assert _limits(call, site)["max_db"] == "10"
    listed = ok(
        call(
            f"<customer><get-domain-list><filter><login>{login}</login></filter>"
            "</get-domain-list></customer>"
        ),
        "customer/get-domain-list",
    )
    assert [d.findtext("name") for d in listed.findall("domains/domain")] == [site]
    ok(
        call(f"<webspace><del><filter><name>{site}</name></filter></del></webspace>"),
        "webspace/del",
    )
    ok(call(f"<customer><del><filter><id>{cid}</id></filter></del></customer>"), "customer/del")
    gone = _result(
        call(
            f"<customer><get><filter><login>{login}</login></filter><dataset><gen_info/>"
            "</dataset></get></customer>"
        ),
        "customer/get",
    )
    assert (gone.findtext("errcode"), gone.findtext("errtext")) == ("1013", "Client does not exist")
    if stat:
        assert _objects(stat) == before


FLOW_EVENTS = [
    ("service_plan_create", "Basic {tag}"),
    ("service_plan_create", "Pro {tag}"),
    ("client_create", "cust-{tag}"),
    ("domain_create", "{tag}.example"),
    ("phys_hosting_update", "{tag}.example"),  # the hosting block given on add
    ("domain_update", "{tag}.example"),
    ("domain_update", "{tag}.example"),
    ("domain_update", "{tag}.example"),
    ("domain_delete", "{tag}.example"),
    ("client_delete", "cust-{tag}"),
]


def _events_since(call: Call, last: int) -> list[tuple[str, str]]:
    """(type, user) of each event after `last`: get_events answers Plesk's elements only
    (no object names)."""
    got = ok(
        call(f"<event_log><get_events><lastId>{last}</lastId></get_events></event_log>"),
        "event_log/get_events",
    )
    return [(e.findtext("type") or "", e.findtext("user") or "") for e in got.findall("event")]


def _check_flow_events(got: list[tuple[str, str]], tag: str, user: str) -> None:
    """The flow's events in order: FLOW_EVENTS, with the new zone's records (from the
    server's DNS template) logged right after the domain that holds them; `tag` names
    the flow's objects in FLOW_EVENTS, which get_events does not answer."""
    made = next(i for i, (t, _) in enumerate(got) if t == "domain_create")
    records = [e for e in got if e[0] == "dns_zone_rec_create"]
    assert records and got[made + 1 : made + 1 + len(records)] == records
    assert all(u == user for _, u in records)
    rest = [e for e in got if e[0] != "dns_zone_rec_create"]
    assert rest == [(t, user) for t, _name in FLOW_EVENTS]


def _last_id(call: Call) -> int:
    return int(ok(call("<event_log><get-last-id/></event_log>"), "event_log/get-last-id")
               .findtext("id") or 0)  # fmt: skip


@pytest.mark.parametrize("live", BOTH, indirect=True)
@pytest.mark.parametrize("auth", ["key", "login"])
def test_the_admins_billing_flow_over_a_socket(live: Server, auth: str) -> None:
    headers = (
        {"KEY": _key(live)}
        if auth == "key"
        else {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
    )
    call = _caller(live, headers)
    start = _last_id(call)
    _flow(call, f"adm-{auth}", stat=call)
    _check_flow_events(_events_since(call, start), f"adm-{auth}", "admin")


@pytest.mark.parametrize("live", BOTH, indirect=True)
@pytest.mark.parametrize("auth", ["key", "login"])
def test_a_resellers_billing_flow_for_its_own_customer_and_not_for_anothers(
    live: Server, auth: str
) -> None:
    # this test's own resellers, customer and address, on the module's server
    rick_login, rose_login, kept = f"rick-{auth}", f"rose-{auth}", f"kept-{auth}"
    address = {"key": "192.0.2.44", "login": "192.0.2.45"}[auth]
    admin = _caller(live, {"KEY": _key(live)})
    for login in (rick_login, rose_login):
        ok(
            admin(
                f"<reseller><add><gen-info><pname>R {login}</pname><login>{login}</login>"
                f"<passwd>pw-{login}-12345</passwd></gen-info></add></reseller>"
            ),
            "reseller/add",
        )
    rick_id = ok(
        admin(
            f"<reseller><get><filter><login>{rick_login}</login></filter><dataset><gen-info/>"
            "</dataset>"
            "</get></reseller>"
        ),
        "reseller/get",
    ).findtext("id")
    ok(
        admin(
            f"<ip><add><ip_address>{address}</ip_address><netmask>255.255.255.0</netmask>"
            "<type>shared</type><interface>eth0</interface></add></ip>"
        ),
        "ip/add",
    )
    ok(
        admin(
            f"<reseller><ippool-add-ip><reseller-id>{rick_id}</reseller-id><ip><ip-address>"
            f"{address}</ip-address></ip></ippool-add-ip></reseller>"
        ),
        "reseller/ippool-add-ip",
    )
    rick = _caller(
        live,
        {"KEY": _key(live, rick_login)}
        if auth == "key"
        else {"HTTP_AUTH_LOGIN": rick_login, "HTTP_AUTH_PASSWD": f"pw-{rick_login}-12345"},
    )
    # rick sees only its share of the pool, and the flow uses it
    pool = ok(rick("<ip><get/></ip>"), "ip/get").findall("addresses/ip_info")
    assert [i.findtext("ip_address") for i in pool] == [address]
    start = _last_id(admin)
    _flow(rick, f"rck-{auth}", stat=admin)
    _check_flow_events(_events_since(admin, start), f"rck-{auth}", rick_login)

    # rick's customer with a subscription, then rose tries to run them
    ok(
        rick(
            f"<customer><add><gen_info><pname>Kept</pname><login>{kept}</login>"
            f"<passwd>pw-{kept}-12345</passwd></gen_info></add></customer>"
        ),
        "customer/add",
    )
    ok(
        rick(
            f"<webspace><add><gen_setup><name>{kept}.example</name><owner-login>{kept}"
            f"</owner-login><ip_address>{address}</ip_address></gen_setup></add></webspace>"
        ),
        "webspace/add",
    )
    rose = _caller(
        live, {"HTTP_AUTH_LOGIN": rose_login, "HTTP_AUTH_PASSWD": f"pw-{rose_login}-12345"}
    )
    before = _last_id(admin)
    refusals = {
        "customer/get": f"<customer><get><filter><login>{kept}</login></filter><dataset>"
        "<gen_info/></dataset></get></customer>",
        "customer/get-domain-list": f"<customer><get-domain-list><filter><login>{kept}</login>"
        "</filter></get-domain-list></customer>",
        "webspace/add": f"<webspace><add><gen_setup><name>{rose_login}.example</name>"
        f"<owner-login>{kept}</owner-login></gen_setup></add></webspace>",
        "webspace/get": f"<webspace><get><filter><name>{kept}.example</name></filter><dataset>"
        "<limits/></dataset></get></webspace>",
        "webspace/set": f"<webspace><set><filter><name>{kept}.example</name></filter><values>"
        "<gen_setup><status>16</status></gen_setup></values></set></webspace>",
        "webspace/switch-subscription": "<webspace><switch-subscription><filter><name>"
        f"{kept}.example</name></filter><no-plan/></switch-subscription></webspace>",
        "webspace/del": f"<webspace><del><filter><name>{kept}.example</name></filter></del>"
        "</webspace>",
        "customer/del": f"<customer><del><filter><login>{kept}</login></filter></del></customer>",
    }
    for path, inner in refusals.items():
        result = _result(rose(inner), path)
        assert result.findtext("status") == "error", (path, etree.tostring(result))
        assert result.findtext("errcode") in ("1013", "1015"), (path, etree.tostring(result))
    assert _last_id(admin) == before
    assert _status(rick, f"{kept}.example") == "0"
