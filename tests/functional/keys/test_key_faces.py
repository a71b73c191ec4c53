"""Keys' options on every face: XML `secret_key/create` extensions, REST fields, the CLI's
`--rotate`, scopes judged per operation on both APIs, and the plain key's Plesk shape."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from lxml import etree

from panelkey.context import Context
from panelkey.core.access.keypolicy import expires_epoch
from panelkey.core.identity import Identity, Reason, Refused, Verified
from panelkey.core.panel import Panel
from panelkey.utilities import secret_key
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error

PLESK_FIELDS = ["key", "ip_address", "description", "login"]
PLAIN_JSON = {"id", "ips", "description", "login", "created", "last_used", "last_used_ip"}
ADMIN_HEADERS = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN[1]}


def _sleep_past(expires: str | None) -> None:
    """Until just after a stored expiry (whole seconds), however long the test took."""
    at = expires_epoch(expires)
    assert at is not None
    time.sleep(max(0.0, at - time.time()) + 0.3)


def _key(panel: Panel, admin: Identity, **options: object) -> str:
    value, _ = panel.keys.create(admin, addresses="127.0.0.1", face="cli", **options)  # type: ignore[arg-type]
    return value


@pytest.fixture
def api(panel: Panel, ctx: Context, tmp_path: Path) -> Api:
    return Api(panel, ctx, tmp_path / "panel.ini")


# -- making keys with panelkey's options on each face -----------------------------------


def test_xml_create_takes_expires_scope_and_rate_after_plesks_elements(
    ctx: Context, panel: Panel
) -> None:
    xml = XmlClient(ctx)
    root = xml.call(
        "<secret_key><create><ip_address>127.0.0.1</ip_address><description>x</description>"
        "<login>admin</login><expires>12h</expires><scope>dns/*,read</scope><rate>5/m</rate>"
        "</create></secret_key>",
        headers=ADMIN_HEADERS,
    )
    assert results(root, "secret_key/create")[0].findtext("status") == "ok"
    (info,) = panel.keys.list()
    assert info.scope == ["dns/*", "read"] and info.rate == "5/m" and info.expires
    assert abs(time.mktime(time.strptime(info.expires, "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(
        time.gmtime(time.time() + 12 * 3600)
    )) < 60  # fmt: skip
    listed = xml.call(
        "<secret_key><get_info><filter/></get_info></secret_key>", headers=ADMIN_HEADERS
    )
    key_info = results(listed, "secret_key/get_info")[0].find("key_info")
    assert key_info is not None
    tags = [c.tag for c in key_info]
    assert tags == [*PLESK_FIELDS, "expires", "scope", "rate", "requests", "refusals"]
    assert key_info.findtext("rate") == "5/m" and key_info.findtext("scope") == "dns/*,read"


@pytest.mark.parametrize(
    "extension",
    ["<expires>yesterday</expires>", "<scope>dns</scope>", "<rate>0/s</rate>", "<rate>5/d</rate>"],
)
def test_xml_create_with_a_bad_option_is_1019_and_makes_nothing(
    ctx: Context, panel: Panel, extension: str
) -> None:
    root = XmlClient(ctx).call(
        f"<secret_key><create><ip_address>127.0.0.1</ip_address>{extension}</create></secret_key>",
        headers=ADMIN_HEADERS,
    )
    assert error_of(results(root, "secret_key/create")[0])[0] == 1019
    assert panel.keys.list() == []


def test_xml_extensions_before_plesks_elements_are_a_1014(ctx: Context, panel: Panel) -> None:
    root = XmlClient(ctx).call(
        "<secret_key><create><scope>read</scope><ip_address>127.0.0.1</ip_address></create>"
        "</secret_key>",
        headers=ADMIN_HEADERS,
    )
    code, text = system_error(root)
    assert code == 1014 and "ip_address" in text
    assert panel.keys.list() == []


def test_rest_create_takes_expires_scope_and_rate_and_lists_them(api: Api, panel: Panel) -> None:
    made = api.post(
        "/auth/keys",
        auth=ADMIN,
        json={"ip": "127.0.0.1", "expires": "2099-01-31T12:00:00Z", "scope": ["site/get"]},
    )
    assert made.status_code == 201, made.text
    plain = api.post("/auth/keys", auth=ADMIN, json={"ip": "127.0.0.1", "description": "p"})
    rated = api.post("/auth/keys", auth=ADMIN, json={"rate": "10/s"})
    assert plain.status_code == rated.status_code == 201
    listing = {k["id"]: k for k in api.get("/auth/keys", auth=ADMIN).json()}
    assert listing[1]["expires"] == "2099-01-31T12:00:00Z" and listing[1]["scope"] == ["site/get"]
    assert listing[1]["rate"] is None and listing[1]["requests"] == 0
    assert set(listing[2]) == PLAIN_JSON  # a plain key keeps exactly the shape it had
    assert listing[3]["rate"] == "10/s" and listing[3]["scope"] == []
    bad = api.post("/auth/keys", auth=ADMIN, json={"scope": ["dns"]})
    assert bad.status_code == 400 and "scope" in bad.json()["message"]
    assert len(panel.keys.list()) == 3


def test_cli_lists_a_plain_key_exactly_as_plesk_and_options_after_it(panel: Panel) -> None:
    made = secret_key.run(panel, ["-c", "-ip-address", "127.0.0.1", "-description", "plain"])
    assert made.code == 0
    limited = secret_key.run(
        panel, ["-c", "-ip-address", "127.0.0.1", "-scope", "read", "-rate", "3/h"]
    )
    assert limited.code == 0, limited.stderr
    blocks = secret_key.run(panel, ["-l"]).stdout.strip().split("\n\n")
    assert [line.split(":")[0] for line in blocks[0].splitlines()] == [
        "Key", "Ip", "Description", "Login", "Created", "Last used",
    ]  # fmt: skip
    assert blocks[1].splitlines()[6:] == [
        "Expires: never", "Scope: read", "Rate: 3/h", "Requests: 0", "Refusals: 0",
    ]  # fmt: skip
    listed = json.loads(secret_key.run(panel, ["-l", "-format", "json"]).stdout)
    assert set(listed[0]) == PLAIN_JSON
    assert listed[1]["scope"] == ["read"] and listed[1]["rate"] == "3/h"


# -- rotation through the CLI ----------------------------------------------------------------


def test_cli_rotate_by_value_and_by_id_keeps_everything_but_the_value(
    panel: Panel, admin: Identity
) -> None:
    panel.accounts.create(admin, login="owner1", password="pw-12345678", type="customer")
    old = secret_key.run(
        panel,
        ["-c", "-ip-address", "127.0.0.1,10.0.0.0/8", "-login", "owner1", "-scope", "dns/*",
         "-rate", "9/m", "-expires", "30d"],
    ).stdout.strip()  # fmt: skip
    (before,) = panel.keys.list()
    rotated = secret_key.run(panel, ["--rotate", "-key", old])
    assert rotated.code == 0 and "stops now" in rotated.stderr
    new = rotated.stdout.strip()
    (after,) = panel.keys.list()
    assert (after.ips, after.login, after.scope, after.rate, after.expires) == (
        before.ips, "owner1", ["dns/*"], "9/m", before.expires,
    )  # fmt: skip
    assert isinstance(panel.auth.verify_key(old, "127.0.0.1", "xml"), Refused)
    graced = secret_key.run(panel, ["--rotate", "-key", str(after.id), "-grace", "1h"])
    assert graced.code == 0 and "1h more" in graced.stderr
    newest = graced.stdout.strip()
    both = panel.keys.list()
    assert len(both) == 2 and {k.login for k in both} == {"owner1"}
    for value in (new, newest):
        verdict = panel.auth.verify_key(value, "10.1.2.3", "xml")
        assert isinstance(verdict, Verified) and verdict.identity.login == "owner1"
    assert secret_key.run(panel, ["--rotate", "-key", "999"]).code == 1
    assert secret_key.run(panel, ["--rotate", "-key", "1", "-grace", "soon"]).code == 1
    assert secret_key.run(panel, ["--rotate"]).code == 2
    assert len(panel.keys.list()) == 2


# -- scopes: a read key, a dns/* key -----------------------------------------------------------

XML_WRITES = [
    ("customer/add", "<customer><add><gen_info><pname>P</pname><login>c9</login>"
     "<passwd>pw-12345678</passwd></gen_info></add></customer>"),
    ("customer/set", "<customer><set><filter><login>jdoe</login></filter><values><gen_info>"
     "<pname>New</pname></gen_info></values></set></customer>"),
    ("customer/del", "<customer><del><filter><login>jdoe</login></filter></del></customer>"),
    ("secret_key/create", "<secret_key><create/></secret_key>"),
    ("secret_key/delete", "<secret_key><delete><filter><key>1</key></filter></delete>"
     "</secret_key>"),
    ("dns/add_rec", "<dns><add_rec><site-id>{site}</site-id><type>TXT</type><host>x</host>"
     "<value>v</value></add_rec></dns>"),
    ("dns/del_rec", "<dns><del_rec><filter><id>{record}</id></filter></del_rec></dns>"),
    ("site/del", "<site><del><filter><name>example.com</name></filter></del></site>"),
    ("webspace/del", "<webspace><del><filter><name>example.com</name></filter></del></webspace>"),
    ("server/create_session", "<server><create_session><login>jdoe</login><data><user_ip>"
     "MTI3LjAuMC4x</user_ip><source_server></source_server></data></create_session></server>"),
]  # fmt: skip
READS = (
    "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"
    "<dns><get_rec><filter><site-id>{site}</site-id></filter></get_rec></dns>"
)


def _world(panel: Panel, admin: Identity) -> tuple[int, int]:
    """A customer with a subscription and one TXT record: (site id, record id)."""
    panel.accounts.create(admin, login="jdoe", password="pw-12345678", type="customer")
    owner = panel.accounts.by_login("jdoe")
    assert owner is not None
    site = panel.domains.create(admin, name="example.com", owner=owner)
    record = panel.dns.add(admin, site, type="TXT", host="keep", value="kept")
    return site.id, record.id


def _snapshot(panel: Panel, admin: Identity) -> str:
    accounts = [(a.login, a.name, a.status) for a in panel.accounts.list()]
    keys = [k.id for k in panel.keys.list()]
    domains = [d.name for d in panel.domains.list(admin)]
    return repr((accounts, keys, domains))


@pytest.mark.parametrize(("name", "write"), XML_WRITES, ids=[n for n, _ in XML_WRITES])
def test_a_read_key_reads_and_every_xml_write_is_1006_in_its_own_result(
    ctx: Context, panel: Panel, admin: Identity, name: str, write: str
) -> None:
    site, record = _world(panel, admin)
    value = _key(panel, admin, scope="read")
    before = _snapshot(panel, admin)
    root = XmlClient(ctx, value).call(
        READS.format(site=site) + write.format(site=site, record=record) + READS.format(site=site)
    )
    operator, operation = name.split("/")
    code, text = error_of(results(root, name)[0])
    assert code == 1006 and name in text and "read" in text
    for read in ("customer/get", "dns/get_rec"):  # the reads before and after it ran
        assert {r.findtext("status") for r in results(root, read)} == {"ok"}
        assert len(root.findall(read)) == 2
    assert _snapshot(panel, admin) == before
    denied = [e for e in panel.audit.entries() if e.event == "scope_denied"]
    assert denied[-1].reason == f"scope read does not allow {operator}/{operation}"


REST_WRITES = [
    ("POST", "/clients", {"name": "N", "login": "c2", "password": "pw-12345678", "email": "",
                          "type": "customer"}),
    ("PUT", "/clients/{client}", {"name": "Renamed"}),
    ("DELETE", "/clients/{client}", None),
    ("POST", "/auth/keys", {}),
    ("DELETE", "/auth/keys/1", None),
    ("POST", "/domains", {"name": "new.example", "hosting_type": "virtual"}),
    ("DELETE", "/domains/{site}", None),
    ("POST", "/dns/records?domain=example.com", {"type": "TXT", "host": "y", "value": "v"}),
    ("PUT", "/dns/records/{record}", {"value": "changed"}),
    ("DELETE", "/dns/records/{record}", None),
    ("POST", "/cli/secret_key/call", {"params": ["--create"]}),
    ("POST", "/server/session", {"login": "jdoe", "data": {"user_ip": "127.0.0.1"}}),
]  # fmt: skip


def test_a_read_key_reads_over_rest_and_every_rest_write_is_403(
    api: Api, panel: Panel, admin: Identity
) -> None:
    site, record = _world(panel, admin)
    client = panel.accounts.by_login("jdoe")
    assert client is not None
    value = _key(panel, admin, scope=["read"])
    headers = {"X-API-Key": value}
    for path in ("/clients", f"/clients/{client.id}", "/domains", "/auth/keys", "/server"):
        assert api.get(path, headers=headers).status_code == 200, path
    assert api.get("/dns/records?domain=example.com", headers=headers).status_code == 200
    before = _snapshot(panel, admin)
    for method, path, body in REST_WRITES:
        path = path.format(client=client.id, site=site, record=record)
        answer = api.request(method, path, headers=headers, json=body)
        assert answer.status_code == 403, (method, path, answer.text)
        assert "read" in answer.json()["message"]
    assert _snapshot(panel, admin) == before
    denied = [e.reason for e in panel.audit.entries() if e.event == "scope_denied"]
    assert len(denied) == len(REST_WRITES)
    assert "scope read does not allow customer/add" in denied
    assert "scope read does not allow dns/del_rec" in denied


def test_a_dns_key_manages_records_on_both_faces_and_nothing_else(
    ctx: Context, api: Api, panel: Panel, admin: Identity
) -> None:
    site, record = _world(panel, admin)
    value = _key(panel, admin, scope="dns/*")
    xml = XmlClient(ctx, value)
    root = xml.call(
        f"<dns><add_rec><site-id>{site}</site-id><type>TXT</type><host>_acme-challenge</host>"
        f"<value>token</value></add_rec><get_rec><filter><site-id>{site}</site-id></filter>"
        f"</get_rec><del_rec><filter><id>{record}</id></filter></del_rec></dns>"
        "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"
        f"<site><get><filter><id>{site}</id></filter><dataset><gen_info/></dataset></get></site>"
        "<secret_key><get_info><filter/></get_info></secret_key>"
    )
    for name in ("dns/add_rec", "dns/get_rec", "dns/del_rec"):
        assert results(root, name)[0].findtext("status") == "ok", etree.tostring(root)
    for name in ("customer/get", "site/get", "secret_key/get_info"):
        assert error_of(results(root, name)[0])[0] == 1006, name
    headers = {"X-API-Key": value}
    added = api.post(
        "/dns/records?domain=example.com",
        headers=headers,
        json={"type": "TXT", "host": "rest", "value": "v1"},
    )
    assert added.status_code == 200, added.text
    rid = added.json()["id"]
    assert api.put(f"/dns/records/{rid}", headers=headers, json={"value": "v2"}).status_code == 200
    assert api.get(f"/dns/records/{rid}", headers=headers).json()["value"] == "v2"
    assert api.delete(f"/dns/records/{rid}", headers=headers).status_code == 200
    for path in ("/clients", "/domains", "/server", "/auth/keys"):
        assert api.get(path, headers=headers).status_code == 403, path
    assert api.post("/auth/keys", headers=headers, json={}).status_code == 403
    assert len(panel.keys.list()) == 1


# -- expiry on the wire ---------------------------------------------------------------------


def test_an_expired_key_is_11003_and_401_like_any_bad_key(
    ctx: Context, api: Api, panel: Panel, admin: Identity
) -> None:
    value = _key(panel, admin, expires="2s")  # one to two seconds: whole seconds
    xml = XmlClient(ctx, value)
    assert results(xml.call("<server><get_protos/></server>"), "server/get_protos")
    assert api.get("/server", headers={"X-API-Key": value}).status_code == 200
    _sleep_past(panel.keys.list()[0].expires)
    assert system_error(xml.call("<server><get_protos/></server>"))[0] == 11003
    refused = api.get("/server", headers={"X-API-Key": value})
    assert refused.status_code == 401 and refused.json()["message"] == "Authentication failed"
    unknown = api.get("/server", headers={"X-API-Key": "00000000-0000-0000-0000-000000000000"})
    assert unknown.json() == refused.json()  # a guesser learns nothing
    reasons = [e.reason for e in panel.audit.entries(failures_only=True)]
    assert reasons.count(Reason.EXPIRED.value) == 2


def test_rest_rotates_through_the_cli_call(api: Api, panel: Panel, admin: Identity) -> None:
    old = _key(panel, admin, scope="dns/*")
    answer = api.post(
        "/cli/secret_key/call", auth=ADMIN, json={"params": ["--rotate", "-key", "1"]}
    )
    assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text
    new = answer.json()["stdout"].strip()
    assert isinstance(panel.auth.verify_key(new, "127.0.0.1", "rest"), Verified)
    assert isinstance(panel.auth.verify_key(old, "127.0.0.1", "rest"), Refused)
    assert [k.scope for k in panel.keys.list()] == [["dns/*"]]
