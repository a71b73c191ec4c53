"""The console's read-only pages: the request journal, refusals and the object browser.

Each needs the admin's session (app.py's `Console.page_route`); each list is paged and
searched on the server from its query string (listing.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from panelkey.console import browse
from panelkey.console.curl import as_curl
from panelkey.console.listing import paged, window
from panelkey.console.session import Session
from panelkey.core.access.audit import AUTH_FAILED, SCOPE_DENIED
from panelkey.core.errors import PanelkeyError
from panelkey.core.identity import Identity
from panelkey.journal.store import Entry

if TYPE_CHECKING:
    from panelkey.console.app import Console

REFUSALS = (AUTH_FAILED, SCOPE_DENIED)  # what the refusals page shows, with its reason
_JSON_FIELDS = (
    "id", "at", "face", "source", "credential", "operation", "status", "errcode", "outcome",
    "reason", "duration_ms",
)  # fmt: skip


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


def journal_filters(params: Any) -> dict[str, str]:
    """The journal's filters from a query string: only values the journal knows."""
    face = params.get("face", "")
    outcome = params.get("outcome", "")
    return {
        "face": face if face in ("xml", "rest") else "",
        "outcome": outcome if outcome in ("ok", "error") else "",
    }


class Pages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.panel = console.panel
        self.journal = console.journal

    # -- the journal ----------------------------------------------------------------

    async def journal_page(self, request: Request, session: Session, admin: Identity) -> Response:
        filters = journal_filters(request.query_params)
        text = request.query_params.get("q", "").strip()[:200]

        def newest(n: int) -> list[Entry]:
            return list(
                reversed(
                    self.journal.entries(
                        limit=n, text=text, face=filters["face"], outcome=filters["outcome"]
                    )
                )
            )

        page = await asyncio.to_thread(window, newest, request.query_params, keep=filters)
        return self.console.page(
            session,
            "journal.html",
            entries=page,
            filters=filters,
            live_query=page.link(1)[1:],
        )

    async def journal_json(self, request: Request) -> Response:
        found = await self.console.admin(request)
        if isinstance(found, Response):
            return JSONResponse({"code": 401, "message": "log in"}, status_code=401)
        filters = journal_filters(request.query_params)
        text = request.query_params.get("q", "").strip()[:200]
        try:
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            after = 0
        entries = await asyncio.to_thread(
            lambda: self.journal.entries(
                limit=200,
                after_id=after,
                text=text,
                face=filters["face"],
                outcome=filters["outcome"],
            )
        )
        rows = [{k: e.as_dict()[k] for k in _JSON_FIELDS} for e in entries]
        return JSONResponse(rows, headers={"Cache-Control": "no-store"})

    async def journal_entry(self, request: Request, session: Session, admin: Identity) -> Response:
        entry = await asyncio.to_thread(self.journal.get, int(request.path_params["entry_id"]))
        if entry is None:
            return self.console.error(
                "No such journal entry: it may have been trimmed.", 404, session
            )
        base = f"{request.url.scheme}://{request.url.netloc}"
        return self.console.page(
            session,
            "journal_entry.html",
            entry=entry,
            request_text=_pretty(entry.face, entry.request),
            answer_text=_pretty(entry.face, entry.answer),
            curl=as_curl(base, entry.face, entry.operation, entry.credential, entry.request),
        )

    async def refusals(self, request: Request, session: Session, admin: Identity) -> Response:
        entries = await asyncio.to_thread(
            lambda: [e for e in self.panel.audit.entries() if e.event in REFUSALS]
        )
        page = paged(
            reversed(entries),
            request.query_params,
            lambda e: (e.event, e.face, e.source_ip, e.key_id, e.actor, e.reason, e.detail),
        )
        return self.console.page(session, "refusals.html", entries=page)

    # -- the object browser -----------------------------------------------------------

    async def accounts(self, request: Request, session: Session, admin: Identity) -> Response:
        table = await asyncio.to_thread(browse.accounts_table, self.panel, admin)
        page = paged(table.rows, request.query_params, lambda row: row)
        return self.console.page(session, "accounts.html", table=table, rows=page)

    async def account(self, request: Request, session: Session, admin: Identity) -> Response:
        account = await asyncio.to_thread(
            self.panel.accounts.get, request.path_params["account_id"]
        )
        if account is None:
            return self.console.error("No such account.", 404, session)

        def load() -> tuple[browse.Table, list[Any]]:
            return (
                browse.account_domains(self.panel, admin, account),
                browse.children(self.panel, account),
            )

        table, children = await asyncio.to_thread(load)
        page = paged(table.rows, request.query_params, lambda row: row)
        owner = None
        if account.owner_id and account.owner_id != account.id:
            owner = await asyncio.to_thread(self.panel.accounts.get, account.owner_id)
        return self.console.page(
            session,
            "account.html",
            account=account,
            owner=owner,
            table=table,
            rows=page,
            children=[browse.account_link(c) for c in children],
        )

    async def domain(self, request: Request, session: Session, admin: Identity) -> Response:
        domain_id = request.path_params["domain_id"]
        domain = await asyncio.to_thread(self.panel.domains.get, admin, domain_id)
        if domain is None:
            return self.console.error("No such domain.", 404, session)
        tabs = browse.tabs_of(domain)
        wanted = request.query_params.get("tab", tabs[0].name)
        tab = next((t for t in tabs if t.name == wanted), tabs[0])

        def load() -> tuple[browse.Table, Any, Any]:
            table = tab.load(self.panel, admin, domain)
            owner = self.panel.accounts.get(domain.owner_id)
            subscription = (
                None if domain.is_webspace else self.panel.domains.get(admin, domain.base_domain_id)
            )
            return table, owner, subscription

        try:
            table, owner, subscription = await asyncio.to_thread(load)
        except PanelkeyError as exc:
            return self.console.error(str(exc), 404, session)
        page = paged(table.rows, request.query_params, lambda row: row, keep={"tab": tab.name})
        return self.console.page(
            session,
            "domain.html",
            domain=domain,
            owner=owner,
            subscription=subscription,
            tabs=tabs,
            tab=tab,
            table=table,
            rows=page,
        )
