"""What an entry says: made from what the middleware kept of a request, finished (time
as text, XML operations, errcode, outcome) only when it is written or read.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable
from typing import Any

from panelkey.core.identity import operation_label

# Bytes of a packet read for its operations (see xml_operations); the XML face notes the
# label of a packet it refused by the same bytes, so that none is read again here.
LABEL_BYTES = 2 * 1024
_ERRCODE = re.compile(rb"<errcode>\s*(\d+)\s*</errcode>")


@functools.lru_cache(maxsize=4)
def _utc(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)) + "Z"


def describe(entry: dict[str, Any]) -> None:
    """Finish an entry from what the request left (once): its time as text, and for XML
    its operations (noted by the XML face, else read from the body), errcode and
    outcome."""
    if entry.get("described"):
        return
    entry["described"] = True
    at = entry["at"]
    if isinstance(at, float):
        entry["at"] = _utc(int(at))
    if entry["face"] != "xml":
        return
    request, answer = entry["request"], entry["answer"]
    noted = entry.pop("noted_operation", "")
    entry["operation"] = noted or (xml_operations(request) if request else "-")
    entry["errcode"] = errcode_of(answer)
    entry["outcome"] = outcome_of(entry["status"], entry["errcode"])


def errcode_of(answer: bytes) -> str:
    """The first Plesk errcode an XML answer holds, or ''."""
    # Most answers hold none: a plain search (memchr in C) says so in a tenth of the
    # regex's scan of the whole answer, and tells the regex where to start.
    at = answer.find(b"<errcode>")
    if at < 0:
        return ""
    found = _ERRCODE.search(answer, at)
    return found.group(1).decode() if found else ""


def outcome_of(status: int, errcode: str = "") -> str:
    """An entry's outcome: an error when the answer's status or a Plesk errcode says so."""
    return "error" if errcode or status >= 400 else "ok"


def xml_operations(body: bytes) -> str:
    """`operator/operation, ...` of a packet, for display; `-` when it does not parse.
    Of a body past LABEL_BYTES, those of `<packet>` in its first LABEL_BYTES: reading all
    of a 270 KB refusal cost eight milliseconds, forty times its answer; its first 16 KB,
    read for the access log and again for the journal, were still a tenth of a flood of
    such refusals (bench/findings/abuse.md). Only what the XML face did not note is read
    here: a packet refused whole before the face had it parsed (malformed, say)."""
    from lxml import etree

    options: dict[str, Any] = {"resolve_entities": False, "no_network": True, "load_dtd": False}
    try:
        if len(body) <= LABEL_BYTES:
            root = etree.fromstring(body, etree.XMLParser(**options))  # noqa: S320 - entities, DTDs and network are off
        else:
            # Only the root's start is an event: one for every element costs more.
            parser = etree.XMLPullParser(events=("start",), tag="packet", **options)
            parser.feed(body[:LABEL_BYTES])
            started = next(parser.read_events(), None)
            if started is None:
                return "-"
            root = started[1]
    except (etree.LxmlError, ValueError):
        return "-"
    return packet_label(root)


def packet_label(root: Any) -> str:
    """`operator/operation, ...` of a parsed packet (lxml's `<packet>` element, whole or as
    far as it was read): the journal's label, made by the XML face too."""
    return operation_label(
        f"{operator.tag}/{operation.tag}"
        for operator in root
        if isinstance(operator.tag, str)
        for operation in operator
        if isinstance(operation.tag, str)
    )


def presented(raw: Iterable[tuple[bytes, bytes]]) -> str:
    """What the request offered, when verification left no note: a login is no secret,
    a key's value is, so a key shows only as `key`."""
    headers: dict[bytes, bytes] = {bytes(k).lower(): bytes(v) for k, v in raw}
    login = headers.get(b"http_auth_login")
    if login is not None:
        return "login " + login.decode("latin-1")[:60]
    if b"key" in headers or b"x-api-key" in headers:
        return "key"
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth[:6].lower() == "basic ":
        import base64
        import binascii

        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return "basic (malformed)"
        return "login " + decoded.partition(":")[0][:60]
    return ""


# What the middleware keeps of a request until `flush`: a flat tuple of strings, bytes
# and numbers, which the garbage collector stops tracking at once however many wait.
Raw = tuple[float, str, str, str, str, str, int, str, float, bytes, bytes]


def entry_of(raw: Raw) -> dict[str, Any]:
    """The journal entry of a request the middleware kept, as `describe` finishes it."""
    at, face, source, credential, noted, operation, status, reason, elapsed, asked, got = raw
    return {
        "at": at,
        "face": face,
        "source": source,
        "credential": credential,
        "noted_operation": noted,
        "operation": operation,
        "status": status,
        "errcode": "",
        "outcome": outcome_of(status),
        "reason": reason,
        "duration_ms": round(elapsed, 2),
        "request": asked,
        "answer": got,
    }
