"""Transport, authentication and the order of packet-level checks (spec/xml-api.md)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from panelkey.config import LivePanelIni, load_settings
from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.xmlapi.operators import OPERATORS
from tests import factories
from tests.conftest import CHEAP_HASHES
from tests.functional.xml.xml_helpers import (
    BILLION_LAUGHS,
    BOTH,
    DEEP,
    EXTERNAL_ENTITY,
    XmlClient,
    packet,
    parse,
    results,
    system_error,
)

# Authentication, the 1006 switches and the refusals and audit entries read and write
# the store: those run on both stores. Transport, parsing, versions and hostile input are
# decided before the store is asked anything but the key (whose lookup the tests on both
# stores cover), so they run on SQLite, as the folder's tests do unless they ask for both.
BOTH_STORES = pytest.mark.parametrize("database_url", BOTH, indirect=True)

ADMIN_PASSWORD = "admin-test-password"  # tests/conftest.py
PROTOS = "<server><get_protos/></server>"
KEY_REFUSED = "Secret key validation failed"


def _ok(root: object) -> None:
    (result,) = results(root, "server/get_protos")  # type: ignore[arg-type]
    assert result.findtext("status") == "ok"


@pytest.fixture
def with_ini(panel: Panel, tmp_path: Path, admin_key: str) -> Callable[[str], XmlClient]:
    """A client of a face whose panel.ini holds the given text."""

    def make(text: str) -> XmlClient:
        ini = tmp_path / "ini" / "panel.ini"
        ini.parent.mkdir(exist_ok=True)
        ini.write_text(text)
        settings = load_settings({"data_dir": str(tmp_path), **CHEAP_HASHES}, environ={})
        return XmlClient(Context(panel, settings, LivePanelIni(ini)), admin_key)

    return make


# -- transport ------------------------------------------------------------------------


def test_other_methods_get_405_with_allow_post(xml: XmlClient) -> None:
    for method in ("GET", "PUT", "DELETE", "HEAD"):
        response = xml.request(b"", method=method)
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/xml", "TEXT/XML", "application/xml", "application/x-www-form-urlencoded"],
)
def test_any_or_no_content_type_is_accepted(
    xml: XmlClient, admin_key: str, content_type: str | None
) -> None:
    headers = {"KEY": admin_key}
    if content_type:
        headers["Content-Type"] = content_type
    _ok(parse(xml.request(packet(PROTOS), headers)))


def test_answer_is_compact_unless_pretty_print_is_asked(xml: XmlClient, admin_key: str) -> None:
    compact = xml.request(packet(PROTOS), {"KEY": admin_key}).content
    assert compact.count(b"\n") == 1  # only after the XML declaration
    for value in ("TRUE", "true"):
        pretty = xml.request(packet(PROTOS), {"KEY": admin_key, "HTTP_PRETTY_PRINT": value})
        assert b"\n  <server>\n    <get_protos>" in pretty.content
        _ok(parse(pretty))


def test_packet_without_declaration_and_indented_is_accepted(
    xml: XmlClient, admin_key: str
) -> None:
    body = b'<packet version="1.6.9.1">\n  <server>\n    <get_protos/>\n  </server>\n</packet>\n'
    _ok(parse(xml.request(body, {"KEY": admin_key})))


@BOTH_STORES
def test_header_names_are_matched_case_insensitively(xml: XmlClient, admin_key: str) -> None:
    _ok(parse(xml.request(packet(PROTOS), {"key": admin_key})))
    _ok(parse(xml.request(packet(PROTOS), {"Key": admin_key})))
    headers = {"http_auth_login": "admin", "Http_Auth_Passwd": ADMIN_PASSWORD}
    _ok(parse(xml.request(packet(PROTOS), headers)))


@BOTH_STORES
def test_headers_with_dashes_are_not_the_auth_headers(xml: XmlClient) -> None:
    headers = {"HTTP-AUTH-LOGIN": "admin", "HTTP-AUTH-PASSWD": ADMIN_PASSWORD}
    code, _ = system_error(parse(xml.request(packet(PROTOS), headers)))
    assert code == 1029


@BOTH_STORES
def test_basic_authorization_is_accepted(xml: XmlClient) -> None:
    token = base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()
    _ok(parse(xml.request(packet(PROTOS), {"Authorization": f"Basic {token}"})))


@BOTH_STORES
def test_login_and_password_win_over_a_bad_key(xml: XmlClient) -> None:
    headers = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD, "KEY": "nope"}
    _ok(parse(xml.request(packet(PROTOS), headers)))


# -- 1006: the API switch and allowedIPs ---------------------------------------------------


@BOTH_STORES
def test_api_disabled_answers_1006_before_authentication(
    with_ini: Callable[[str], XmlClient],
) -> None:
    client = with_ini("[api]\nenabled = off\n")
    assert system_error(client.call(PROTOS))[0] == 1006
    assert system_error(parse(client.request(packet(PROTOS))))[0] == 1006  # no credentials


@BOTH_STORES
def test_source_outside_allowed_ips_answers_1006(with_ini: Callable[[str], XmlClient]) -> None:
    client = with_ini("[api]\nallowedIPs = 10.0.0.0/8, 192.0.2.7\n")
    assert system_error(client.call(PROTOS, address="127.0.0.1"))[0] == 1006
    _ok(client.call(PROTOS, address="10.1.2.3"))
    _ok(client.call(PROTOS, address="192.0.2.7"))


# -- 1029, 1001, 11003 -------------------------------------------------------------------


@BOTH_STORES
def test_no_authentication_method_answers_1029(xml: XmlClient) -> None:
    code, text = system_error(parse(xml.request(packet(PROTOS))))
    assert (code, text) == (1029, "Authentication method is not specified")


@BOTH_STORES
def test_wrong_password_and_unknown_login_answer_1001(xml: XmlClient, panel: Panel) -> None:
    for login, password in (("admin", "wrong"), ("nobody", "whatever")):
        headers = {"HTTP_AUTH_LOGIN": login, "HTTP_AUTH_PASSWD": password}
        code, _ = system_error(parse(xml.request(packet(PROTOS), headers)))
        assert code == 1001
    reasons = [e.reason for e in panel.audit.entries(failures_only=True)]
    assert reasons == ["wrong password", "unknown login"]


@BOTH_STORES
def test_disabled_account_answers_1001_like_a_wrong_password(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    customer = factories.customer(panel, "off", password="pw-off-1")
    panel.accounts.update(admin, customer, {"status": 16})
    headers = {"HTTP_AUTH_LOGIN": "off", "HTTP_AUTH_PASSWD": "pw-off-1"}
    wrong = {"HTTP_AUTH_LOGIN": "off", "HTTP_AUTH_PASSWD": "not-it"}
    assert system_error(parse(xml.request(packet(PROTOS), headers))) == system_error(
        parse(xml.request(packet(PROTOS), wrong))
    )
    assert [e.reason for e in panel.audit.entries(failures_only=True)] == [
        "account disabled",
        "wrong password",
    ]


@BOTH_STORES
def test_every_key_refusal_answers_the_same_11003_and_audits_the_reason(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    bound, _ = panel.keys.create(admin, addresses="192.0.2.1", face="cli")
    customer = factories.customer(panel, "c1", password="pw-c1-12")
    owned = factories.key_of(panel, admin, "c1")
    panel.accounts.update(admin, customer, {"status": 16})
    unknown = "00000000-0000-0000-0000-000000000000"
    answers = {
        system_error(xml.call(PROTOS, key=k, address="127.0.0.1")) for k in (unknown, bound, owned)
    }
    assert answers == {(11003, KEY_REFUSED)}
    failures = panel.audit.entries(failures_only=True)
    assert [e.reason for e in failures] == ["unknown key", "address not allowed", "owner disabled"]
    assert {(e.face, e.source_ip) for e in failures} == {("xml", "127.0.0.1")}
    assert all(e.at for e in failures)
    for e in failures:
        for secret in (unknown, bound, owned):
            assert secret not in e.detail and secret not in e.actor


@BOTH_STORES
def test_refusals_from_the_cache_are_audited_too(
    xml: XmlClient, panel: Panel, admin: Identity
) -> None:
    bound, _ = panel.keys.create(admin, addresses="192.0.2.1", face="cli")
    _ok(xml.call(PROTOS, key=bound, address="192.0.2.1"))  # now cached
    for _ in range(2):
        assert system_error(xml.call(PROTOS, key=bound, address="192.0.2.2"))[0] == 11003
    # Repeats from one source for one reason are counted into one entry (docs/keys.md).
    assert sum(e.count for e in panel.audit.entries(failures_only=True)) == 2


# -- 1014, 1005 and their order ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<packet><server><get_protos/></server>",
        b"<other/>",
        b"<packet version='1.6.9.1'><server><get_protos/></server></packet><extra/>",
    ],
)
def test_malformed_packets_answer_1014(xml: XmlClient, admin_key: str, body: bytes) -> None:
    code, text = system_error(parse(xml.request(body, {"KEY": admin_key})))
    assert code == 1014
    assert text.startswith("Request is invalid")


@pytest.mark.parametrize(
    ("version", "answered"),
    [
        (None, "1.6.9.1"),
        ("1.6", "1.6.9.1"),
        ("1.6.5", "1.6.9.1"),
        ("1.6.7.0", "1.6.9.1"),
        ("1.6.3.0", "1.6.9.1"),
        ("1.6.9.1", "1.6.9.1"),
        ("1.0.0.0", "1.6.9.1"),
        ("1.4", "1.6.9.1"),
    ],
)
def test_supported_versions_and_their_prefixes_are_accepted(
    xml: XmlClient, admin_key: str, version: str | None, answered: str
) -> None:
    """Every listed version and prefix is served; the answer carries the server's
    version whatever the request's (spec/xml-api.md)."""
    response = xml.request(packet(PROTOS, version), {"KEY": admin_key})
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.get("version") == answered
    _ok(root)


