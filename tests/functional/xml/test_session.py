"""Operator session, and the sessions server/create_session makes: listed, terminated,
never usable from a copy of the store."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from panelkey.context import Context
from panelkey.core.access.sessions import SessionKey, Sessions
from panelkey.core.panel import Panel
from panelkey.store import tables
from tests import factories
from tests.functional.xml.operation_table import Case, Scene, run
from tests.functional.xml.xml_helpers import (
    XmlClient,
    add_customer,
    error_of,
    fault,
    ok,
    only,
)


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
    return only(root, "server/create_session")


def _sessions(xml: XmlClient, key: str | None = None) -> list[dict[str, str]]:
    result = ok(only(xml.call("<session><get/></session>", key=key), "session/get"))
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
    ok(only(root, "session/terminate"))
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
    (listed,) = other.list(factories.admin(panel))
    assert listed.session_id == session_id[:16]


def test_create_session_without_data(xml: XmlClient, panel: Panel) -> None:
    add_customer(xml, "c1")
    root = xml.call("<server><create_session><login>c1</login></create_session></server>")
    session_id = ok(only(root, "server/create_session")).findtext("id") or ""
    (listed,) = _sessions(xml)
    assert listed["id"] == session_id and listed["ip-address"] == ""
    assert panel.sessions.verify(session_id) is not None


def test_session_errors(xml: XmlClient, key_for: Callable[[str], str]) -> None:
    assert error_of(_create(xml, "ghost")) == (1013, "Client does not exist")
    root = xml.call(
        "<session><terminate><session-id>0123456789abcdef</session-id></terminate></session>"
    )
    assert error_of(only(root, "session/terminate")) == (1013, "Session does not exist")
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
    assert error_of(only(root, "session/get"))[0] == 1006


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
    code, _text = error_of(only(root, "server/create_session"))
    assert code == 1019
    assert _sessions(xml) == []
    account = panel.accounts.by_login("c1")
    assert account is not None and account.email == ""


# -- every operation: the table's rows (operation_table.py) -------------------------------


CASES = [
    Case("session", "get", "", "<get><x/></get>", "get", None, "", "carol"),
    Case(
        "session",
        "terminate",
        "<session-id>{session}</session-id>",
        "<terminate><x/><session-id>{session}</session-id></terminate>",
        "x",
        "<session-id>0123456789abcdef0123</session-id>",
        "Session does not exist",
        "carol",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation(scene: Scene, case: Case) -> None:
    run(scene, case)
