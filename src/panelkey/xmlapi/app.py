"""The XML API's transport: ``POST /enterprise/control/agent.php`` as raw ASGI.

Checks run in the order of spec/xml-api.md; the first that fails answers with a
packet-level ``<system>`` error and nothing in the packet runs:

1. API enabled and the source address allowed (panel.ini ``[api]``) -> 1006
2. credentials present (1029) and valid (1001 login/password, 11003 key)
3. well-formed XML with root ``packet`` -> 1014
4. ``version`` supported -> 1005
   and the packet within its budgets (budgets.py) -> 1024, or 1019 for a field's length
5. the whole packet fits the shape of its version (agent.xsd less the operators that
   version did not have, validation.py), and every operation has a handler -> 1014
6. operations run in document order (dispatch.py); the answer's root carries the
   server's version, whatever the request's (spec/xml-api.md)

A body over the size limit is HTTP 413 before any of these; any method but POST is
HTTP 405. Every protocol answer, errors included, is HTTP 200 ``text/xml``: a store that
fails while the caller is checked answers a packet-level 1023 (store/outage.py, logged
once an outage), and any other failure there a 1023 "Internal error" with its traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from functools import partial
from typing import Any

from lxml import etree

from panelkey import pressure
from panelkey.context import BodyTooLarge, Context, Scope
from panelkey.core.access.credentials import Credentials, xml_credentials
from panelkey.core.errors import (
    AuthenticationFailed,
    AuthenticationMissing,
    KeyValidationFailed,
    PanelkeyError,
    PermissionDenied,
)
from panelkey.core.identity import Identity, Verified, note, request_note
from panelkey.journal.describe import LABEL_BYTES, packet_label
from panelkey.store.outage import is_store_failure, outage_of
from panelkey.xmlapi import budgets, dispatch, parsing, render, validation, versions
from panelkey.xmlapi.checked import Checked
from panelkey.xmlapi.request import FACE, Request, request_of

log = logging.getLogger("panelkey.xmlapi")

# The request headers the XML face reads, as ASGI gives them: lower-case bytes.
_WANTED = frozenset(
    {b"key", b"http_auth_login", b"http_auth_passwd", b"authorization", b"http_pretty_print"}
)
_XML_HEADERS = [(b"content-type", b"text/xml")]
# A packet of at most this many reads runs on the event loop: a thread hop costs more
# than the indexed reads themselves (docs/performance.md); bigger ones go to a thread.
_INLINE_READS = 8
# A body past this many bytes is parsed, checked and run in a thread: libxml2 and the
# schema take about a millisecond per 10 KB, too long to hold every other request.
_INLINE_BODY = 16 * 1024


def _note_label(packet: etree._Element | None) -> None:
    note("operation", "-" if packet is None else packet_label(packet))


_HEAD: parsing.Head = (LABEL_BYTES, _note_label)  # what a big packet's parse labels


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name in _WANTED:
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


async def _send(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})


class XmlApi:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.budget = budgets.Budget.of(ctx.settings)
        self.checked = Checked()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("method") != "POST":
            body = b"Method Not Allowed. Use POST.\n"
            await _send(send, 405, body, [(b"allow", b"POST"), (b"content-type", b"text/plain")])
            return
        try:
            body = await self.ctx.read_body(scope, receive)
        except BodyTooLarge:
            text = b"Request body too large\n"
            await _send(
                send, 413, text, [(b"content-type", b"text/plain"), (b"connection", b"close")]
            )
            return
        headers = _headers(scope)
        asked = headers.get("http_pretty_print")
        pretty = asked is not None and asked.strip().lower() == "true"
        try:
            answer = self._answer(scope, headers, body, pretty)
            if not isinstance(answer, bytes):
                answer = await answer
        except Exception as exc:  # noqa: BLE001 - every answer is a packet, even then
            answer = render.serialize(render.system_error(self._failure(exc)), pretty)
        # The two messages sent here, without a coroutine of `_send`'s on this path.
        headers_out = [*_XML_HEADERS, (b"content-length", b"%d" % len(answer))]
        await send({"type": "http.response.start", "status": 200, "headers": headers_out})
        await send({"type": "http.response.body", "body": answer})

    def _answer(
        self, scope: Scope, headers: dict[str, str], body: bytes, pretty: bool
    ) -> bytes | Awaitable[bytes]:
        """The answer, or what will give it. Not a coroutine: a caller whose key the cache
        verifies, with a packet answered on the loop, is answered at once; what must
        wait (a store's check of the caller, a write, a refusal's pace) is a coroutine."""
        live = self.ctx.live()
        address = Context.client_address(scope, live)
        note("source", address)
        try:
            if not live.api_enabled:
                raise PermissionDenied("Access to the API is disabled.")
            if not live.allowed_ips.allows(address):
                raise PermissionDenied("Access to the API is not allowed from this address.")
            creds = xml_credentials(headers)
            cached = (
                None
                if creds.key is None
                else self.ctx.panel.auth.check_key_cached(creds.key, address)
            )
            if not isinstance(cached, Verified):
                return self._answer_checked(scope, creds, address, body, pretty)
            identity = cached.identity
            if identity.rate is not None:
                self.ctx.panel.auth.admit(identity)
        except PanelkeyError as exc:
            return render.serialize(render.system_error(exc), pretty)
        return self._answer_for(scope, identity, address, body, pretty)

    async def _answer_checked(
        self, scope: Scope, creds: Credentials, address: str, body: bytes, pretty: bool
    ) -> bytes:
        """`_answer` for a caller the cache did not verify: the store or a password's hash
        says who it is."""
        try:
            identity = await self._authenticate(creds, address)
            if identity.rate is not None:
                self.ctx.panel.auth.admit(identity)
        except PanelkeyError as exc:
            return render.serialize(render.system_error(exc), pretty)
        answer = self._answer_for(scope, identity, address, body, pretty)
        return answer if isinstance(answer, bytes) else await answer

    def _answer_for(
        self, scope: Scope, identity: Identity, address: str, body: bytes, pretty: bool
    ) -> bytes | Awaitable[bytes]:
        """The packet's answer for the authenticated `identity`, or what will give it."""
        pressure.authenticated(scope)
        req = request_of(self.ctx, identity, address)
        try:
            if len(body) > _INLINE_BODY:
                # Parsing, checking and running a big packet never holds the event loop.
                return self._refused_whole(
                    asyncio.to_thread(self._run, body, req, pretty), identity, pretty
                )
            answer = self._run_small(body, req, pretty)
        except PanelkeyError as exc:  # the whole packet refused: malformed, past a budget
            return self._refusal(exc, identity, pretty)
        if isinstance(answer, bytes):
            return answer
        return self._refused_whole(answer, identity, pretty)

    async def _refused_whole(
        self, answer: Awaitable[bytes], identity: Identity, pretty: bool
    ) -> bytes:
        """`answer` awaited, or the refusal of the whole packet it raised."""
        try:
            return await answer
        except PanelkeyError as exc:
            return await self._refusal(exc, identity, pretty)

    async def _refusal(self, exc: PanelkeyError, identity: Identity, pretty: bool) -> bytes:
        """The packet refused whole (malformed, past a budget): answered at the caller's
        pace of refusals."""
        caller = f"key {identity.key_id}" if identity.key_id else f"login {identity.login}"
        auth = self.ctx.panel.auth
        await pressure.pressure_of(auth).pace.refusal(caller, auth.lockout_delay)
        return render.serialize(render.system_error(exc), pretty)

    def _failure(self, exc: Exception) -> Exception:
        """What to answer for a failure outside any operation (the caller's check, say):
        the store's is counted into its outage (one log line for all), anything else is
        a bug, logged with its traceback and answered 1023 "Internal error"."""
        if is_store_failure(exc):
            note("reason", "store unavailable")
            return outage_of(self.ctx.panel.db).failed(exc)
        log.exception("xml request failed")
        return exc

    def _run_small(self, body: bytes, req: Request, pretty: bool) -> bytes | Awaitable[bytes]:
        """The packet's answer, or what will give it (a write, a packet run in a thread);
        a PanelkeyError when it is refused whole. Not a coroutine: most packets are
        answered here at once, without one more coroutine made and awaited."""
        steps, store = self._prepare(body)
        limit = self.budget.answer
        count = dispatch.count(steps)
        inline = not self.ctx.panel.faults.armed  # an injected delay must not hold the loop
        reads = not store or dispatch.only_reads(steps, count)
        if inline and count <= _INLINE_READS and reads:
            return render.finish(dispatch.run(steps, req, limit, count), pretty)
        if inline and not reads:
            # A write waits for its commit: on the store's write lane (store/lane.py),
            # a cheaper hop than the default executor's.
            write = partial(self._serialized, steps, req, limit, pretty)
            return self.ctx.panel.db.writes.run(write)
        # Many operations (even store-less ones such as get_protos): a thread.
        return asyncio.to_thread(self._serialized, steps, req, limit, pretty)

    @staticmethod
    def _serialized(steps: dispatch.Plan, req: Request, limit: int, pretty: bool) -> bytes:
        return render.finish(dispatch.run(steps, req, limit), pretty)

    def _run(self, body: bytes, req: Request, pretty: bool) -> bytes:
        """The packet's answer; a PanelkeyError when it is refused whole."""
        steps, _ = self._prepare(body)
        return self._serialized(steps, req, self.budget.answer, pretty)

    def _prepare(self, body: bytes) -> tuple[dispatch.Plan, bool]:
        """Steps 3 to 5 of the module's list, with the packet's budgets checked before
        the schema (cheap first): the plan and whether it needs the store; or a
        PanelkeyError for the whole packet.

        The journal's label (operations seen) is noted whenever it is known as the
        journal would read it, refusals included, so that it need not parse the body
        again (journal/describe.py): an accepted packet's from its plan, a small refused
        one's from its tree, a big one's from its first LABEL_BYTES when read a slice at
        a time (the filter budget's refusals)."""
        noted = request_note.get()
        labelled = noted is not None
        # A filter's items are counted while the packet is parsed: one naming more than
        # the budget allows is refused as soon as that many are read (budgets.py).
        packet = parsing.parse_packet(body, self.budget.operations, _HEAD if labelled else None)
        try:
            # The same bytes pass the same checks again (checked.py).
            key = self.checked.digest(body)
            if self.checked.passed(key):
                steps, store, passwords, unsupported = dispatch.plan(packet)
            else:
                version = versions.check_version(packet)
                # The budgets checked on the plan's walk (dispatch.plan).
                steps, store, passwords, unsupported = dispatch.plan(packet, self.budget)
                validation.validate(packet, version)
            if unsupported is not None:
                raise unsupported
        except PanelkeyError:
            if labelled and len(body) <= LABEL_BYTES:
                _note_label(packet)
            raise
        if not passwords:
            self.checked.add(key)
        if noted is not None:
            noted["operation"] = dispatch.label(steps)
        return steps, store

    async def _authenticate(self, creds: Credentials, address: str) -> Identity:
        """The caller, or AuthenticationMissing / AuthenticationFailed / KeyValidationFailed.
        Refusals always go through verify_*, which writes their real reason to the audit."""
        auth = self.ctx.panel.auth
        if creds.login is not None and creds.password is not None:
            verdict = await auth.password_verdict(creds.login, creds.password, address, FACE)
            if isinstance(verdict, Verified):
                return verdict.identity
            raise AuthenticationFailed()
        if creds.key is not None:  # one the cache did not verify (_answer asked it)
            verdict = await pressure.key_verdict(auth, creds.key, address, FACE)
            if isinstance(verdict, Verified):
                return verdict.identity
            raise KeyValidationFailed()
        raise AuthenticationMissing()
