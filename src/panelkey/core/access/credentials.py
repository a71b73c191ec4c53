"""Reading credentials from request headers: one parser for the XML and REST faces."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import NamedTuple


class Credentials(NamedTuple):
    """At most one method wins: a login and password, or a key. (A tuple: made for every
    request, it costs a third of a frozen dataclass.)"""

    login: str | None = None
    password: str | None = None
    key: str | None = None

    @property
    def present(self) -> bool:
        return self.key is not None or self.login is not None


# Made for every request: tuple.__new__ in C, without the named tuple's __new__ in Python
# (half the cost of making one, with keywords more).
_tuple_new = tuple.__new__


def _made(login: str | None, password: str | None, key: str | None) -> Credentials:
    return _tuple_new(Credentials, (login, password, key))


_NONE = Credentials()


def basic_auth(header: str | None) -> tuple[str, str] | None:
    """`Basic base64(login:password)` -> (login, password); None when absent or malformed."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    login, sep, password = decoded.partition(":")
    if not sep:
        return None
    return login, password


def xml_credentials(headers: Mapping[str, str]) -> Credentials:
    """XML API order: HTTP_AUTH_LOGIN + HTTP_AUTH_PASSWD, then KEY, then Basic.

    `headers` maps lower-case names to values (as Starlette's Headers does).
    """
    login = headers.get("http_auth_login")
    password = headers.get("http_auth_passwd")
    if login is not None and password is not None:
        return _made(login, password, None)
    return _key_or_basic(headers, "key")


def rest_credentials(headers: Mapping[str, str]) -> Credentials:
    """REST order: X-API-Key, then Basic."""
    return _key_or_basic(headers, "x-api-key")


def _key_or_basic(headers: Mapping[str, str], key_header: str) -> Credentials:
    """The key in `key_header`, else Basic credentials, else none."""
    key = headers.get(key_header)
    if key is not None:
        return _made(None, None, key)
    basic = basic_auth(headers.get("authorization"))
    if basic is not None:
        return _made(basic[0], basic[1], None)
    return _NONE
