"""Redaction: every password, private key, secret, token, session id and key value in
a journaled body replaced by `***` before it is kept. Works on malformed bodies too
(it never parses), in whatever encoding the face read them (`decode`): a UTF-16 packet
is redacted as its UTF-8 twin is. Which names are secret is the core's rule
(core/access/secret_names.py).
"""

from __future__ import annotations

import codecs
import functools
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


# Byte-order marks, longest first: UTF-32's LE mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_EBCDIC_START = b"\x4c\x6f\xa7\x94"  # `<?xm` in EBCDIC
_DECLARED = re.compile(r"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")


def _wide(first: bytes) -> str:
    """The wide encoding whose zero bytes the first character (`<` or a space) shows
    without a mark (XML 1.0, appendix F), or ''."""
    if len(first) < 4 or first[0] and first[1]:
        return ""
    if not first[0]:
        return "utf-32-be" if not first[1] and not first[2] and first[3] else "utf-16-be"
    return "utf-32-le" if not first[2] and not first[3] else "utf-16-le"


def _xml_encoding(head: bytes) -> tuple[str, int]:
    """The codec a packet is read with, as an XML parser finds it (a mark, the family of
    the first bytes, then the declaration of that family), and the mark's length."""
    if head[:1] == b"<":
        # No mark, no wide or EBCDIC family starts so (most packets, every answer): UTF-8
        # unless a declaration says otherwise; a declaration seen before is read once.
        if head[:5] != b"<?xml":
            return "utf-8", 0
        end = head.find(b">", 0, 200) + 1
        if end:
            return _declared_encoding(head[:end])
    return _read_encoding(head)


@functools.lru_cache(maxsize=64)
def _declared_encoding(declaration: bytes) -> tuple[str, int]:
    """`_read_encoding` of a head that starts with this declaration (the bytes up to its
    `>`: all that `_DECLARED` and the family read), remembered."""
    return _read_encoding(declaration)


def _read_encoding(head: bytes) -> tuple[str, int]:
    for mark, codec in _BOMS:
        if head.startswith(mark):
            return codec, len(mark)
    wide = _wide(head[:4])
    if wide:
        return wide, 0
    family = "cp037" if head.startswith(_EBCDIC_START) else "utf-8"
    found = _DECLARED.match(head[:200].decode(family, errors="replace"))
    if found is not None:
        try:
            declared = codecs.lookup(found.group(1)).name
        except LookupError:
            return "", 0  # an encoding Python cannot read: the body is not kept
        # A declaration only picks within the family the first bytes show: a UTF-16
        # declared in ASCII bytes is read as those bytes are.
        if "<?xml".encode(declared, errors="replace") == head[:5]:
            return declared, 0
    return family, 0


def decode(face: str, body: bytes) -> str | None:
    """A kept body as text, in the encoding its reader used (the XML parser's rules for
    a packet, JSON's detection for REST), or None when that encoding is unknown here.
    A secret is only found by name in text decoded as the server read it."""
    if face == "xml":
        codec, skip = _xml_encoding(body[:256])
    else:
        codec, skip = json.detect_encoding(body[:4]), 0
        if codec == "utf-8-sig":
            codec, skip = "utf-8", len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0
    if not codec:
        return None
    text = body[skip:].decode(codec, errors="replace")
    # A wide encoding read as a narrow one leaves NULs between letters: gone, so that a
    # secret's name is found even then.
    return text.replace("\x00", "") if "\x00" in text else text


def redact(face: str, body: bytes, path: str = "") -> str:
    decoded = decode(face, body[:BODY_LIMIT])
    if decoded is None:
        return f"[{len(body)} bytes in an encoding the journal cannot read: not kept]"
    text = decoded
    cut = "" if len(body) <= BODY_LIMIT else f"\n[... {len(body) - BODY_LIMIT} more bytes]"
    return (redact_xml(text) if face == "xml" else redact_json(text, path) if text else "") + cut
