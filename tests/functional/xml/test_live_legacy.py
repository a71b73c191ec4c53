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

from tests.conftest import MigratedTemplates, Server, make_server, premigrated
from tests.functional.xml.xml_helpers import AGENT, NEW, OLD, packet

FTP_PASSWORD = "Ftp-Legacy-Pw-31"
NEW_FTP_PASSWORD = "Ftp-Changed-Pw-47"


@pytest.fixture
def live(tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[Server]:
    server = premigrated(make_server(tmp_path), migrated_templates).start()
    yield server
    server.stop()


class Wire:
    """XML and REST calls to a live server with one key (KEY and X-API-Key)."""

    def __init__(self, server: Server) -> None:
        made = server.command("-c", "-ip-address", "127.0.0.1")
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
        assert root.get("version") == "1.6.9.1", sent.text  # the server's, whatever was asked
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


def _packet(body: str) -> str:
    """A packet body as the billing module writes it: a comment first, one element a
    line, indented."""
    return "<!-- written by a billing module -->\n" + body


def _lifecycle(wire: Wire) -> None:
    # 1. the module's first call, at 1.0.0.0; then the addresses it may use
    protos = wire.ok("<server>\n    <get_protos/>\n</server>", "server/get_protos")
    listed = [p.text for p in protos.findall("protos/proto")]
    assert listed[0] == OLD and listed[-1] == NEW and "1.4.2.0" in listed
    address = wire.ok("<ip><get/></ip>", "ip/get", NEW).findtext("addresses/ip_info/ip_address")
    assert address

    # a plan, made the 1.6.9.1 way
    wire.ok(
        "<service-plan><add><name>Legacy Hosting</name><limits><limit><name>max_db</name>"
        "<value>5</value></limit><limit><name>disk_space</name><value>1048576000</value>"
        "</limit></limits></add></service-plan>",
        "service-plan/add",
        NEW,
    )
    plan = wire.ok(
        "<service-plan><get><filter><name>Legacy Hosting</name></filter></get></service-plan>",
        "service-plan/get",
        NEW,
    ).findtext("guid")
    assert plan

    # 2. is the login free? then client/add and the address into its pool
    by_login = _packet(
        "<client>\n  <get>\n    <filter>\n      <login>olga</login>\n    </filter>\n"
        "    <dataset>\n      <gen_info/>\n    </dataset>\n  </get>\n</client>"
    )
    assert wire.error(by_login, "client/get") == "1013"
    cid = wire.ok(
        _packet(
            "<client>\n  <add>\n    <gen_info>\n      <cname></cname>\n"
            "      <pname>Olga Legacy</pname>\n      <login>olga</login>\n"
            "      <passwd>Olga-pass-2024</passwd>\n      <status>0</status>\n"
            "      <phone>555 0123</phone>\n      <email>olga@example.com</email>\n"
            "      <address>2 Elm St</address>\n      <city>Oldtown</city>\n"
            "      <state></state>\n      <pcode>12345</pcode>\n      <country>DE</country>\n"
            "    </gen_info>\n  </add>\n</client>"
        ),
        "client/add",
    ).findtext("id")
    assert cid
    assert wire.ok(by_login, "client/get").findtext("data/gen_info/login") == "olga"
    wire.ok(
        _packet(
            f"<client>\n  <ippool_add_ip>\n    <client_id>{cid}</client_id>\n"
            f"    <ip_address>{address}</ip_address>\n  </ippool_add_ip>\n</client>"
        ),
        "client/ippool_add_ip",
    )
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
    assert (body["login"], body["name"], body["email"], body["type"]) == (
        "olga",
        "Olga Legacy",
        "olga@example.com",
        "customer",
    )

    # 3. domain/add on the plan (template-name)
    did = wire.ok(
        _packet(
            "<domain>\n  <add>\n    <gen_setup>\n      <name>olga.example</name>\n"
            f"      <client_id>{cid}</client_id>\n      <ip_address>{address}</ip_address>\n"
            "      <htype>vrt_hst</htype>\n      <status>0</status>\n    </gen_setup>\n"
            "    <hosting>\n      <vrt_hst>\n        <ftp_login>olgaftp</ftp_login>\n"
            f"        <ftp_password>{FTP_PASSWORD}</ftp_password>\n"
            f"        <ip_address>{address}</ip_address>\n      </vrt_hst>\n    </hosting>\n"
            "    <prefs>\n      <www>true</www>\n    </prefs>\n"
            "    <template-name>Legacy Hosting</template-name>\n  </add>\n</domain>"
        ),
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

    # 4. suspend (status 16), then unsuspend (0)
    for code, word in (("16", "disabled"), ("0", "active")):
        wire.ok(
            _packet(
                "<domain>\n  <set>\n    <filter>\n      <name>olga.example</name>\n"
                "    </filter>\n    <values>\n      <gen_setup>\n"
                f"        <status>{code}</status>\n      </gen_setup>\n    </values>\n"
                "  </set>\n</domain>"
            ),
            "domain/set",
        )
        gen = wire.webspace("olga.example", "<gen_info/>")
        assert gen.findtext("data/gen_info/status") == code
        assert wire.rest(f"/domains/{did}/status") == (200, {"status": word})

    # 5. change the password: the client's, then the FTP one (checked, never kept)
    wire.ok(
        _packet(
            "<client>\n  <set>\n    <filter>\n      <login>olga</login>\n    </filter>\n"
            "    <values>\n      <gen_info>\n        <passwd>Olga-new-pass-77</passwd>\n"
            "      </gen_info>\n    </values>\n  </set>\n</client>"
        ),
        "client/set",
    )
    wire.ok(
        _packet(
            "<domain>\n  <set>\n    <filter>\n      <name>olga.example</name>\n"
            "    </filter>\n    <values>\n      <hosting>\n        <vrt_hst>\n"
            f"          <ftp_password>{NEW_FTP_PASSWORD}</ftp_password>\n"
            "        </vrt_hst>\n      </hosting>\n    </values>\n  </set>\n</domain>"
        ),
        "domain/set",
    )
    hosting = wire.webspace("olga.example", "<hosting/>").find("data/hosting/vrt_hst")
    assert _named(hosting, "property")["ftp_login"] == "olgaftp"
    store = (wire.server.data_dir / "panelkey.db").read_bytes()
    for secret in (NEW_FTP_PASSWORD, FTP_PASSWORD, "Olga-new-pass-77", "Olga-pass-2024"):
        assert secret.encode() not in store
    relogin = wire.http.post(
        wire.server.https_url + AGENT,
        content=packet("<server><get_protos/></server>", OLD),
        headers={"HTTP_AUTH_LOGIN": "olga", "HTTP_AUTH_PASSWD": "Olga-new-pass-77"},
    )
    assert b"<status>ok</status>" in relogin.content

    # 6. domain/get as the module reads usage: limits, stat, gen_info (in that order)
    got = wire.ok(
        _packet(
            "<domain>\n  <get>\n    <filter>\n      <name>olga.example</name>\n"
            "    </filter>\n    <dataset>\n      <limits/>\n      <stat/>\n"
            "      <gen_info/>\n    </dataset>\n  </get>\n</domain>"
        ),
        "domain/get",
    )
    assert got.findtext("id") == did
    assert got.findtext("data/gen_info/name") == "olga.example"
    assert got.findtext("data/gen_info/status") == "0"
    assert got.findtext("data/gen_info/client_id") == cid
    assert got.findtext("data/gen_info/real_size") == "0"
    assert got.findtext("data/stat/traffic") == "0"
    assert got.findtext("data/limits/disk_space") == "1048576000"
    hosting_of = _packet(
        "<domain>\n  <get>\n    <filter>\n      <owner-id>" + cid + "</owner-id>\n"
        "    </filter>\n    <dataset>\n      <hosting/>\n    </dataset>\n  </get>\n</domain>"
    )
    got = wire.ok(hosting_of, "domain/get")
    assert got.findtext("data/hosting/vrt_hst/ftp_login") == "olgaftp"
    assert got.findtext("data/hosting/vrt_hst/ip_address") == address

    # 7. terminate: the domain, then (the client having none left) the client
    wire.ok(
        _packet(
            "<domain>\n  <del>\n    <filter>\n      <name>olga.example</name>\n"
            "    </filter>\n  </del>\n</domain>"
        ),
        "domain/del",
    )
    assert wire.ok(hosting_of, "domain/get").find("id") is None  # none left
    gone = wire.error(
        "<webspace><get><filter><name>olga.example</name></filter><dataset><gen_info/>"
        "</dataset></get></webspace>",
        "webspace/get",
        NEW,
    )
    assert gone == "1013"
    assert wire.rest("/domains?name=olga.example") == (200, [])
    assert wire.rest(f"/domains/{did}")[0] == 404
    wire.ok(
        _packet(
            f"<client>\n  <del>\n    <filter>\n      <id>{cid}</id>\n    </filter>\n"
            "  </del>\n</client>"
        ),  # fmt: skip
        "client/del",
    )
    assert wire.rest(f"/clients/{cid}")[0] == 404
    assert wire.error(by_login, "client/get") == "1013"
