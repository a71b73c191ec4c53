"""The console's routes. Every page needs an admin session; every form a CSRF token.

Pages are rendered on the server with Jinja2 (autoescaped), so a packet that holds
`<script>` is shown as text. Key values appear once, on the page that made them, with
`Cache-Control: no-store`; nothing else ever shows one.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import jinja2
from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from panelkey.console.session import LOGIN_COOKIE, SESSION_COOKIE, Session, Signer, fingerprint
from panelkey.context import Context
from panelkey.core.access.audit import AUTH_FAILED, SCOPE_DENIED
from panelkey.core.errors import PanelkeyError
from panelkey.core.identity import Identity, Reason, Refused, Verified
from panelkey.journal import Journal

PREFIX = "/console"
REFUSALS = (AUTH_FAILED, SCOPE_DENIED)  # what the refusals page shows, with its reason
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


def _pretty(face: str, text: str) -> str:
    """A body indented for reading; as it was when it does not parse."""
    if not text.strip():
        return text
    try:
        if face == "xml":
            parser = etree.XMLParser(
                resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True
            )
            root = etree.fromstring(text.encode(), parser)  # noqa: S320 - no entities, no DTD
            return etree.tostring(root, pretty_print=True, encoding="unicode")
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (etree.LxmlError, ValueError):
        return text


class Console:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.panel = ctx.panel
        self.journal = Journal(ctx.settings.data_dir / "journal.db", size=1)
        self._signer: Signer | None = None
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.app = Starlette(
            routes=[
                Mount(
                    PREFIX,
                    routes=[
                        Route("/", self.home),
                        Route("/login", self.login, methods=["GET", "POST"]),
                        Route("/logout", self.logout, methods=["POST"]),
                        Route("/keys", self.keys, methods=["GET", "POST"]),
                        Route("/keys/{key_id:int}/delete", self.delete_key, methods=["POST"]),
                        Route("/keys/{key_id:int}/rotate", self.rotate_key, methods=["POST"]),
                        Route("/journal", self.journal_page),
                        Route("/journal.json", self.journal_json),
                        Route("/journal/{entry_id:int}", self.journal_entry),
                        Route("/refusals", self.refusals),
                        Route("/accounts", self.accounts),
                        Route("/api", self.swagger),
                        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
                        Mount("/swagger", StaticFiles(directory=_swagger_dir()), name="swagger"),
                    ],
                )
            ]
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("scheme") != "https":
            response: Response = HTMLResponse(
                "The console is served on HTTPS only.", status_code=403
            )
            await response(scope, receive, send)
            return
        if scope["path"] == PREFIX:
            await RedirectResponse(PREFIX + "/", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    # -- plumbing ---------------------------------------------------------------------

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            secret = self.panel.db.meta_value("console_secret", lambda: secrets.token_hex(32))
            self._signer = Signer(secret)
        return self._signer

    def _render(self, name: str, status: int = 200, csp: str = CSP, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(prefix=PREFIX, **values)
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

    async def _admin(self, request: Request) -> tuple[Session, Identity] | Response:
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

    async def _admin_post(
        self, request: Request
    ) -> tuple[Session, Identity, dict[str, str]] | Response:
        """The admin's session and the form it posted, or the response that sends the
        visitor to the login or refuses a missing or wrong CSRF token."""
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        form = await self._posted(request, found[0])
        return self._refuse_csrf() if form is None else (*found, form)

    async def _keys_page(
        self, session: Session, made: dict[str, Any] | None = None, error: str = ""
    ) -> HTMLResponse:
        """Every key, the form that makes one, and the value just made or rotated (once)."""
        listing = await asyncio.to_thread(self.panel.keys.list)
        logins = await asyncio.to_thread(
            lambda: [a.login for a in self.panel.accounts.list() if a.active]
        )
        return self._page(
            session,
            "keys.html",
            keys=listing,
            made=made,
            error=error,
            logins=logins,
            options=KEY_FORM_OPTIONS,
        )

    def _page(self, session: Session, name: str, **values: Any) -> HTMLResponse:
        return self._render(name, csrf=self.signer.csrf(session.nonce), **values)

    def _refuse_csrf(self) -> Response:
        return self._render(
            "error.html",
            status=403,
            message="The form's CSRF token is missing or wrong; nothing was changed.",
        )

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
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    async def keys(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, admin = found
        made: dict[str, Any] | None = None
        error = ""
        if request.method == "POST":
            form = await self._posted(request, session)
            if form is None:
                return self._refuse_csrf()
            options = key_options(form)
            address = Context.client_address(dict(request.scope), self.ctx.live())
            try:
                value, info = await asyncio.to_thread(
                    lambda: self.panel.keys.create(admin, face=FACE, source_ip=address, **options)
                )
                made = {"value": value, "id": info.id, "verb": "created"}
            except PanelkeyError as exc:
                error = str(exc)
        return await self._keys_page(session, made, error)

    async def delete_key(self, request: Request) -> Response:
        found = await self._admin_post(request)
        if isinstance(found, Response):
            return found
        _, admin, _ = found
        key_id = str(request.path_params["key_id"])
        address = Context.client_address(dict(request.scope), self.ctx.live())
        try:
            await asyncio.to_thread(
                self.panel.keys.delete, admin, key_id, face=FACE, source_ip=address
            )
        except PanelkeyError as exc:
            return self._render("error.html", status=404, message=str(exc))
        return RedirectResponse(f"{PREFIX}/keys", status_code=303)

    async def rotate_key(self, request: Request) -> Response:
        found = await self._admin_post(request)
        if isinstance(found, Response):
            return found
        session, admin, form = found
        rotate = self.panel.keys.rotate
        key_id = str(request.path_params["key_id"])
        grace = form.get("grace", "").strip() or None
        address = Context.client_address(dict(request.scope), self.ctx.live())
        try:
            value, info = await asyncio.to_thread(
                lambda: rotate(admin, key_id, grace=grace, face=FACE, source_ip=address)
            )
        except PanelkeyError as exc:
            return self._render("error.html", status=400, message=str(exc))
        made = {"value": value, "id": info.id, "verb": f"rotated from key {key_id}"}
        return await self._keys_page(session, made)

    async def journal_page(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, _ = found
        filters = _journal_filters(request)
        entries = await asyncio.to_thread(lambda: self.journal.entries(limit=200, **filters))
        return self._page(
            session,
            "journal.html",
            entries=list(reversed(entries)),
            filters=filters,
            query=urlencode({k: v for k, v in filters.items() if v}),
        )

    async def journal_json(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return JSONResponse({"code": 401, "message": "log in"}, status_code=401)
        filters = _journal_filters(request)
        try:
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            after = 0
        entries = await asyncio.to_thread(
            lambda: self.journal.entries(limit=200, after_id=after, **filters)
        )
        rows = [
            {
                k: e.as_dict()[k]
                for k in (
                    "id",
                    "at",
                    "face",
                    "source",
                    "credential",
                    "operation",
                    "status",
                    "errcode",
                    "outcome",
                    "reason",
                    "duration_ms",
                )
            }
            for e in entries
        ]
        return JSONResponse(rows, headers=_SECURITY_HEADERS)

    async def journal_entry(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, _ = found
        entry = await asyncio.to_thread(self.journal.get, int(request.path_params["entry_id"]))
        if entry is None:
            return self._render("error.html", status=404, message="No such journal entry.")
        return self._page(
            session,
            "journal_entry.html",
            entry=entry,
            request_text=_pretty(entry.face, entry.request),
            answer_text=_pretty(entry.face, entry.answer),
        )

    async def refusals(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, _ = found
        entries = await asyncio.to_thread(
            lambda: [e for e in self.panel.audit.entries() if e.event in REFUSALS]
        )
        return self._page(session, "refusals.html", entries=list(reversed(entries[-500:])))

    async def accounts(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, admin = found

        def tree() -> list[dict[str, Any]]:
            accounts = self.panel.accounts.list()
            domains = self.panel.domains.list(admin)
            owned: dict[int, list[Any]] = {}
            for d in domains:
                owned.setdefault(d.owner_id, []).append(d)
            children: dict[int | None, list[Any]] = {}
            for a in accounts:
                children.setdefault(a.owner_id, []).append(a)

            def node(a: Any) -> dict[str, Any]:
                return {
                    "account": a,
                    "domains": owned.get(a.id, []),
                    "children": [node(c) for c in children.get(a.id, []) if c.id != a.id],
                }

            return [node(a) for a in accounts if a.type == "admin"]

        return self._page(session, "accounts.html", tree=await asyncio.to_thread(tree))

    async def swagger(self, request: Request) -> Response:
        found = await self._admin(request)
        if isinstance(found, Response):
            return found
        session, _ = found
        return self._render("swagger.html", csp=CSP_SWAGGER, csrf=self.signer.csrf(session.nonce))


# The key options the create form offers: (field, label, help), every option keys have.
KEY_FORM_OPTIONS: list[tuple[str, str, str]] = [
    ("ips", "Addresses", "IPv4, IPv6 or CIDR, comma-separated; empty: any address"),
    ("description", "Description", ""),
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


def _journal_filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    face = q.get("face", "")
    outcome = q.get("outcome", "")
    return {
        "face": face if face in ("xml", "rest") else "",
        "outcome": outcome if outcome in ("ok", "error") else "",
        "text": q.get("q", "")[:200],
    }


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)
