"""The REST face: `/api/v2` as raw ASGI, with panel.ini's live rules applied per request.

Order of the checks: `[api] enabled`, `[api] allowedIPs`, plain HTTP, credentials in
the URL, route (404/405), preflight, authentication (401/403), body (413/400), handler.
A key is checked on the event loop from the cache; only a miss or a refusal goes to a
thread, where the full check runs and refusals reach the audit log.

A store that fails anywhere on the way (the key check, the handler) answers 503 with
`Retry-After`, counted into its outage and logged once for all (store/outage.py); the
handler's transaction rolled back, so nothing of the request is kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from panelkey import pressure
from panelkey.config import LiveSettings
from panelkey.context import BodyTooLarge, Context, Scope
from panelkey.core.access.credentials import rest_credentials
from panelkey.core.identity import Identity, Refused, Verdict, Verified, note
from panelkey.rest import faults as rest_faults
from panelkey.rest.errors import REASONS, ApiError, error_body, from_exception
from panelkey.rest.jsonschema import check, check_text, ref
from panelkey.rest.openapi import BASE_PATH, rendered
from panelkey.rest.resources import FACE, Call, Handler, Listing, Route, is_listing, within
from panelkey.rest.router import ROUTER, SCHEMAS
from panelkey.store.outage import is_store_failure, outage_of

log = logging.getLogger("panelkey.rest")

Headers = list[tuple[bytes, bytes]]

# Query parameters that smell of a credential: refused unread (the header is the only way).
SECRET_PARAMS = frozenset(
    {
        "key",
        "api_key",
        "apikey",
        "api-key",
        "x-api-key",
        "x_api_key",
        "token",
        "access_token",
        "auth",
        "password",
        "passwd",
        "pass",
        "secret",
        "secret_key",
    }
)
ALL_METHODS = "GET, POST, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = b"X-API-Key, Authorization, Content-Type"
_JSON = b"application/json"
_WWW_AUTHENTICATE = (b"www-authenticate", b'Basic realm="panelkey"')
_PREFIX_LEN = len(BASE_PATH)


def encode(payload: Any) -> bytes:
    if isinstance(payload, bytes):
        return payload
    return json.dumps(payload, separators=(",", ":")).encode()


class RestApi:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.router = ROUTER
        self.documents = rendered()
        self.outage = outage_of(ctx.panel.db)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        live = self.ctx.live()
        origin: str | None = None
        found: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name == b"x-api-key" or name == b"authorization":
                found[name.decode()] = value.decode("latin-1")
            elif name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"x-requested-with":  # a script's request: no Basic challenge
                found["x-requested-with"] = ""
        method: str = scope["method"]
        cors = self._cors(live, origin, method)
        try:
            status, body, content_type, extra = await self._answer(
                scope, receive, live, method, found, cors
            )
        except Exception as exc:  # every failure becomes the one error shape
            error = self._error_of(exc)
            status, body, content_type = (
                error.status,
                error_body(error.status, error.message),
                _JSON,
            )
            extra = [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
            if status == 401 and "x-requested-with" not in found:
                extra.append(_WWW_AUTHENTICATE)
        headers: Headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
        ]
        headers += extra
        headers += cors
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})

    def _error_of(self, exc: Exception) -> ApiError:
        if isinstance(exc, BodyTooLarge):
            return ApiError(413, "The request body is too large")
        if is_store_failure(exc):
            note("reason", "store unavailable")
            exc = self.outage.failed(exc)  # one log line an outage
        known = from_exception(exc)
        if known is not None:
            return known
        log.exception("REST request failed")
        return ApiError(500, REASONS[500])

    # -- the steps --------------------------------------------------------------------

    async def _answer(
        self,
        scope: Scope,
        receive: Any,
        live: LiveSettings,
        method: str,
        found: dict[str, str],
        cors: Headers,
    ) -> tuple[int, bytes, bytes, Headers]:
        if not live.api_enabled:
            raise ApiError(403, "The API is turned off in panel.ini ([api] enabled = off)")
        address = Context.client_address(scope, live)
        note("source", address)  # the journal's source: not worked out twice
        if not live.allowed_ips.anyone and not live.allowed_ips.allows(address):
            raise ApiError(403, "Access from this address is not allowed ([api] allowedIPs)")
        if not Context.is_https(scope) and not live.allow_plain_http:
            raise ApiError(
                403,
                "The REST API is refused over plain HTTP; use HTTPS, or set "
                "allowPlainHttpAccess = on in panel.ini to allow it",
            )
        query_string: bytes = scope.get("query_string", b"")
        if query_string:
            _refuse_secret_params(query_string)
        path = scope["path"][_PREFIX_LEN:]
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        matched = self.router.match(path)
        if matched is None:
            raise ApiError(404, "Not found")
        entry, params = matched
        if method == "OPTIONS":
            return 204, b"", _JSON, [(b"allow", entry.allow.encode())]
        route = entry.methods.get("GET" if method == "HEAD" else method)
        if route is None:
            raise ApiError(405, f"Method {method} is not allowed here", {"Allow": entry.allow})
        if not route.auth:
            body, content_type = self.documents[route.path]
            return 200, body, content_type.encode(), []
        identity = await self._authenticate(found, address)
        pressure.authenticated(scope)
        if identity.key_id is not None:
            self._limits(identity, route, address)
        if self.ctx.panel.faults.armed:  # a fault injected on purpose answers first
            await rest_faults.before(self.ctx.panel.faults, method, route.path, path, identity)
        call = Call(self.ctx, identity, address, params)
        if query_string:
            call.query = {
                k: check_text(v, repr(k))
                for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
            }
        if route.body:
            try:
                call.body = await self._body(scope, receive, route)
            except (ApiError, BodyTooLarge):
                await self._paced(identity)
                raise
        handler = route.handler
        assert handler is not None
        if route.listing and method in ("GET", "HEAD"):
            return await self._listing(handler, call, f"{path}?{query_string.decode('latin-1')}")
        elif route.inline or method in ("GET", "HEAD"):
            # Reads run on the event loop: a thread hop costs more than an indexed read
            # (docs/performance.md); writes, which wait for the disk, go to a thread.
            status, payload = handler(call)
        else:
            status, payload = await asyncio.to_thread(handler, call)
        self.outage.ok()  # the store answered: the end of an outage, if any
        return status, encode(payload), _JSON, []

    async def _listing(
        self, handler: Handler, call: Call, which: str
    ) -> tuple[int, bytes, bytes, Headers]:
        """A list as long as the store holds, held to the answer budget. One this worker
        last answered small (pressure.py ListSizes) is made on the event loop at once;
        any other in the bulk lane: its objects read in a thread, then encoded a slice at
        a time."""
        unbounded: Handler = getattr(handler, "__wrapped__", handler)  # resources.bounded
        limit = self.ctx.settings.max_rest_answer
        lanes = pressure.pressure_of(self.ctx.panel.auth)
        listing = Listing(limit)
        if lanes.lists.small(which):
            status, payload = unbounded(call)
            for item in payload if is_listing(payload) else ():
                listing.add(item)
        else:
            async with lanes.lane.member() as lane:
                status, payload = await lane.run(lambda: unbounded(call))
                if is_listing(payload):
                    await lane.encode(payload, listing.add)
        body = listing.body() if is_listing(payload) else within(payload, limit)
        lanes.lists.answered(which, listing.objects)
        self.outage.ok()
        return status, body, _JSON, []

    async def _paced(self, identity: Identity) -> None:
        """A body refused (too long, or not its schema): past a few a second from one
        caller, answered after `lockout_delay` while others wait (pressure.py)."""
        auth = self.ctx.panel.auth
        caller = f"key {identity.key_id}" if identity.key_id else f"login {identity.login}"
        await pressure.pressure_of(auth).pace.refusal(caller, auth.lockout_delay)

    def _limits(self, identity: Identity, route: Route, address: str) -> None:
        """A key's scope (403), judged under the XML name the route carries, and its rate
        (429)."""
        auth = self.ctx.panel.auth
        if identity.scope is not None:
            operator, _, operation = route.scope.partition("/")
            if not identity.scope.allows(operator, operation):
                raise auth.scope_denied(identity, operator, operation, face=FACE, address=address)
        auth.admit(identity)

    async def _authenticate(self, found: dict[str, str], address: str) -> Identity:
        auth = self.ctx.panel.auth
        creds = rest_credentials(found)
        verdict: Verdict | None
        if creds.key is not None:
            verdict = auth.check_key_cached(creds.key, address)
            if not isinstance(verdict, Verified):
                verdict = await pressure.key_verdict(auth, creds.key, address, FACE)
        elif creds.login is not None and creds.password is not None:
            verdict = await auth.password_verdict(creds.login, creds.password, address, FACE)
        else:
            raise ApiError(401, "Authentication required: send X-API-Key or Basic credentials")
        if isinstance(verdict, Refused):
            raise ApiError(401, "Authentication failed")
        if not verdict.identity.is_admin:
            log.warning(
                "refused: not the admin face=rest ip=%s login=%s", address, verdict.identity.login
            )
            raise ApiError(403, "Only the administrator may use the REST API")
        return verdict.identity

    async def _body(self, scope: Scope, receive: Any, route: Route) -> Any:
        raw = await self.ctx.read_body(scope, receive)
        if not raw.strip():
            if route.body_required:
                raise ApiError(400, "A JSON body is required")
            return {}
        try:
            value = json.loads(raw, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise ApiError(400, "The body is not valid JSON") from None
        assert route.body is not None
        check(value, ref(route.body), SCHEMAS)
        return value

    @staticmethod
    def _cors(live: LiveSettings, origin: str | None, method: str) -> Headers:
        """CORS headers for this origin and method, or none at all."""
        if origin is None or not live.cors_enabled:
            return []
        if live.cors_origins and origin not in live.cors_origins and "*" not in live.cors_origins:
            return []
        if live.cors_methods and method != "OPTIONS" and method not in live.cors_methods:
            return []
        headers: Headers = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        if method == "OPTIONS":
            methods = ", ".join(live.cors_methods) if live.cors_methods else ALL_METHODS
            headers += [
                (b"access-control-allow-methods", methods.encode()),
                (b"access-control-allow-headers", ALLOWED_HEADERS),
                (b"access-control-max-age", b"600"),
            ]
        return headers


def _refuse_secret_params(query_string: bytes) -> None:
    for part in query_string.split(b"&"):
        name = unquote_plus(part.split(b"=", 1)[0].decode("latin-1")).strip().lower()
        if name in SECRET_PARAMS:
            raise ApiError(
                401,
                "Credentials are not accepted in the URL; send the key in the X-API-Key "
                "header, or use Basic authentication",
            )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
