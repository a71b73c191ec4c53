"""Redaction: every password, private key, secret, token, session id and key value in
a journaled body replaced by `***` before it is kept. Works on malformed bodies too
(it never parses). Which names are secret is the core's rule (core/access/secret_names.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

from panelkey.core.access.secret_names import SECRET_WORDS, secret_name

BODY_LIMIT = 64 * 1024
REDACTED = "***"

_XML_NOT_SECRET = frozenset({"secret_key"})  # the operator, not a value
_JSON_NOT_SECRET = frozenset({"key_id", "secret_key_id"})
# The start tag of an element whose name is secret (checked again by secret_name); the
# scan is one C-speed search per such element, since every answer passes through here.
_XML_OPEN = re.compile(
    rf"<((?:[\w.-]+:)?(?:[\w.-]*(?:{SECRET_WORDS})[\w.-]*|(?:[\w.-]*[-_])?key))"
    r"(?:\s[^<>]*?)?(/?)>",
    re.I,
)
# <property><name>ftp_password</name><value>...</value></property> and the like.
_XML_PROPERTY = re.compile(
    rf"(<name>\s*([^<]*(?:{SECRET_WORDS}|key)[^<]*)</name>\s*<value(?:\s[^>]*)?>)(.*?)(</value\s*>)",
    re.DOTALL | re.I,
)
# server/create_session answers the session's id in a plain <id>, session/get each
# session's whole id in <session><id>.
_XML_SESSION = re.compile(
    r"(<create_session>\s*<result>(?:(?!</result>).)*?<id>|<session>\s*<id>)(.*?)(</id\s*>)",
    re.DOTALL,
)
_KEY_VALUE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_DIGITS = re.compile(r"^\s*(?:\d+\s*)?$")  # one way to match: linear on long spaces
# Every rewrite of redact_xml needs one of _XML_WORDS somewhere in the text (a secret
# word or `key` in an element's or a property's name, a session's answer): without, it
# is a no-op. A JSON body can hold a secret only with one of _JSON_WORDS: a secret-named
# field, or a CLI call's arguments and output (`secret_key -c` prints a key's value);
# guids are no secret. Looked for as plain words in the lower-cased text, since a
# case-blind regex of alternatives costs ~80 µs per KB, more than a whole request.
# (`apikey` is found by `key`.)
_XML_WORDS = ("pass", "pvt", "private", "secret", "token", "session", "key")
_JSON_WORDS = (*_XML_WORDS[:-1], 'key"', "params", "stdout", "stderr")


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    for word in words:  # noqa: SIM110 - a plain loop: a generator costs more than the searches
        if word in low:
            return True
    return False


_JSON_TEXT_FIELD = re.compile(r'("([^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"')


def _redact_elements(text: str) -> str:
    """Every secret-named element's content replaced, scanning once: CDATA, entities
    and children go with it; a `key` of digits is an id and stays; an element left
    open loses its text up to the next tag."""
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # names with no end tag left: never searched for again
    while True:
        m = _XML_OPEN.search(text, pos)
        if m is None:
            break
        tag = m.group(1)
        local = tag.rpartition(":")[2]
        end = m.end()
        if m.group(2) or local.lower() in _XML_NOT_SECRET or not secret_name(local):
            out.append(text[pos:end])
            pos = end
            continue
        close = -1 if tag in unclosed else text.find(f"</{tag}", end)
        if close < 0:
            unclosed.add(tag)
            close = text.find("<", end)
            close = len(text) if close < 0 else close
        content = text[end:close]
        keep = local.lower() == "key" and _DIGITS.match(content)
        out.append(text[pos:end] + (content if keep else REDACTED))
        pos = close
    out.append(text[pos:])
    return "".join(out)


def redact_xml(text: str) -> str:
    """A packet with the text of every secret element, secret property, session id and
    key value replaced; works on malformed packets too (it never parses)."""
    if not _holds_any(text, _XML_WORDS):
        return text  # no name that could hold a secret: most packets
    text = _redact_elements(text)
    text = _XML_PROPERTY.sub(lambda m: m.group(1) + REDACTED + m.group(4), text)
    return _XML_SESSION.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)


def redact_json(text: str, path: str = "") -> str:
    """A JSON body with secret-named fields and key-shaped strings in lists replaced;
    `path` (under /api/v2) tells a session's answer, whose `id` is its secret."""
    session = path.rstrip("/").endswith("/server/session")
    if not session and not _holds_any(text, _JSON_WORDS):
        return text  # nothing that could hold a secret: most answers, at no cost
    try:
        data = json.loads(text)
    except ValueError:
        return _JSON_TEXT_FIELD.sub(
            lambda m: (
                m.group(1) + f'"{REDACTED}"' if _json_secret(m.group(2), session) else m.group(0)
            ),
            text,
        )
    return json.dumps(_redact_value(data, None, session), ensure_ascii=False)


def _json_secret(name: str, session: bool) -> bool:
    if session and name == "id":
        return True
    return name.lower() not in _JSON_NOT_SECRET and secret_name(name)


def _redact_value(value: Any, name: str | None, session: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _redact_value(v, str(k), session) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, name, session) for v in value]
    if (
        isinstance(value, str | int | float)
        and not isinstance(value, bool)
        and name is not None
        and _json_secret(name, session)
    ):
        return REDACTED
    if isinstance(value, str) and name in (None, "params", "stdout", "stderr"):
        return _KEY_VALUE.sub(REDACTED, value)
    return value


def redact_path(path: str) -> str:
    """A REST path without the key value `DELETE /auth/keys/{key}` may carry."""
    head, found, rest = path.partition("/auth/keys/")
    if not found or rest.strip("/").isdigit() or not rest:
        return path
    return head + found + REDACTED


def redact(face: str, body: bytes, path: str = "") -> str:
    text = body[:BODY_LIMIT].decode("utf-8", errors="replace")
    cut = "" if len(body) <= BODY_LIMIT else f"\n[... {len(body) - BODY_LIMIT} more bytes]"
    return (redact_xml(text) if face == "xml" else redact_json(text, path) if text else "") + cut
