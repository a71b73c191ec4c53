"""The console's routes. Every page needs an admin session; every form a CSRF token:
routes are made by `page_route` and `form_route`, which check that before any handler.

Pages are rendered on the server with Jinja2 (autoescaped), so a packet that holds
`<script>` is shown as text. Forms post, then redirect (POST-redirect-GET): a reload
repeats nothing. A key value made by a form reaches the page after the redirect through
a sealed one-time flash (flash.py) and is shown that once, with `Cache-Control:
no-store`; nothing else ever shows one. Lists page and search on the server (listing.py);
read-only pages live in pages.py, the object browser's tables in browse.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from panelkey.console.flash import FLASH_COOKIE, FLASH_SECONDS, Flashes
from panelkey.console.listing import paged
from panelkey.console.session import LOGIN_COOKIE, SESSION_COOKIE, Session, Signer, fingerprint
from panelkey.context import Context
from panelkey.core.access.keys import KeyInfo
from panelkey.core.errors import PanelkeyError
from panelkey.core.identity import Identity, Reason, Refused, Verified
from panelkey.journal import Journal

PREFIX = "/console"
FACE = "console"
_HERE = Path(__file__).parent
_FORM_LIMIT = 64 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI sets styles inline; its page alone allows that, still no inline script.
CSP_SWAGGER = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
_SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# The key "Try it out" sends: made for one console session and page, short-lived, bound
# to the browser's address; a new page or the logout deletes the session's earlier ones.
SWAGGER_KEY_EXPIRES = "1h"
SWAGGER_KEY_LABEL = "Swagger UI in the console, session "

# A handler of the console, called once its route's guard let the request through: with
# the admin's session and identity, and for a form what it posted (CSRF token checked).
Page = Callable[[Request, Session, Identity], Awaitable[Response]]
Form = Callable[[Request, Session, Identity, dict[str, str]], Awaitable[Response]]


def swagger_label(session: Session) -> str:
    """The description of a session's Swagger key: a digest of its nonce, never the
    nonce (which the CSRF tokens are made from)."""
    return SWAGGER_KEY_LABEL + hashlib.sha256(b"swagger:" + session.nonce.encode()).hexdigest()[:12]


class Console:
    def __init__(self, ctx: Context) -> None:
        from panelkey.console.pages import Pages
        from panelkey.console.testing import TestingPages

        self.ctx = ctx
        self.panel = ctx.panel
        self.journal = Journal(ctx.settings.data_dir / "journal.db", size=1)
        self.flashes = Flashes(ctx.panel.db)
        self._signer: Signer | None = None
        self._secret = ""
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.globals["prefix"] = PREFIX  # every link's start, macros' too
        pages, testing = Pages(self), TestingPages(self)
        page, form = self.page_route, self.form_route
        # Every route of the console with its guard (`page`, `form`); a plain Route needs
        # none or checks its own.
        routes = [
            Route("/", self.home),
            Route("/login", self.login, methods=["GET", "POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            page("/keys", self.keys),
            form("/keys", self.create_key),
            form("/keys/{key_id:int}/delete", self.delete_key),
            form("/keys/{key_id:int}/rotate", self.rotate_key),
            page("/journal", pages.journal_page),
            Route("/journal.json", pages.journal_json),  # a script's: JSON, not a redirect
            page("/journal/{entry_id:int}", pages.journal_entry),
            page("/refusals", pages.refusals),
            page("/accounts", pages.accounts),
            page("/accounts/{account_id:int}", pages.account),
            page("/domains/{domain_id:int}", pages.domain),
            page("/faults", testing.faults),
            form("/faults", testing.add_fault),
            form("/faults/clear", testing.clear_faults),
            form("/faults/{rule_id:int}/clear", testing.clear_fault),
            page("/snapshots", testing.snapshots),
            form("/snapshots", testing.save_snapshot),
            form("/snapshots/{name}/restore", testing.restore),
            form("/snapshots/{name}/delete", testing.delete_snapshot),
            page("/api", self.swagger),
            Route("/api/key", self.swagger_key, methods=["POST"]),  # the CSRF token in a header
            Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
            Mount("/swagger", StaticFiles(directory=_swagger_dir()), name="swagger"),
        ]
        self.app = Starlette(routes=[Mount(PREFIX, routes=routes)])

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("scheme") != "https":
            response: Response = HTMLResponse(
                "The console is served on HTTPS only.", status_code=403
            )
            await response(scope, receive, send)
            return
        if scope["path"] in ("/", PREFIX):  # the server's root leads to the console
            await RedirectResponse(PREFIX + "/", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    # -- plumbing ---------------------------------------------------------------------

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            secret = self.panel.db.meta_value("console_secret", lambda: secrets.token_hex(32))
            self._secret = secret
            self._signer = Signer(secret)
        return self._signer

    def _render(self, name: str, status: int = 200, csp: str = CSP, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(**values)
        return HTMLResponse(
            html, status_code=status, headers={**_SECURITY_HEADERS, "Content-Security-Policy": csp}
        )

    async def _session(self, request: Request) -> Session | None:
        session = self.signer.read_session(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return None
        stored = await asyncio.to_thread(self.panel.accounts.password_hash, session.account_id)
        account = await asyncio.to_thread(self.panel.accounts.get, session.account_id)
        if stored is None or account is None or account.type != "admin" or not account.active:
            return None
        return session if fingerprint(stored) == session.fingerprint else None

    async def _form(self, request: Request) -> dict[str, str]:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _FORM_LIMIT:
                return {}
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}

    async def admin(self, request: Request) -> tuple[Session, Identity] | Response:
        """The admin's session, or the response that sends the visitor to the login."""
        session = await self._session(request)
        if session is None:
            return RedirectResponse(f"{PREFIX}/login", status_code=303)
        admin = self.panel.accounts.admin()
        assert admin is not None
        return session, admin.identity()

    async def _posted(self, request: Request, session: Session) -> dict[str, str] | None:
        """The form the admin posted, or None when its CSRF token is missing or wrong."""
        form = await self._form(request)
        return form if self.signer.csrf_ok(session.nonce, form.get("csrf")) else None

    def page_route(self, path: str, handler: Page) -> Route:
        """A page, for the admin's session only: anyone else is sent to the login."""

        async def endpoint(request: Request) -> Response:
            found = await self.admin(request)
            if isinstance(found, Response):
                return found
            return await handler(request, *found)

        return Route(path, endpoint, methods=["GET"])

    def form_route(self, path: str, handler: Form) -> Route:
        """A form, posted from the admin's session with its CSRF token: anyone else is
        sent to the login; a missing or wrong token is refused and changes nothing."""

        async def endpoint(request: Request) -> Response:
            found = await self.admin(request)
            if isinstance(found, Response):
                return found
            form = await self._posted(request, found[0])
            if form is None:
                return self._refuse_csrf()
            return await handler(request, *found, form)

        return Route(path, endpoint, methods=["POST"])

    def page(self, session: Session, name: str, **values: Any) -> HTMLResponse:
        return self._render(name, csrf=self.signer.csrf(session.nonce), **values)

    def error(self, message: str, status: int, session: Session | None = None) -> HTMLResponse:
        """The error page; with the admin's session, with the console's navigation."""
        if session is not None:
            return self.page(session, "error.html", status=status, message=message)
        return self._render("error.html", status=status, message=message)

    def _refuse_csrf(self) -> Response:
        return self.error("The form's CSRF token is missing or wrong; nothing was changed.", 403)

    def address(self, request: Request) -> str:
        return Context.client_address(dict(request.scope), self.ctx.live())

    async def then(
        self, session: Session, path: str, message: dict[str, Any], back: str = ""
    ) -> Response:
        """The redirect after a form (POST-redirect-GET), carrying `message` to the next
        page once. `back` is the list's query string the form came from (kept only when
        it is one: a redirect never leaves the console)."""
        cookie = await asyncio.to_thread(self.flashes.put, session.nonce, message)
        query = back if back.startswith("?") and "//" not in back and "\\" not in back else ""
        done = RedirectResponse(f"{PREFIX}{path}{query}", status_code=303)
        done.set_cookie(
            FLASH_COOKIE,
            cookie,
            max_age=FLASH_SECONDS,
            path=PREFIX,
            secure=True,
            httponly=True,
            samesite="strict",
        )
        return done

    async def form_page(
        self,
        request: Request,
        session: Session,
        name: str,
        values: Callable[[Request], dict[str, Any]],
        error: str = "",
        entered: dict[str, str] | None = None,
    ) -> Response:
        """A page of forms: its `values` (read in a thread) with what the last form left
        it through `then` (a message, a key's value), taken once; or, answering 400, the
        `error` a form posted now met, what it `entered`, and nothing taken. The browser
        drops the flash cookie either way."""
        cookie = request.cookies.get(FLASH_COOKIE)
        flash: dict[str, Any] = {}
        if cookie and not error:
            flash = await asyncio.to_thread(self.flashes.take, session.nonce, cookie)
        shown = await asyncio.to_thread(values, request)
        response = self.page(
            session,
            name,
            status=400 if error else 200,
            error=error,
            entered=entered or {},
            message=flash.get("message", ""),
            made=flash.get("made"),
            **shown,
        )
        if cookie is not None:
            response.delete_cookie(FLASH_COOKIE, path=PREFIX)
        return response

    def keep_secret(self) -> None:
        """After a snapshot restore: the store keeps the console's secret again if the
        snapshot had none (it predates the console's first use), so sessions live on."""
        if self._signer is not None:
            secret = self._secret
            self.panel.db.meta_value("console_secret", lambda: secret)

    # -- pages ----------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/keys", status_code=303)

    async def login(self, request: Request) -> Response:
        nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(16)
        message = ""
        if request.method == "POST":
            form = await self._form(request)
            if not self.signer.csrf_ok("login:" + nonce, form.get("csrf")):
                return self._refuse_csrf()
            login, password = form.get("login", ""), form.get("password", "")
            address = Context.client_address(dict(request.scope), self.ctx.live())
            verdict = await self.panel.auth.password_verdict(login, password, address, FACE)
            if isinstance(verdict, Verified) and verdict.identity.is_admin:
                stored = await asyncio.to_thread(
                    self.panel.accounts.password_hash, verdict.identity.account_id
                )
                done = RedirectResponse(f"{PREFIX}/keys", status_code=303)
                done.set_cookie(
                    SESSION_COOKIE,
                    self.signer.session_cookie(verdict.identity.account_id, stored or ""),
                    path=PREFIX,
                    secure=True,
                    httponly=True,
                    samesite="strict",
                )
                done.delete_cookie(LOGIN_COOKIE, path=PREFIX)
                return done
            message = "Login failed: the console is for the administrator."
            if isinstance(verdict, Refused) and verdict.reason is Reason.LOCKED_OUT:
                seconds = await asyncio.to_thread(self.panel.auth.locked_for, login, address)
                if seconds:
                    message = (
                        f"Login failed: locked out for {seconds} more seconds after repeated "
                        "wrong passwords."
                    )
        response = self._render(
            "login.html",
            csrf=self.signer.csrf("login:" + nonce),
            message=message,
            status=401 if message else 200,
        )
        response.set_cookie(
            LOGIN_COOKIE, nonce, path=PREFIX, secure=True, httponly=True, samesite="strict"
        )
        return response

    async def logout(self, request: Request) -> Response:
        session = await self._session(request)
        form = await self._form(request)
        if session is not None and not self.signer.csrf_ok(session.nonce, form.get("csrf")):
            return self._refuse_csrf()
        if session is not None:
            await asyncio.to_thread(self._drop_swagger_keys, session, self.address(request))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
        return response

    async def keys(self, request: Request, session: Session, admin: Identity) -> Response:
        return await self.form_page(request, session, "keys.html", self._keys)

    async def create_key(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        options = key_options(form)
        address = self.address(request)
        try:
            value, info = await asyncio.to_thread(
                lambda: self.panel.keys.create(admin, face=FACE, source_ip=address, **options)
            )
        except PanelkeyError as exc:
            return await self.form_page(request, session, "keys.html", self._keys, str(exc), form)
        made = {"value": value, "id": info.id, "verb": "created"}
        return await self.then(session, "/keys", {"made": made})

    def _keys(self, request: Request) -> dict[str, Any]:
        """What the keys page shows: a page of keys (searched) and the form that makes
        one, with the logins that may own a key."""
        listing = self.panel.keys.list()
        return {
            "keys": paged(reversed(listing), request.query_params, _key_text),
            "every": len(listing),
            "logins": [a.login for a in self.panel.accounts.list() if a.active],
            "options": KEY_FORM_OPTIONS,
            "back": request.url.query and "?" + request.url.query,
        }

    async def delete_key(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        key_id = str(request.path_params["key_id"])
        address = self.address(request)
        try:
            await asyncio.to_thread(
                self.panel.keys.delete, admin, key_id, face=FACE, source_ip=address
            )
        except PanelkeyError as exc:
            return self.error(str(exc), 404, session)
        told = f"Key {key_id} deleted: requests with it are refused from now on."
        return await self.then(session, "/keys", {"message": told}, form.get("back", ""))

    async def rotate_key(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        rotate = self.panel.keys.rotate
        key_id = str(request.path_params["key_id"])
        grace = form.get("grace", "").strip() or None
        address = self.address(request)
        try:
            value, info = await asyncio.to_thread(
                lambda: rotate(admin, key_id, grace=grace, face=FACE, source_ip=address)
            )
        except PanelkeyError as exc:
            return self.error(str(exc), 400, session)
        made = {"value": value, "id": info.id, "verb": f"rotated from key {key_id}"}
        return await self.then(session, "/keys", {"made": made})

    async def swagger(self, request: Request, session: Session, admin: Identity) -> Response:
        return self._render("swagger.html", csp=CSP_SWAGGER, csrf=self.signer.csrf(session.nonce))

    async def swagger_key(self, request: Request) -> Response:
        """A key for Swagger UI's "Try it out": the REST face's own credential, so its
        requests are checked, journaled and audited as any other. Short-lived, bound to
        the browser's address, labelled with the session; the session's earlier ones go.
        The CSRF token comes in a header (the page's script asks, not a form)."""
        session = await self._session(request)
        if session is None:
            return JSONResponse({"message": "log in"}, 401, headers=_SECURITY_HEADERS)
        if not self.signer.csrf_ok(session.nonce, request.headers.get("x-csrf-token")):
            return JSONResponse({"message": "CSRF token"}, 403, headers=_SECURITY_HEADERS)
        admin = self.panel.accounts.admin()
        assert admin is not None
        address = self.address(request)

        def make() -> tuple[str, KeyInfo]:
            self._drop_swagger_keys(session, address)
            return self.panel.keys.create(
                admin.identity(),
                addresses=address or None,
                description=swagger_label(session),
                expires=SWAGGER_KEY_EXPIRES,
                face=FACE,
                source_ip=address,
            )

        value, info = await asyncio.to_thread(make)
        body = {"key": value, "id": info.id, "expires": info.expires}
        return JSONResponse(body, headers=_SECURITY_HEADERS)

    def _drop_swagger_keys(self, session: Session, address: str) -> None:
        """Delete the keys made for this session's Swagger pages (they are labelled so)."""
        admin = self.panel.accounts.admin()
        assert admin is not None
        label = swagger_label(session)
        for key in self.panel.keys.list():
            if key.description == label:
                try:
                    self.panel.keys.delete(
                        admin.identity(), str(key.id), face=FACE, source_ip=address
                    )
                except PanelkeyError:
                    continue  # gone meanwhile (another tab): what was wanted


def _key_text(key: KeyInfo) -> tuple[Any, ...]:
    """What a key search looks in."""
    return (key.id, key.description, key.login, *key.ips, *key.scope, key.rate)


# The key options the create form offers: (field, label, help), every option keys have.
KEY_FORM_OPTIONS: list[tuple[str, str, str]] = [
    ("ips", "Addresses", "IPv4, IPv6 or CIDR, comma-separated; empty: any address"),
    ("description", "Description", "what the key is for"),
    ("login", "Owner", "login of an active account; empty: admin"),
    ("expires", "Expires", "ISO 8601 UTC time or a duration: 90s, 15m, 12h, 30d"),
    ("scope", "Scope", "read, or operator/operation patterns: dns/*, site/get"),
    ("rate", "Rate limit", "N/s, N/m or N/h"),
]


def key_options(form: dict[str, str]) -> dict[str, Any]:
    """The create form's fields as `Keys.create` takes them; empty fields are absent."""
    options: dict[str, Any] = {"addresses": form.get("ips", "").strip() or None}
    options["description"] = form.get("description", "").strip()
    for name in ("login", "expires", "rate"):
        value = form.get(name, "").strip()
        if value:
            options[name] = value
    scope = [s.strip() for s in form.get("scope", "").split(",") if s.strip()]
    if scope:
        options["scope"] = scope
    return options


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)