@pytest.mark.parametrize("version", ["100.0.0", "1.7", "2", "abc"])
def test_unsupported_versions_answer_1005(xml: XmlClient, version: str) -> None:
    assert system_error(xml.call(PROTOS, version=version))[0] == 1005


def test_checks_run_in_the_order_of_the_spec(xml: XmlClient) -> None:
    bad_version_and_schema = "<secret-key/>"
    assert system_error(xml.call(bad_version_and_schema, version="100.0.0"))[0] == 1005
    assert system_error(xml.call(bad_version_and_schema))[0] == 1014
    bad_xml = b"<packet version='100.0.0'><oops></packet>"
    assert system_error(parse(xml.request(bad_xml, {"KEY": xml.key or ""})))[0] == 1014
    assert system_error(parse(xml.request(bad_xml, {"KEY": "bad-key"})))[0] == 11003
    assert system_error(parse(xml.request(bad_xml)))[0] == 1029


def test_schema_error_names_the_line_and_the_element(xml: XmlClient) -> None:
    body = '<packet version="1.6.9.1">\n<server><get_protos/></server>\n<secret-key/>\n</packet>'
    code, text = system_error(parse(xml.request(body, {"KEY": xml.key or ""})))
    assert code == 1014
    assert text.startswith("Request is invalid. Error in line 3: element 'secret-key'")
    assert "secret_key, customer, server" in text


