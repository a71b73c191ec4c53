"""Keys better than Plesk's, in-process on both stores: expiry, scopes, rotation, usage."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from panelkey.context import Context
from panelkey.core.access.keypolicy import expires_epoch
from panelkey.core.errors import InvalidValue
from panelkey.core.identity import Identity, Reason, Refused, Verified
from panelkey.core.panel import Panel
from tests.functional.rest.rest_helpers import ADMIN, Api
from tests.functional.xml.xml_helpers import XmlClient, error_of, results, system_error

CUSTOMER_ADD = (
    "<customer><add><gen_info><pname>P</pname><login>{login}</login>"
    "<passwd>pw-12345678</passwd></gen_info></add></customer>"
)
CUSTOMER_GET = "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"


def _sleep_past(expires: str | None) -> None:
    """Until just after a stored expiry (whole seconds), however long the test took."""
    at = expires_epoch(expires)
    assert at is not None
    time.sleep(max(0.0, at - time.time()) + 0.3)


def _key(panel: Panel, admin: Identity, **options: object) -> str:
    value, _ = panel.keys.create(admin, addresses="127.0.0.1", face="cli", **options)  # type: ignore[arg-type]
    return value


def test_an_expiring_key_works_then_is_refused_as_expired(panel: Panel, admin: Identity) -> None:
    value = _key(panel, admin, expires="2s")  # one to two seconds: whole seconds
    assert isinstance(panel.auth.verify_key(value, "127.0.0.1", "xml"), Verified)
    _sleep_past(panel.keys.list()[0].expires)
    verdict = panel.auth.verify_key(value, "127.0.0.1", "xml")
    assert isinstance(verdict, Refused) and verdict.reason is Reason.EXPIRED
    last = panel.audit.entries(failures_only=True)[-1]
    assert last.reason == "expired" and last.key_id == verdict.key_id


@pytest.mark.parametrize(
    ("option", "bad"),
    [("expires", "2001-01-01T00:00:00Z"), ("expires", "soon"), ("scope", "dns"), ("rate", "5/d")],
)
def test_bad_options_create_nothing(panel: Panel, admin: Identity, option: str, bad: str) -> None:
    with pytest.raises(InvalidValue):
        _key(panel, admin, **{option: bad})
    assert panel.keys.list() == []


def test_a_read_key_reads_on_both_faces_and_is_refused_every_write(
    ctx: Context, panel: Panel, admin: Identity, tmp_path: Path
) -> None:
    value = _key(panel, admin, scope=["read"])
    xml = XmlClient(ctx, value)
    root = xml.call(CUSTOMER_GET + CUSTOMER_ADD.format(login="c1") + CUSTOMER_GET)
    assert [r.findtext("status") for r in results(root, "customer/get")] == ["ok", "ok"]
    code, text = error_of(results(root, "customer/add")[0])
    assert code == 1006 and "read" in text
    assert panel.accounts.by_login("c1") is None
    denied = [e for e in panel.audit.entries() if e.event == "scope_denied"]
    assert denied and "customer/add" in denied[-1].reason and "read" in denied[-1].reason
    api = Api(panel, ctx, tmp_path / "panel.ini")
    assert api.get("/clients", headers={"X-API-Key": value}).status_code == 200
    body = {"name": "N", "login": "c2", "password": "pw-12345678", "email": "", "type": "customer"}
    assert api.post("/clients", headers={"X-API-Key": value}, json=body).status_code == 403
    assert api.delete("/auth/keys/1", headers={"X-API-Key": value}).status_code == 403
    assert panel.accounts.by_login("c2") is None


def test_a_dns_key_manages_records_and_nothing_else(
    ctx: Context, panel: Panel, admin: Identity, tmp_path: Path
) -> None:
    site = panel.domains.create(admin, name="example.com")
    value = _key(panel, admin, scope="dns/*")
    xml = XmlClient(ctx, value)
    root = xml.call(
        f"<dns><add_rec><site-id>{site.id}</site-id><type>TXT</type><host>_acme-challenge</host>"
        f"<value>token</value></add_rec></dns>{CUSTOMER_GET}"
    )
    assert results(root, "dns/add_rec")[0].findtext("status") == "ok"
    assert error_of(results(root, "customer/get")[0])[0] == 1006
    api = Api(panel, ctx, tmp_path / "panel.ini")
    headers = {"X-API-Key": value}
    assert (
        api.get("/dns/records", params={"domain": "example.com"}, headers=headers).status_code
        == 200
    )
    assert api.get("/clients", headers=headers).status_code == 403
    assert api.get("/domains", headers=headers).status_code == 403


def test_rate_limited_key_gets_429_with_retry_after_and_the_xml_error(
    ctx: Context, panel: Panel, admin: Identity, tmp_path: Path
) -> None:
    value = _key(panel, admin, rate="3/h")
    api = Api(panel, ctx, tmp_path / "panel.ini")
    statuses = [api.get("/server", headers={"X-API-Key": value}) for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1].headers["retry-after"]) > 0
    assert statuses[-1].json()["code"] == 429
    code, text = system_error(XmlClient(ctx, value).call("<server><get_protos/></server>"))
    assert code == 11004 and "retry in" in text and "3/h" in text


def test_rotation_keeps_scope_addresses_and_limits(panel: Panel, admin: Identity) -> None:
    old = _key(panel, admin, scope="dns/*", rate="10/s", description="rotate me")
    first = panel.keys.list()[0]
    new, info = panel.keys.rotate(admin, str(first.id), face="cli")
    assert new != old
    assert (info.ips, info.scope, info.rate, info.description) == (
        first.ips, first.scope, first.rate, "rotate me"
    )  # fmt: skip
    assert isinstance(panel.auth.verify_key(old, "127.0.0.1", "xml"), Refused)
    assert isinstance(panel.auth.verify_key(new, "127.0.0.1", "xml"), Verified)


def test_rotation_with_grace_keeps_the_old_value_until_it_ends(
    panel: Panel, admin: Identity
) -> None:
    old = _key(panel, admin)
    newer, _ = panel.keys.rotate(admin, old, grace="2s", face="cli")
    assert isinstance(panel.auth.verify_key(old, "127.0.0.1", "xml"), Verified)
    assert isinstance(panel.auth.verify_key(newer, "127.0.0.1", "xml"), Verified)
    _sleep_past(panel.keys.list()[0].expires)  # the old key's, set by the grace
    verdict = panel.auth.verify_key(old, "127.0.0.1", "xml")
    assert isinstance(verdict, Refused) and verdict.reason is Reason.EXPIRED
    assert isinstance(panel.auth.verify_key(newer, "127.0.0.1", "xml"), Verified)


def test_usage_is_counted_and_shown_only_for_keys_with_options(
    ctx: Context, panel: Panel, admin: Identity
) -> None:
    plain = _key(panel, admin)
    limited = _key(panel, admin, scope="server/*")
    xml = XmlClient(ctx)
    for value in (plain, limited):
        xml.call("<server><get_protos/></server>", key=value)
    xml.call(CUSTOMER_GET, key=limited)  # outside its scope: a refusal
    panel.auth.flush_usage()
    root = xml.call(
        "<secret_key><get_info><filter/></get_info></secret_key>", key=None,
        headers={"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN[1]},
    )  # fmt: skip
    infos = [r.find("key_info") for r in results(root, "secret_key/get_info")]
    assert [c.tag for c in infos[0]] == ["key", "ip_address", "description", "login"]
    assert [c.tag for c in infos[1]][:4] == ["key", "ip_address", "description", "login"]
    assert infos[1].findtext("scope") == "server/*"
    assert infos[1].findtext("requests") == "2" and infos[1].findtext("refusals") == "1"
    listed = {k["id"]: k for k in (i.as_dict() for i in panel.keys.list())}
    assert "requests" not in listed[1] and listed[2]["requests"] == 2
