"""The request journal: the last N API requests of this server, secrets redacted.

Each entry: time, face, source address, the credential used (a key id or a login, never
a secret), the operations (XML `operator/operation`s, or REST method and path), the
outcome (HTTP status, Plesk errcode), the refusal reason when verification said no,
the duration, and both bodies with every password and key value replaced by `***`.

Entries live in `journal.db`, a SQLite file of their own in the data folder, so that
`panelkey journal` and the web console can read what every worker of this server
wrote; it is diagnostics, not the store: written without fsync, in batches, off the
event loop, and trimmed to the newest N.
"""

from __future__ import annotations

import functools
import json
import logging
import operator
import re
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from panelkey import metrics
from panelkey.core.identity import operation_label, request_note
from panelkey.core.keypolicy import rest_operation

BODY_LIMIT = 64 * 1024
_SLICE = 16  # entries a flush makes between two offers of the GIL (about 100 µs)
access_log = logging.getLogger("panelkey.access")
REDACTED = "***"

# Names that hold secrets, in XML elements, hosting properties and JSON fields.
_SECRET_WORDS = r"passw(?:or)?d|pass|pvt|private|secret|token|session[-_]?id|apikey"  # noqa: S105 - a pattern
_SECRET_NAME = re.compile(rf"{_SECRET_WORDS}|(?:^|[-_])key$", re.I)
_XML_NOT_SECRET = frozenset({"secret_key"})  # the operator, not a value
_JSON_NOT_SECRET = frozenset({"key_id", "secret_key_id"})
# The start tag of an element whose name is secret (checked again by secret_name); the
# scan is one C-speed search per such element, since every answer passes through here.
_XML_OPEN = re.compile(
    rf"<((?:[\w.-]+:)?(?:[\w.-]*(?:{_SECRET_WORDS})[\w.-]*|(?:[\w.-]*[-_])?key))"
    r"(?:\s[^<>]*?)?(/?)>",
    re.I,
)
# <property><name>ftp_password</name><value>...</value></property> and the like.
_XML_PROPERTY = re.compile(
    rf"(<name>\s*([^<]*(?:{_SECRET_WORDS}|key)[^<]*)</name>\s*<value(?:\s[^>]*)?>)(.*?)(</value\s*>)",
    re.DOTALL | re.I,
)
# server/create_session answers the session's id in a plain <id>.
_XML_SESSION = re.compile(
    r"(<create_session>\s*<result>(?:(?!</result>).)*?<id>)(.*?)(</id\s*>)", re.DOTALL
)
_KEY_VALUE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_DIGITS = re.compile(r"^\s*\d*\s*$")
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


def secret_name(name: str) -> bool:
    """Whether a field or element of this name holds a secret: passwords (`passwd`,
    `password`, `ftp_password`, `HTTP_AUTH_PASSWD`), private keys (`pvt`, `private_key`),
    secrets, tokens, session ids, and key values (`key`, `api_key`, `apikey`). By name,
    so that operators added later are covered without a list to keep up."""
    return _SECRET_NAME.search(name) is not None


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


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    face: str
    source: str
    credential: str
    operation: str
    status: int
    errcode: str
    outcome: str
    reason: str
    duration_ms: float
    request: str
    answer: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The access-log form: one line, no bodies."""
        return access_line(self.as_dict())


def access_line(e: dict[str, Any]) -> str:
    code = f" errcode={e['errcode']}" if e["errcode"] else ""
    why = f" reason={e['reason']!r}" if e["reason"] else ""
    return (
        f"{e['source'] or '-'} {e['face']} {e['credential'] or '-'} {e['operation'] or '-'}"
        f" -> {e['status']} {e['outcome']}{code}{why} {e['duration_ms']:.1f}ms"
    )


_COLUMNS = (
    "at, face, source, credential, operation, status, errcode, outcome, reason, "
    "duration_ms, request, answer"
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {
    ", ".join(
        f"{c} {'REAL' if c == 'duration_ms' else 'INTEGER' if c == 'status' else 'TEXT'}"
        for c in _COLUMNS.split(", ")
    )
}
)
"""