@BOTH_STORES
def test_an_operation_without_a_handler_refuses_the_whole_packet(
    xml: XmlClient, panel: Panel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(OPERATORS, "webspace", raising=False)  # in the schema, no handler
    inner = (
        "<secret_key><create><description>x</description></create></secret_key>"
        "<webspace><get><filter/><dataset/></get></webspace>"
    )
    root = xml.call(inner)
    assert system_error(root)[0] == 1014
    assert len(panel.keys.list()) == 1  # only the admin_key fixture


# -- 413 and hostile input ---------------------------------------------------------------


def test_body_over_the_limit_is_413(xml: XmlClient, admin_key: str) -> None:
    body = packet("<server><get_protos/></server>" + " " * (1024 * 1024 + 1))
    assert xml.request(body, {"KEY": admin_key}).status_code == 413
    _ok(xml.call(PROTOS))


@pytest.mark.parametrize(
    "body",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, DEEP],
    ids=["billion-laughs", "external-entity", "deep"],
)
def test_hostile_packets_are_refused_fast_and_create_nothing(
    xml: XmlClient, panel: Panel, admin_key: str, body: bytes
) -> None:
    started = time.monotonic()
    root = parse(xml.request(body, {"KEY": admin_key}))
    assert time.monotonic() - started < 1.0
    assert system_error(root)[0] == 1014
    assert len(panel.keys.list()) == 1
    _ok(xml.call(PROTOS))
