"""ACME DNS-01 over a running `panelkey serve`, and records shared with the REST API."""

from __future__ import annotations

import httpx
from lxml import etree

from tests.conftest import Server
from tests.functional.xml.xml_helpers import AGENT, error_of, packet, parse


class Agent:
    """agent.php over real sockets, with one key."""

    def __init__(self, base: str, key: str) -> None:
        self.base, self.key = base, key

    def call(self, inner: str) -> etree._Element:
        with httpx.Client(verify=False, timeout=10) as client:  # noqa: S501 - the test server's own certificate
            response = client.post(
                self.base + AGENT,
                content=packet(inner),
                headers={"KEY": self.key, "Content-Type": "text/xml"},
            )
        return parse(response)

    def ok(self, inner: str, path: str) -> etree._Element:
        root = self.call(inner)
        result = root.find(f"{path}/result")
        assert result is not None and result.findtext("status") == "ok", etree.tostring(root)
        return result

    def site_id(self, name: str) -> etree._Element:
        """site/get by name with an empty dataset, as lexicon finds a zone."""
        root = self.call(f"<site><get><filter><name>{name}</name></filter><dataset/></get></site>")
        (result,) = root.findall("site/get/result")
        return result

    def records(self, site_id: str) -> list[etree._Element]:
        root = self.call(
            f"<dns><get_rec><filter><site-id>{site_id}</site-id></filter></get_rec></dns>"
        )
        return root.findall("dns/get_rec/result")


def _setup(server: Server) -> tuple[Agent, Agent, Agent]:
    """The admin's agent, and those of customers jdoe (example.com) and eve (eve.example)."""
    created = server.command("-c", "-ip-address", "127.0.0.1")
    assert created.returncode == 0, created.stderr
    admin = Agent(server.https_url, created.stdout.strip())
    keys = {}
    for login, domain in (("jdoe", "example.com"), ("eve", "eve.example")):
        admin.ok(
            f"<customer><add><gen_info><pname>{login}</pname><login>{login}</login>"
            f"<passwd>pw-{login}-123</passwd></gen_info></add></customer>",
            "customer/add",
        )
        admin.ok(
            f"<webspace><add><gen_setup><name>{domain}</name><owner-login>{login}</owner-login>"
            "<htype>vrt_hst</htype></gen_setup><hosting><vrt_hst>"
            f"<property><name>ftp_login</name><value>{login}ftp</value></property>"
            "<property><name>ftp_password</name><value>Ftp-pass-123</value></property>"
            "</vrt_hst></hosting></add></webspace>",
            "webspace/add",
        )
        made = admin.ok(
            f"<secret_key><create><ip_address>127.0.0.1</ip_address><login>{login}</login>"
            "</create></secret_key>",
            "secret_key/create",
        )
        keys[login] = made.findtext("key") or ""
    return admin, Agent(server.http_url, keys["jdoe"]), Agent(server.http_url, keys["eve"])


def _dns01(agent: Agent, fqdn: str) -> None:
    """What a DNS-01 plugin does for `fqdn`: find the zone by walking up the name,
    list it, add the challenge with a relative host, see it once, delete it, see it gone."""
    labels = fqdn.split(".")
    site = None
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        found = agent.site_id(candidate)
        if found.findtext("status") == "ok":
            site = (candidate, found.findtext("id") or "")
            break
        assert error_of(found) == (1013, "Site does not exist")
    assert site is not None
    zone, site_id = site
    before = agent.records(site_id)
    assert len(before) >= 5
    relative = "_acme-challenge" + ("." + fqdn.removesuffix("." + zone) if fqdn != zone else "")
    added = agent.ok(
        f"<dns><add_rec><site-id>{site_id}</site-id><type>TXT</type><host>{relative}</host>"
        "<value>ChallengeToken_-42</value><opt/></add_rec></dns>",
        "dns/add_rec",
    )
    rid = added.findtext("id")
    host = f"_acme-challenge.{fqdn}."
    listed = [r for r in agent.records(site_id) if r.findtext("data/host") == host]
    assert [(r.findtext("id"), r.findtext("data/value")) for r in listed] == [
        (rid, "ChallengeToken_-42")
    ]
    deleted = agent.ok(
        f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec></dns>", "dns/del_rec"
    )
    assert deleted.findtext("id") == rid
    after = agent.records(site_id)
    assert all(r.findtext("data/host") != host for r in after)
    assert len(after) == len(before)


def test_dns01_flow_with_a_customers_key_and_isolation(server: Server) -> None:
    _admin, jdoe, eve = _setup(server)
    _dns01(jdoe, "example.com")
    _dns01(jdoe, "sub.example.com")  # sub.example.com is 1013, example.com holds the zone
    # eve's key sees nothing of jdoe's zone and changes nothing in it.
    assert error_of(eve.site_id("example.com")) == (1013, "Site does not exist")
    site_id = jdoe.site_id("example.com").findtext("id") or ""
    records = jdoe.records(site_id)
    (miss,) = eve.records(site_id)
    assert error_of(miss) == (1013, "Site does not exist")
    root = eve.call(
        f"<dns><add_rec><site-id>{site_id}</site-id><type>TXT</type><host>_acme-challenge</host>"
        "<value>evil</value></add_rec></dns>"
    )
    assert error_of(root.findall("dns/add_rec/result")[0])[0] == 1013
    rid = records[0].findtext("id")
    root = eve.call(f"<dns><del_rec><filter><id>{rid}</id></filter></del_rec></dns>")
    assert error_of(root.findall("dns/del_rec/result")[0])[0] == 1013
    assert len(jdoe.records(site_id)) == len(records)


def test_records_are_shared_with_the_rest_api(server: Server) -> None:
    admin, jdoe, _eve = _setup(server)
    site_id = jdoe.site_id("example.com").findtext("id") or ""
    added = jdoe.ok(
        f"<dns><add_rec><site-id>{site_id}</site-id><type>TXT</type><host>_from-xml</host>"
        "<value>xml-value</value><opt/></add_rec></dns>",
        "dns/add_rec",
    )
    headers = {"X-API-Key": admin.key}
    base = server.https_url + "/api/v2"
    with httpx.Client(base_url=base, verify=False, timeout=10) as rest:  # noqa: S501 - test certificate
        listed = rest.get("/dns/records", params={"domain": "example.com"}, headers=headers)
        assert listed.status_code == 200, listed.text
        mine = [r for r in listed.json() if r["host"] == "_from-xml.example.com."]
        assert mine == [
            {
                "id": int(added.findtext("id") or 0),
                "type": "TXT",
                "host": "_from-xml.example.com.",
                "value": "xml-value",
                "opt": "",
                "ttl": mine[0]["ttl"] if mine else None,
            }
        ]
        posted = rest.post(
            "/dns/records",
            params={"domain": "example.com"},
            headers=headers,
            json={"type": "MX", "host": "", "value": "mx.example.net", "opt": "5"},
        )
        assert posted.status_code == 200, posted.text  # Plesk answers 200 here
        rest_id = str(posted.json()["id"])
    seen = [r for r in jdoe.records(site_id) if r.findtext("id") == rest_id]
    assert [
        (
            r.findtext("data/type"),
            r.findtext("data/host"),
            r.findtext("data/value"),
            r.findtext("data/opt"),
        )
        for r in seen
    ] == [("MX", "example.com.", "mx.example.net.", "5")]
