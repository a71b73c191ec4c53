from __future__ import annotations

import hashlib

import pytest

from panelkey.core.access.credentials import basic_auth, rest_credentials, xml_credentials
from panelkey.core.access.keys import KEY_RE, digest, new_key_value


def test_key_values_are_128_bit_hex_in_the_8_4_4_4_12_layout() -> None:
    values = {new_key_value() for _ in range(1000)}
    assert len(values) == 1000
    for value in values:
        assert KEY_RE.match(value), value
        assert len(value.replace("-", "")) == 32


def test_digest_is_sha256_of_the_trimmed_lower_case_value() -> None:
    value = new_key_value()
    assert digest(value) == hashlib.sha256(value.encode()).hexdigest()
    assert digest(f"  {value.upper()} ") == digest(value)


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("Basic YWRtaW46c2VjcmV0", ("admin", "secret")),
        ("basic YWRtaW46c2VjOnJldA==", ("admin", "sec:ret")),
        ("Bearer abc", None),
        ("Basic !!!", None),
        ("Basic YWRtaW4=", None),
        ("", None),
        (None, None),
    ],
)
def test_basic_auth_header(header: str | None, parsed: tuple[str, str] | None) -> None:
    assert basic_auth(header) == parsed


def test_xml_credentials_prefer_login_then_key_then_basic() -> None:
    both = {"http_auth_login": "a", "http_auth_passwd": "p", "key": "k"}
    assert xml_credentials(both).login == "a"
    assert xml_credentials({"key": "k", "authorization": "Basic YTpi"}).key == "k"
    assert xml_credentials({"authorization": "Basic YTpi"}).password == "b"
    assert not xml_credentials({"http_auth_login": "a"}).present


def test_rest_credentials_prefer_the_key() -> None:
    creds = rest_credentials({"x-api-key": "k", "authorization": "Basic YTpi"})
    assert creds.key == "k" and creds.login is None
    assert rest_credentials({"authorization": "Basic YTpi"}).login == "a"
    assert not rest_credentials({}).present
