"""The journal's redaction: no password or key value survives, everything else does."""

from __future__ import annotations

import pytest

from panelkey.journal import redact_json, redact_path, redact_xml

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
