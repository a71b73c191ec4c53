"""The ASGI side: the middleware that times each XML and REST request and keeps it, with
its bodies, for the journal and the access log; both are written off the request's path.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from time import perf_counter
from time import time as wall_time
from typing import Any

from panelkey import metrics
from panelkey.context import BODY_KEEPER
from panelkey.core.identity import request_note
from panelkey.journal.access import AccessLog, access_log
from panelkey.journal.describe import Raw, entry_of, presented
from panelkey.journal.redact import BODY_LIMIT, redact_path
from panelkey.journal.store import Journal
from panelkey.rest.router import rest_operation

# An exception the app may raise, and what answers it instead (injected.py's faults).
Recover = tuple[type[BaseException], Callable[[Any, Any, Any], Awaitable[None]]]


class JournalMiddleware:
    """Wraps the API app: times each XML and REST request and queues it for the journal
    (its bodies, redacted when written) and for the access log. With `recover`, what
    answers an exception of its kind is sent in this middleware's own coroutine, inside
    the journal's view: no layer more around the app on every request."""

    def __init__(
        self,
        app: Any,
        journal: Journal,
        access: AccessLog,
        address: Any,
        agent_path: str,
        rest_prefix: str,
        recover: Recover | None = None,
    ) -> None:
        self.app = app
        self._caught: type[BaseException] | tuple[type[BaseException], ...] = ()
        self._recover: Callable[[Any, Any, Any], Awaitable[None]] = _never
        if recover is not None:
            self._caught, self._recover = recover
        self.journal = journal
        self.access = access
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
        access = self.access
        logging = access.enabled
        counting = metrics.enabled()
        if (
            not face
            or scope.get("type") != "http"
            or not (logging or counting or self.journal.enabled)
        ):
            try:
                await self.app(scope, receive, send)
            except self._caught as exc:
                await self._recover(exc, receive, send)
            return
        kept = _Kept(send)
        # The faces' one body reader (Context.read_body) hands it each chunk it reads:
        # no wrapper coroutine around every `receive`.
        scope[BODY_KEEPER] = kept
        note: dict[str, str] = {}
        token = request_note.set(note)
        started = perf_counter()
        try:
            try:
                await self.app(scope, receive, kept.send)
            except self._caught as exc:
                await self._recover(exc, receive, kept.send)
        finally:
            # The keeper holds the server's send, whose request cycle holds the scope:
            # left there, a cycle for the garbage collector to find, every request.
            scope.pop(BODY_KEEPER, None)
            request_note.reset(token)
            elapsed = (perf_counter() - started) * 1000
            # Only what the request leaves behind is taken here; `entry_of`, `describe`
            # and the flushes make the entry and the access line of it (the time as
            # text, operations, errcode, redaction) off the request's path, unless the
            # metrics need it now. Nothing here may fail the request.
            try:
                raw: Raw = (
                    wall_time(),
                    face,
                    note.get("source") or self.address(scope),
                    note.get("credential") or presented(scope.get("headers", ())),
                    note.get("operation", ""),
                    # An XML entry's operation is its label (describe.py): nothing here.
                    _operation(scope.get("method", ""), path) if face == "rest" else "",
                    kept.status,
                    note.get("reason", ""),
                    elapsed,
                    b"".join(kept.taken),
                    b"".join(kept.given),
                )
                # A refusal counted into its interval's audit entry
                # (core/access/audit.py) writes no access line either: a flood must not
                # grow the log without bound.
                if logging and "repeat" not in note:
                    access.add(raw)
                if counting:
                    self._count(raw, scope)
                self.journal.add(raw)
            except Exception:  # noqa: BLE001 - the journal must never fail a request
                access_log.exception("journal entry lost")

    def _count(self, raw: Raw, scope: dict[str, Any]) -> None:
        entry = entry_of(raw)
        face, elapsed = raw[1], raw[8]
        metrics.latency(face, elapsed / 1000)
        if face == "rest":
            path = str(scope.get("path", ""))[len(self.rest_prefix) :]
            operator, operation = rest_operation(str(scope.get("method", "")), path)
            metrics.request("rest", f"{operator}/{operation}", str(entry["outcome"]))
        elif b"<system>" in entry["answer"][:200]:
            metrics.request("xml", "packet", "error")  # refused before any operation ran


async def _never(exc: BaseException, _receive: Any, _send: Any) -> None:
    raise exc  # pragma: no cover - `except ()` catches nothing


def _operation(method: str, path: str) -> str:
    """A REST entry's operation, `METHOD path`: made once for the paths that recur,
    never kept for one that may hold a key's value."""
    if "/auth/keys/" in path:
        return f"{method} {redact_path(path)}"
    return _recurring(method, path)


@functools.lru_cache(maxsize=1024)
def _recurring(method: str, path: str) -> str:
    return f"{method} {path}"


class _Kept:
    """One request's send, passed through, and the bodies (each up to about BODY_LIMIT)
    and the status: the request's body as the face reads it (`took`, called by
    `Context.read_body` through the scope's BODY_KEEPER), the answer's as it is sent."""

    __slots__ = ("_send", "given", "status", "taken", "_taken_size", "_given_size")

    def __init__(self, send: Any) -> None:
        self._send = send
        self.taken: list[bytes] = []
        self.given: list[bytes] = []
        self.status = 0
        self._taken_size = 0
        self._given_size = 0

    def took(self, chunk: bytes) -> None:
        if chunk and self._taken_size <= BODY_LIMIT:
            self.taken.append(chunk)
            self._taken_size += len(chunk)

    def send(self, message: Any) -> Awaitable[None]:
        # Not a coroutine: the caller awaits the server's own send, with no coroutine
        # of ours made and stepped through for each message.
        kind = message["type"]
        if kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and self._given_size <= BODY_LIMIT:
                self.given.append(chunk)
                self._given_size += len(chunk)
        elif kind == "http.response.start":
            self.status = int(message["status"])
        return self._send(message)  # type: ignore[no-any-return]
