"""Operator server (get, create_session) and operator session."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.context import Context
from panelkey.core.access.sessions import SessionKey, Sessions
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from panelkey.xmlapi.operators.server import SECTIONS
from tests.functional.xml.xml_helpers import XmlClient
from tests.functional.xml_tier1.tier1 import (
    add_customer,
    add_reseller,
    error_of,
    fault,
    ok,
    one,
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
    return one(xml.call(f"<server><get>{inner}</get></server>", key=key), "server/get")


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
    ws = panel.domains.create(admin, name="a.example", owner=panel.accounts.by_login("c1"))
    panel.domains.create(admin, name="b.example", status="suspended")
    panel.domains.create(admin, name="site.a.example", base_domain=ws)
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


# -- sessions -------------------------------------------------------------------------


def _create(
    xml: XmlClient, login: str, ip: str = "203.0.113.5", key: str | None = None
) -> etree._Element:
    user_ip = base64.b64encode(ip.encode()).decode()
    source = base64.b64encode(b"billing.example").decode()
    root = xml.call(
        f"<server><create_session><login>{login}</login><data><user_ip>{user_ip}</user_ip>"
        f"<source_server>{source}</source_server></data></create_session></server>",
        key=key,
    )
    return one(root, "server/create_session")


def _sessions(xml: XmlClient, key: str | None = None) -> list[dict[str, str]]:
    result = ok(one(xml.call("<session><get/></session>", key=key), "session/get"))
    return [{str(c.tag): c.text or "" for c in s} for s in result.findall("session")]


def test_a_session_is_listed_then_terminated(xml: XmlClient, panel: Panel) -> None:
    add_customer(xml, "c1")
    made = ok(_create(xml, "c1"))
    session_id = made.findtext("id") or ""
    assert len(session_id) == 48
    (listed,) = _sessions(xml)
    assert list(listed) == ["id", "type", "ip-address", "login", "login-time", "idle"]
    # Plesk lists the very id create_session returned (the old answer was its handle)
    assert listed["id"] == session_id
    assert (listed["type"], listed["ip-address"], listed["login"]) == (
        "client",
        "203.0.113.5",
        "c1",
    )
    assert panel.sessions.verify(session_id) is not None
    root = xml.call(
        f"<session><terminate><session-id>{session_id}</session-id></terminate></session>"
    )
    ok(one(root, "session/terminate"))
    assert _sessions(xml) == []
    assert panel.sessions.verify(session_id) is None


def test_a_copy_of_the_store_holds_no_usable_session_id(
    xml: XmlClient, panel: Panel, ctx: Context
) -> None:
    add_customer(xml, "c1")
    session_id = ok(_create(xml, "c1")).findtext("id") or ""
    with panel.db.read() as conn:
        (row,) = conn.execute(sa.select(tables.sessions)).mappings().all()
    stored = " ".join(str(v) for v in row.values())
    assert session_id not in stored and session_id[16:] not in stored
    assert row["sealed"] and session_id[16:] not in base64.b64decode(row["sealed"]).hex()
    # the key lives outside the store, in the data folder, readable by its owner only
    key_file = ctx.settings.data_dir / "session.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.read_text().strip() not in stored
    # the same store under another key: the sealed id does not open, only the handle shows
    other = Sessions(panel.db, panel.accounts, key_file=ctx.settings.data_dir / "other.key")
    (listed,) = other.list(panel.accounts.admin().identity())  # type: ignore[union-attr]
    assert listed.session_id == session_id[:16]


def test_create_session_without_data(xml: XmlClient, panel: Panel) -> None:
    add_customer(xml, "c1")
    root = xml.call("<server><create_session><login>c1</login></create_session></server>")
    session_id = ok(one(root, "server/create_session")).findtext("id") or ""
    (listed,) = _sessions(xml)
    assert listed["id"] == session_id and listed["ip-address"] == ""
    assert panel.sessions.verify(session_id) is not None


def test_session_errors(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    assert error_of(_create(xml, "ghost")) == (1013, "Client does not exist")
    root = xml.call(
        "<session><terminate><session-id>0123456789abcdef</session-id></terminate></session>"
    )
    assert error_of(one(root, "session/terminate")) == (1013, "Session does not exist")
    code, text = fault(
        xml,
        "<server><create_session><data><user_ip>x</user_ip></data>"
        "<login>admin</login></create_session></server>",
    )
    assert code == 1014 and "'data'" in text
    add_customer(xml, "c1")
    add_customer(xml, "c2")
    c1 = key_for("c1")
    assert error_of(_create(xml, "c2", key=c1))[0] == 1013
    root = xml.call("<session><get/></session>", key=c1)
    assert error_of(one(root, "session/get"))[0] == 1006


def test_the_session_key_is_made_once_and_binds_the_handle(tmp_path: Path) -> None:
    first = SessionKey(tmp_path / "keys" / "session.key")
    sealed = first.seal("0123456789abcdef" + "a" * 32, "0123456789abcdef")
    # another process (a second SessionKey) reads the same key, never makes its own
    second = SessionKey(tmp_path / "keys" / "session.key")
    assert second.open(sealed, "0123456789abcdef") == "0123456789abcdef" + "a" * 32
    assert second.open(sealed, "fedcba9876543210") is None  # moved to another row
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    assert [p.name for p in (tmp_path / "keys").iterdir()] == ["session.key"]
    assert SessionKey(tmp_path / "none.key").open(sealed, "0123456789abcdef") is None


def test_bad_session_data_makes_nothing(xml: XmlClient, panel: Panel) -> None:
    add_customer(xml, "c1")
    bad_mail = base64.b64encode(b"not an address").decode()
    root = xml.call(
        "<server><create_session><login>c1</login><data><user_ip>192.0.2.1</user_ip>"
        f"<c_email>{bad_mail}</c_email></data></create_session></server>"
    )
    code, _text = error_of(one(root, "server/create_session"))
    assert code == 1019
    assert _sessions(xml) == []
    account = panel.accounts.by_login("c1")
    assert account is not None and account.email == ""
