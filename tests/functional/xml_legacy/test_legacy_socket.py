"""A legacy billing module's whole run over real sockets against `panelkey serve`:
version-1.0.0.0 packets of the old `client` and `domain` operators, each step read back
through 1.6.9.1 `customer`/`webspace` and through REST."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from tests.conftest import Server, make_server
from tests.functional.xml.xml_helpers import AGENT, packet
from tests.functional.xml_legacy.conftest import NEW, OLD

FTP_PASSWORD = "Ftp-Legacy-Pw-31"
NEW_FTP_PASSWORD = "Ftp-Changed-Pw-47"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Server]:
    server = make_server(tmp_path).start()
    yield server
    server.stop()


class Wire:
    """XML and REST calls to a live server with one key (KEY and X-API-Key)."""

    def __init__(self, server: Server) -> None:
        made = server.cli("-c", "-ip-address", "127.0.0.1")
        assert made.returncode == 0, made.stderr
        self.key = made.stdout.strip()
        self.server = server
        trust = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "cert.pem"))
        self.http = httpx.Client(verify=trust, timeout=20)

    def xml(self, inner: str, version: str) -> etree._Element:
        sent = self.http.post(
            self.server.https_url + AGENT,
            content=packet(inner, version),
            headers={"KEY": self.key},
        )
        assert sent.status_code == 200
        root = etree.fromstring(sent.content)
        assert root.get("version") == version, sent.text
        return root

    def ok(self, inner: str, path: str, version: str = OLD) -> etree._Element:
        found = self.xml(inner, version).findall(f"{path}/result")
        assert len(found) == 1
        assert found[0].findtext("status") == "ok", etree.tostring(found[0])
        return found[0]

    def error(self, inner: str, path: str, version: str = OLD) -> str:
        found = self.xml(inner, version).findall(f"{path}/result")
        assert len(found) == 1
        assert found[0].findtext("status") == "error", etree.tostring(found[0])
        return found[0].findtext("errcode") or ""

    def rest(self, path: str) -> tuple[int, Any]:
        got = self.http.get(
            self.server.https_url + "/api/v2" + path, headers={"X-API-Key": self.key}
        )
        return got.status_code, got.json()

    def webspace(self, name: str, dataset: str) -> etree._Element:
        return self.ok(
            f"<webspace><get><filter><name>{name}</name></filter><dataset>{dataset}</dataset>"
            "</get></webspace>",
            "webspace/get",
            NEW,
        )


def _named(parent: etree._Element | None, item: str) -> dict[str, str]:
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


def test_a_legacy_module_runs_its_whole_lifecycle(live: Server) -> None:
    wire = Wire(live)
    try:
        _lifecycle(wire)
    finally:
        wire.http.close()


def _lifecycle(wire: Wire) -> None:
    # 1. the module's first call, at 1.0.0.0
    protos = wire.ok("<server><get_protos/></server>", "server/get_protos")
    listed = [p.text for p in protos.findall("protos/proto")]
    assert listed[0] == OLD and listed[-1] == NEW and "1.4.2.0" in listed

    # a plan, made the 1.6.9.1 way, and the address to host on
    wire.ok(
        "<service-plan><add><name>Legacy Hosting</name><limits><limit><name>max_db</name>"
        "<value>5</value></limit></limits></add></service-plan>",
        "service-plan/add",
        NEW,
    )
    plan = wire.ok(
        "<service-plan><get><filter><name>Legacy Hosting</name></filter></get></service-plan>",
        "service-plan/get",
        NEW,
    ).findtext("guid")
    address = wire.ok("<ip><get/></ip>", "ip/get", NEW).findtext("addresses/ip_info/ip_address")
    assert plan and address

    # 2. client/add
    cid = wire.ok(
        "<client><add><gen_info><cname>Old Co</cname><pname>Olga Legacy</pname>"
        "<login>olga</login><passwd>Olga-pass-2024</passwd><status>0</status>"
        "<phone>555 0123</phone><email>olga@example.com</email><address>2 Elm St</address>"
        "<city>Oldtown</city><state/><pcode>12345</pcode><country>DE</country>"
        "</gen_info></add></client>",
        "client/add",
    ).findtext("id")
    assert cid
    customer = wire.ok(
        "<customer><get><filter><login>olga</login></filter><dataset><gen_info/></dataset>"
        "</get></customer>",
        "customer/get",
        NEW,
    )
    assert customer.findtext("id") == cid
    assert customer.findtext("data/gen_info/pname") == "Olga Legacy"
    assert customer.findtext("data/gen_info/city") == "Oldtown"
    status, body = wire.rest(f"/clients/{cid}")
    assert status == 200
    assert (body["login"], body["name"], body["company"], body["type"]) == (
        "olga",
        "Olga Legacy",
        "Old Co",
        "customer",
    )

    # 3. domain/add on the plan (template-name)
    did = wire.ok(
        "<domain><add><gen_setup><name>olga.example</name>"
        f"<client_id>{cid}</client_id><ip_address>{address}</ip_address><htype>vrt_hst</htype>"
        "<status>0</status></gen_setup><hosting><vrt_hst><ftp_login>olgaftp</ftp_login>"
        f"<ftp_password>{FTP_PASSWORD}</ftp_password><ip_address>{address}</ip_address>"
        "</vrt_hst></hosting><prefs><www>true</www></prefs>"
        "<template-name>Legacy Hosting</template-name></add></domain>",
        "domain/add",
    ).findtext("id")
    assert did
    got = wire.webspace("olga.example", "<gen_info/><hosting/><limits/><subscriptions/>")
    assert got.findtext("id") == did
    assert got.findtext("data/gen_info/owner-login") == "olga"
    assert got.findtext("data/subscriptions/subscription/plan/plan-guid") == plan
    assert _named(got.find("data/limits"), "limit")["max_db"] == "5"
    assert _named(got.find("data/hosting/vrt_hst"), "property")["ftp_login"] == "olgaftp"
    status, found = wire.rest("/domains?name=olga.example")
    assert status == 200 and [d["id"] for d in found] == [int(did)]
    assert found[0]["hosting_type"] == "virtual"
    status, owned = wire.rest(f"/clients/{cid}/domains")
    assert status == 200 and [d["name"] for d in owned] == ["olga.example"]

    # 4. domain/set status 16 (suspend), then 0 (resume)
    for code, word in (("16", "disabled"), ("0", "active")):
        wire.ok(
            "<domain><set><filter><domain_name>olga.example</domain_name></filter><values>"
            f"<gen_setup><status>{code}</status></gen_setup></values></set></domain>",
            "domain/set",
        )
        gen = wire.webspace("olga.example", "<gen_info/>")
        assert gen.findtext("data/gen_info/status") == code
        assert wire.rest(f"/domains/{did}/status") == (200, {"status": word})

    # 5. domain/set the FTP password: accepted, never kept, the login untouched
    wire.ok(
        "<domain><set><filter><domain_name>olga.example</domain_name></filter><values>"
        f"<hosting><vrt_hst><ftp_password>{NEW_FTP_PASSWORD}</ftp_password></vrt_hst>"
        "</hosting></values></set></domain>",
        "domain/set",
    )
    hosting = wire.webspace("olga.example", "<hosting/>").find("data/hosting/vrt_hst")
    assert _named(hosting, "property")["ftp_login"] == "olgaftp"
    store = (wire.server.data_dir / "panelkey.db").read_bytes()
    assert NEW_FTP_PASSWORD.encode() not in store and FTP_PASSWORD.encode() not in store

    # 6. domain/get, as the module reads it
    got = wire.ok(
        "<domain><get><filter><domain_name>olga.example</domain_name></filter>"
        "<dataset><gen_info/><hosting/></dataset></get></domain>",
        "domain/get",
    )
    assert got.findtext("id") == did
    assert got.findtext("data/gen_info/status") == "0"
    assert got.findtext("data/gen_info/client_id") == cid
    assert got.findtext("data/hosting/vrt_hst/ftp_login") == "olgaftp"
    assert got.findtext("data/hosting/vrt_hst/ip_address") == address

    # 7. domain/del, then the client
    wire.ok(
        "<domain><del><filter><domain_name>olga.example</domain_name></filter></del></domain>",
        "domain/del",
    )
    gone = wire.error(
        "<webspace><get><filter><name>olga.example</name></filter><dataset><gen_info/>"
        "</dataset></get></webspace>",
        "webspace/get",
        NEW,
    )
    assert gone == "1013"
    assert wire.rest("/domains?name=olga.example") == (200, [])
    assert wire.rest(f"/domains/{did}")[0] == 404
    wire.ok(f"<client><del><filter><id>{cid}</id></filter></del></client>", "client/del")
    assert wire.rest(f"/clients/{cid}")[0] == 404
