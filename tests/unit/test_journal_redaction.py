"""The journal's redaction: no password or key value survives, everything else does."""

from __future__ import annotations

import asyncio
import codecs
import json
import sqlite3
from pathlib import Path

import httpx
import pytest

from panelkey.context import Context
from panelkey.journal import (
    AccessLog,
    Journal,
    JournalMiddleware,
    redact,
    redact_json,
    redact_path,
    redact_xml,
)
from panelkey.xmlapi.app import XmlApi
from tests.conftest import ADMIN_PASSWORD
from tests.functional.xml.xml_helpers import AGENT

KEY = "49f69869-fbea-9d00-3492-f1099b051057"


@pytest.mark.parametrize(
    ("packet", "secret", "kept"),
    [
        ("<gen_info><login>abc</login><passwd>pw-1</passwd></gen_info>", "pw-1", "abc"),
        ("<gen_info><passwd><![CDATA[a<b]]></passwd></gen_info>", "a<b", "gen_info"),
        ("<values><password type='plain'>pw-2</password></values>", "pw-2", "values"),
        (
            "<property><name>ftp_password</name><value>pw-3</value></property>"
            "<property><name>ftp_login</name><value>joe</value></property>",
            "pw-3",
            "joe",
        ),
        (f"<result><status>ok</status><key>{KEY}</key></result>", KEY, "<key>"),
        (f"<filter><key> {KEY} </key><key>3</key></filter>", KEY, "<key>3</key>"),
        ("<certificate><pvt>-----BEGIN KEY-----x</pvt></certificate>", "BEGIN KEY", "certificate"),
        # the tier-2 operators' secrets, by their names alone
        (
            "<mail><create><filter><site-id>1</site-id><mailname><name>info</name>"
            "<password><value>pw-mail</value><type>plain</type></password></mailname>"
            "</filter></create></mail>",
            "pw-mail",
            "<name>info</name>",
        ),
        (
            "<database><add-db-user><db-id>3</db-id><login>u</login>"
            "<password>pw-db</password></add-db-user></database>",
            "pw-db",
            "<login>u</login>",
        ),
        (
            "<ftp-user><add><name>f</name><password>pw-ftp</password></add></ftp-user>",
            "pw-ftp",
            "f",
        ),
        (
            "<certificate><generate><result><csr>CSR-TEXT</csr><pvt>-----BEGIN PRIVATE KEY-----"
            "abc</pvt></result></generate></certificate>",
            "BEGIN PRIVATE",
            "CSR-TEXT",
        ),
        ("<x><private-key>pk-1</private-key><api_key>ak-1</api_key></x>", "pk-1", "<x>"),
        ("<x><api_key>ak-1</api_key><db_password>dp</db_password></x>", "ak-1", "<x>"),
        ("<x><HTTP_AUTH_PASSWD>hp-1</HTTP_AUTH_PASSWD></x>", "hp-1", "<x>"),
        (f"<filter><key><![CDATA[{KEY}]]></key></filter>", KEY, "<filter>"),
        ("<session><terminate><session-id>s-1</session-id></terminate></session>", "s-1", "<"),
        (
            "<server><create_session><result><status>ok</status><id>sess-9</id></result>"
            "</create_session></server>",
            "sess-9",
            "<status>ok</status>",
        ),
        ("<secret_key><get_info><filter/></get_info></secret_key>", "", "<get_info>"),
        ("<x><passwd/><login>kept</login></x>", "", "<login>kept</login>"),
        # malformed, never a crash: an element left open still loses its text
        ("<gen_info><passwd>pw-7", "pw-7", "<gen_info><passwd>"),
    ],
)
def test_xml_secrets_are_redacted_and_the_rest_is_kept(packet: str, secret: str, kept: str) -> None:
    out = redact_xml(packet)
    if secret:
        assert secret not in out
        assert "***" in out
    assert kept in out