class Journal:
    """The journal file of one data folder. `add` queues (any thread), `flush` writes."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        # Only the newest `size` can be kept: older ones are dropped as they wait.
        self._pending: deque[dict[str, Any] | Raw] = deque(maxlen=max(size, 1))
        self._queued = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self.path.chmod(0o600)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(_SCHEMA)
            conn.commit()
            self._conn = conn
        return self._conn

    def add(self, entry: dict[str, Any] | Raw) -> None:
        """Queue an entry, or what the middleware kept of a request (`Raw`), whose bodies
        are still raw bytes: `flush` makes the entry and redacts it, off the request's
        path, before anything is written."""
        if not self.enabled:
            return
        with self._lock:
            self._pending.append(entry)
            self._queued += 1

    def flush(self) -> int:
        """Redact and write what is queued, and trim the file to the newest `size`.
        Returns how many entries were queued (more than `size` are never all written)."""
        with self._lock:
            waiting, count = list(self._pending), self._queued
            self._pending.clear()
            self._queued = 0
        if not waiting:
            return 0
        # Past `size`, the oldest would have been trimmed in the same transaction that
        # wrote them, unseen by any reader: they are neither redacted nor written.
        row_of = operator.itemgetter(*_COLUMNS.split(", "))
        rows = []
        for n, item in enumerate(waiting, 1):
            if n % _SLICE == 0:
                # The GIL to whoever waits for it (the event loop): a request that comes
                # during a flush waits for a few entries' work, not for the whole batch.
                time.sleep(0)
            entry = entry_of(item) if isinstance(item, tuple) else item
            describe(entry)
            path = str(entry["operation"]).partition(" ")[2]
            entry["request"] = redact(entry["face"], entry["request"], path)
            entry["answer"] = redact(entry["face"], entry["answer"], path)
            rows.append(row_of(entry))
        conn = self._connect()
        marks = ", ".join("?" * len(rows[0]))
        with conn:
            conn.executemany(f"INSERT INTO journal ({_COLUMNS}) VALUES ({marks})", rows)  # noqa: S608 - fixed column names
            conn.execute(
                "DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - ?", (self.size,)
            )
        return count

    def entries(
        self,
        *,
        limit: int = 100,
        after_id: int = 0,
        face: str = "",
        text: str = "",
        outcome: str = "",
    ) -> list[Entry]:
        """Newest last; narrowed by face, outcome and a text found in operation, source,
        credential or errcode."""
        if not self.path.exists():
            return []
        where: list[str] = ["id > ?"]
        args: list[Any] = [after_id]
        if face:
            where.append("face = ?")
            args.append(face)
        if outcome:
            where.append("outcome = ?")
            args.append(outcome)
        if text:
            where.append(
                "(operation LIKE ? OR source LIKE ? OR credential LIKE ? OR errcode LIKE ?)"
            )
            args.extend([f"%{text}%"] * 4)
        query = (
            f"SELECT id, {_COLUMNS} FROM journal WHERE {' AND '.join(where)} "  # noqa: S608 - built from fixed parts
            "ORDER BY id DESC LIMIT ?"
        )
        rows = self._connect().execute(query, (*args, limit)).fetchall()
        return [Entry(*row) for row in reversed(rows)]

    def get(self, entry_id: int) -> Entry | None:
        if not self.path.exists():
            return None
        row = (
            self._connect()
            .execute(f"SELECT id, {_COLUMNS} FROM journal WHERE id = ?", (entry_id,))  # noqa: S608 - fixed column names
            .fetchone()
        )
        return None if row is None else Entry(*row)

    def follow(self, poll: float = 0.5) -> Iterator[Entry]:
        """New entries as they come, forever (the caller stops it)."""
        last = max((e.id for e in self.entries(limit=1)), default=0)
        while True:
            for entry in self.entries(after_id=last, limit=1000):
                last = entry.id
                yield entry
            time.sleep(poll)

    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# ------------------------------------------------------------------ the ASGI side

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
    found = _ERRCODE.search(answer)
    entry["errcode"] = found.group(1).decode() if found else ""
    entry["outcome"] = "error" if entry["errcode"] or entry["status"] >= 400 else "ok"


def xml_operations(body: bytes) -> str:
    """`operator/operation, ...` of a packet, for display; `-` when it does not parse."""
    from lxml import etree

    try:
        root = etree.fromstring(
            body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )  # noqa: S320 - entities, DTDs and network are off
    except (etree.LxmlError, ValueError):
        return "-"
    return operation_label(
        f"{operator.tag}/{operation.tag}"
        for operator in root
        for operation in operator
        if isinstance(operator.tag, str) and isinstance(operation.tag, str)
    )


def _presented(raw: Iterable[tuple[bytes, bytes]]) -> str:
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
        "outcome": "error" if status >= 400 else "ok",
        "reason": reason,
        "duration_ms": round(elapsed, 2),
        "request": asked,
        "answer": got,
    }


class JournalMiddleware:
    """Wraps the API app: times each XML and REST request, keeps its bodies (redacted)
    in the journal and writes the access-log line."""

    def __init__(
        self, app: Any, journal: Journal, address: Any, agent_path: str, rest_prefix: str
    ) -> None:
        self.app = app
        self.journal = journal
        self.address = address  # scope -> client address, as the faces see it
        self.agent_path = agent_path
        self.rest_prefix = rest_prefix

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        face = (
            "xml"
            if path == self.agent_path
            else "rest"
            if path.startswith(self.rest_prefix)
            else ""
        )
        if (
            scope.get("type") != "http"
            or not face
            or not (self.journal.enabled or self.logging or metrics.enabled())
        ):
            await self.app(scope, receive, send)
            return
        kept = _Kept(receive, send)
        note: dict[str, str] = {}
        token = request_note.set(note)
        started = time.perf_counter()
        try:
            await self.app(scope, kept.receive, kept.send)
        finally:
            request_note.reset(token)
            elapsed = (time.perf_counter() - started) * 1000
            try:
                self._record(scope, face, note, kept, elapsed)
            except Exception:  # noqa: BLE001 - the journal must never fail a request
                access_log.exception("journal entry lost")

    def _record(
        self, scope: dict[str, Any], face: str, note: dict[str, str], kept: _Kept, elapsed: float
    ) -> None:
        # Only what the request leaves behind is taken here; `entry_of`, `describe` and
        # `flush` make the entry of it (the time as text, operations, errcode, redaction)
        # off the request's path, unless the access log or the metrics need it now.
        raw: Raw = (
            time.time(),
            face,
            note.get("source") or self.address(scope),
            note.get("credential") or _presented(scope.get("headers", ())),
            note.get("operation", ""),
            f"{scope.get('method', '')} {redact_path(str(scope.get('path', '')))}",
            kept.status,
            note.get("reason", ""),
            elapsed,
            b"".join(kept.taken),
            b"".join(kept.given),
        )
        if self.logging or metrics.enabled():
            self._speak(raw, scope, note)
        self.journal.add(raw)

    def _speak(self, raw: Raw, scope: dict[str, Any], note: dict[str, str]) -> None:
        entry = entry_of(raw)
        face, elapsed = raw[1], raw[8]
        # A refusal counted into its interval's audit entry (core/audit.py) writes no
        # access line either: a flood must not grow the log without bound.
        if self.logging and not note.get("repeat"):
            describe(entry)
            access_log.info("%s", access_line(entry))
        if metrics.enabled():
            metrics.latency(face, elapsed / 1000)
            if face == "rest":
                path = str(scope.get("path", ""))[len(self.rest_prefix) :]
                operator, operation = rest_operation(str(scope.get("method", "")), path)
                metrics.request("rest", f"{operator}/{operation}", str(entry["outcome"]))
            elif b"<system>" in entry["answer"][:200]:
                metrics.request("xml", "packet", "error")  # refused before any operation ran

    @property
    def logging(self) -> bool:
        return access_log.isEnabledFor(logging.INFO)


class _Kept:
    """One request's receive and send, passed through, keeping the bodies (each up to
    about BODY_LIMIT) and the status."""

    __slots__ = ("_receive", "_send", "given", "status", "taken", "_sizes")

    def __init__(self, receive: Any, send: Any) -> None:
        self._receive = receive
        self._send = send
        self.taken: list[bytes] = []
        self.given: list[bytes] = []
        self.status = 0
        self._sizes = [0, 0]

    async def receive(self) -> Any:
        message = await self._receive()
        chunk = message.get("body", b"")
        if chunk and self._sizes[0] <= BODY_LIMIT:
            self.taken.append(chunk)
            self._sizes[0] += len(chunk)
        return message

    async def send(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and self._sizes[1] <= BODY_LIMIT:
                self.given.append(chunk)
                self._sizes[1] += len(chunk)
        elif kind == "http.response.start":
            self.status = int(message["status"])
        await self._send(message)
