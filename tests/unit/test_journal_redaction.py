"""The journal's redaction: no password or key value survives, everything else does."""

from __future__ import annotations

import pytest

from panelkey.journal import redact_json, redact_xml

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
        ("<passwd>unterminated", "", "unterminated"),  # malformed: left, and never a crash
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
    ],
)
def test_json_secrets_are_redacted_and_the_rest_is_kept(body: str, secret: str, kept: str) -> None:
    out = redact_json(body)
    if secret:
        assert secret not in out
    assert kept in out


def test_a_cli_call_answer_loses_the_key_it_printed() -> None:
    out = redact_json(f'{{"code": 0, "stdout": "{KEY}\\n", "stderr": ""}}')
    assert KEY not in out and '"code": 0' in out