@pytest.mark.parametrize(
    ("body", "secret", "kept"),
    [
        ('{"login": "a", "password": "pw-4"}', "pw-4", '"login": "a"'),
        (f'{{"key": "{KEY}"}}', KEY, '"key"'),
        (f'{{"params": ["--delete", "-key", "{KEY}"]}}', KEY, "--delete"),
        ('{"hosting_settings": {"ftp_password": "pw-5"}}', "pw-5", "ftp_password"),
        (f'{{"guid": "{KEY}", "name": "x"}}', "", KEY),  # a guid is no secret
        ('{"password": "pw-6", broken', "pw-6", "broken"),
        ('{"private_key": "pk-2", "csr": "c"}', "pk-2", '"csr": "c"'),
        ('{"mailbox": {"password": 12345678}}', "12345678", "mailbox"),
        ('{"api_key": "ak-2", "key_id": 4}', "ak-2", '"key_id": 4'),
    ],
)
def test_json_secrets_are_redacted_and_the_rest_is_kept(body: str, secret: str, kept: str) -> None:
    out = redact_json(body)
    if secret:
        assert secret not in out
    assert kept in out


def test_a_session_answer_loses_its_id_and_other_answers_keep_theirs() -> None:
    assert "tok-1" not in redact_json('{"id": "tok-1"}', "/api/v2/server/session")
    assert '"id": 7' in redact_json('{"id": 7, "login": "x"}', "/api/v2/clients")


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/api/v2/auth/keys/{KEY}", "/api/v2/auth/keys/***"),
        ("/api/v2/auth/keys/12", "/api/v2/auth/keys/12"),
        ("/api/v2/auth/keys", "/api/v2/auth/keys"),
        ("/api/v2/clients/3", "/api/v2/clients/3"),
    ],
)
def test_a_key_value_in_a_rest_path_is_redacted(path: str, shown: str) -> None:
    assert redact_path(path) == shown


def test_many_unclosed_secret_elements_are_redacted_quickly() -> None:
    import time

    started = time.perf_counter()
    out = redact_xml("<passwd>pw-8" * 8000)
    assert "pw-8" not in out and time.perf_counter() - started < 1.0


def test_a_cli_call_answer_loses_the_key_it_printed() -> None:
    out = redact_json(f'{{"code": 0, "stdout": "{KEY}\\n", "stderr": ""}}')
    assert KEY not in out and '"code": 0' in out


# -- a packet in any encoding the XML parser reads (issue 24, item 9) -----------------

PASSWORD = "S3cr3t-Pw-9"
_PACKET = (
    "<packet><customer><add><gen_info><pname>P</pname><login>joe</login>"
    f"<passwd>{PASSWORD}</passwd></gen_info></add></customer></packet>"
)
_MARKS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
_DECLARED_AS = {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32"}


def _encoded(codec: str, mark: bool, declared: bool, leading_space: bool = False) -> bytes:
    head = ""
    if declared:
        head = f'<?xml version="1.0" encoding="{_DECLARED_AS.get(codec, codec.upper())}"?>'
    text = (" " if leading_space and not declared else "") + head + _PACKET
    return (_MARKS[codec] if mark else b"") + text.encode(codec)


_VARIANTS = [
    pytest.param(
        codec,
        mark,
        declared,
        id=f"{codec}-{'bom' if mark else 'nobom'}-{'decl' if declared else 'nodecl'}",
    )
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    for mark in (True, False)
    for declared in (True, False)
] + [
    pytest.param(codec, False, True, id=f"{codec}-declared")
    for codec in ("utf-7", "iso-8859-1", "shift_jis", "cp037")
]


@pytest.mark.parametrize(("codec", "mark", "declared"), _VARIANTS)
def test_a_packet_in_any_encoding_loses_its_password(
    codec: str, mark: bool, declared: bool
) -> None:
    for body in (_encoded(codec, mark, declared), _encoded(codec, mark, declared, True)):
        out = redact("xml", body)
        assert PASSWORD not in out
        assert PASSWORD not in out.replace("\x00", "")
        assert "***" in out
        assert "<login>joe</login>" in out  # read as the parser reads it, not blanked


def test_a_declaration_read_before_is_read_the_same_again() -> None:
    """A declaration the journal has read is known the next time: each body still gets
    its own declaration's encoding, and one Python cannot read is still not kept."""
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><packet><n>Zoë</n></packet>'
    utf8 = latin.replace("ISO-8859-1", "UTF-8")
    unknown = b'<?xml version="1.0" encoding="X-NO-SUCH"?><packet/>'
    for _ in range(3):
        assert redact("xml", latin.encode("iso-8859-1")) == latin
        assert redact("xml", utf8.encode()) == utf8
        assert "not kept" in redact("xml", unknown)
        assert (
            redact("xml", b"<packet><n>Zo\xc3\xab</n></packet>")
            == "<packet><n>Zo\u00eb</n></packet>"
        )


def test_a_packet_in_an_encoding_python_cannot_read_is_not_kept() -> None:
    body = b'<?xml version="1.0" encoding="X-NO-SUCH"?>' + _PACKET.encode()
    out = redact("xml", body)
    assert PASSWORD not in out and "not kept" in out


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]
)
def test_a_json_body_in_any_encoding_json_reads_loses_its_password(codec: str) -> None:
    body = json.dumps({"login": "joe", "password": PASSWORD}).encode(codec)
    assert json.loads(body)["password"] == PASSWORD  # what the REST face reads
    out = redact("rest", body)
    assert PASSWORD not in out and '"login": "joe"' in out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("codec", "mark", "declared"),
    [("utf-16-le", True, True), ("utf-16-be", False, True), ("utf-32-le", False, False),
     ("utf-8", True, False), ("utf-7", False, True)],
)  # fmt: skip
def test_the_journal_row_of_a_packet_in_any_encoding_holds_no_password(
    ctx: Context, tmp_path: Path, codec: str, mark: bool, declared: bool
) -> None:
    """Through the XML face and the journal's middleware into journal.db, and back as
    the console's journal page reads it (`Journal.entries`)."""
    body = _encoded(codec, mark, declared)
    journal = Journal(tmp_path / "journal.db", size=10)
    app = JournalMiddleware(
        XmlApi(ctx), journal, AccessLog(), lambda _scope: "127.0.0.1", AGENT, "/api/v2"
    )

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50123))
        async with httpx.AsyncClient(transport=transport, base_url="http://pk") as client:
            headers = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": ADMIN_PASSWORD}
            return await client.post(AGENT, content=body, headers=headers)

    answer = asyncio.run(go())
    assert b"<customer><add><result>" in answer.content  # the packet was read and ran
    journal.flush()
    (entry,) = journal.entries()
    assert entry.operation == "customer/add"
    for shown in (entry.as_dict(), entry.line()):
        assert PASSWORD not in str(shown)
    assert "<login>joe</login>" in entry.request
    rows = sqlite3.connect(tmp_path / "journal.db").execute("SELECT * FROM journal").fetchall()
    assert PASSWORD not in repr(rows)
    journal.close()


def test_a_big_refused_packet_is_labelled_by_its_first_operations_without_reading_it_all() -> None:
    """A packet the XML face refused whole (past its filter budget, say) is labelled from
    its first 2 KB: the garbage past that part, which would make it `-`, is not read."""
    from panelkey.journal.describe import xml_operations

    items = "".join(f"<id>{n}</id>" for n in range(1, 20_001))
    body = (
        f"<packet><customer><get><filter>{items}<<< not XML &&& </filter>"
        "<dataset><gen_info/></dataset></get></customer></packet>"
    ).encode()
    assert xml_operations(body) == "customer/get"
    assert xml_operations(b"<packet><customer><get/></customer><<<</packet>") == "-"
    assert xml_operations(b"<packet><a><b/></a><c><d/></c></packet>") == "a/b, c/d"
