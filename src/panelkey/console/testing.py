"""The console's pages for an integration's tests: fault rules and snapshots of the store
(core/testing/), shown and managed as `panelkey fault` and `panelkey snapshot` do.

Every change is a form with its CSRF token, then a redirect with a message (POST-redirect-
GET); clearing a rule, restoring and deleting a snapshot ask first in the browser.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from panelkey.console.listing import paged
from panelkey.core.errors import PanelkeyError

if TYPE_CHECKING:
    from panelkey.console.app import Console

# The add form's fields: (name, label, placeholder); `drop` is a checkbox of its own.
FAULT_FIELDS: list[tuple[str, str, str]] = [
    ("operation", "Operation", "webspace/add, or POST /api/v2/clients"),
    ("errcode", "Plesk errcode", "XML only, e.g. 1007"),
    ("errtext", "Error text", "the message answered"),
    ("http_status", "HTTP status", "e.g. 503"),
    ("delay", "Delay (seconds)", "e.g. 2.5, before the answer"),
    ("times", "Times", "the next N calls; empty: every call"),
    ("ratio", "Share of calls", "0 to 1; empty: 1"),
    ("key", "Only key (id)", "empty: any credential"),
    ("login", "Only login", "empty: any login"),
]


def _number(form: dict[str, str], name: str, kind: type[int] | type[float]) -> Any:
    """A number field, None when empty. Raises ValueError naming the field otherwise."""
    text = form.get(name, "").strip()
    if name == "delay":
        text = text.removesuffix("s")  # `2s` as the CLI takes it
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a number") from None


def fault_options(form: dict[str, str]) -> dict[str, Any]:
    """The add form as `Faults.add` takes it. Raises ValueError for a field that is not
    a number where one is wanted."""
    return {
        "errcode": _number(form, "errcode", int),
        "errtext": form.get("errtext", "").strip(),
        "http_status": _number(form, "http_status", int),
        "delay": _number(form, "delay", float) or 0.0,
        "drop": form.get("drop") == "on",
        "times": _number(form, "times", int),
        "ratio": _number(form, "ratio", float) or 1.0,
        "key_id": _number(form, "key", int),
        "login": form.get("login", "").strip() or None,
    }


class TestingPages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.panel = console.panel

    def routes(self) -> list[Route]:
        return [
            Route("/faults", self.faults, methods=["GET", "POST"]),
            Route("/faults/clear", self.clear_faults, methods=["POST"]),
            Route("/faults/{rule_id:int}/clear", self.clear_fault, methods=["POST"]),
            Route("/snapshots", self.snapshots, methods=["GET", "POST"]),
            Route("/snapshots/{name}/restore", self.restore, methods=["POST"]),
            Route("/snapshots/{name}/delete", self.delete_snapshot, methods=["POST"]),
        ]

    # -- faults -----------------------------------------------------------------------

    async def faults(self, request: Request) -> Response:
        if request.method == "POST":
            found = await self.console.admin_post(request)
            if isinstance(found, Response):
                return found
            session, _, form = found
            try:
                options = fault_options(form)
                rule = await asyncio.to_thread(
                    lambda: self.panel.faults.add(form.get("operation", ""), **options)
                )
            except (PanelkeyError, ValueError) as exc:
                return await self._faults_page(request, session, str(exc), form, 400)
            told = f"Rule {rule.id} added: {rule.operation} answers {rule.describe()}."
            return await self.console.then(session, "/faults", {"message": told})
        shown = await self.console.admin(request)
        if isinstance(shown, Response):
            return shown
        return await self._faults_page(request, shown[0])

    async def _faults_page(
        self,
        request: Request,
        session: Any,
        error: str = "",
        form: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response:
        flash = await self.console.take_flash(request, session) if not error else {}
        rules = await asyncio.to_thread(self.panel.faults.list)
        page = paged(
            rules,
            request.query_params,
            lambda r: (r.id, r.operation, r.login or "", r.key_id or "", r.describe()),
        )
        response = self.console.page(
            session,
            "faults.html",
            status=status,
            rules=page,
            every=len(rules),
            fields=FAULT_FIELDS,
            entered=form or {},
            error=error,
            message=flash.get("message", ""),
        )
        return self.console.forget_flash(request, response)

    async def clear_fault(self, request: Request) -> Response:
        found = await self.console.admin_post(request)
        if isinstance(found, Response):
            return found
        session, _, _ = found
        rule_id = int(request.path_params["rule_id"])
        gone = await asyncio.to_thread(self.panel.faults.clear, rule_id)
        told = f"Rule {rule_id} cleared." if gone else f"Rule {rule_id} was gone already."
        return await self.console.then(session, "/faults", {"message": told})

    async def clear_faults(self, request: Request) -> Response:
        found = await self.console.admin_post(request)
        if isinstance(found, Response):
            return found
        session, _, _ = found
        gone = await asyncio.to_thread(self.panel.faults.clear)
        told = f"Every rule cleared ({gone}): every operation runs as usual."
        return await self.console.then(session, "/faults", {"message": told})

    # -- snapshots --------------------------------------------------------------------

    async def snapshots(self, request: Request) -> Response:
        if request.method == "POST":
            found = await self.console.admin_post(request)
            if isinstance(found, Response):
                return found
            session, _, form = found
            name = form.get("name", "").strip()
            try:
                made = await asyncio.to_thread(self.panel.snapshots.save, name)
            except PanelkeyError as exc:
                return await self._snapshots_page(request, session, str(exc), 400)
            told = f"Snapshot {made.name!r} saved: {made.rows} rows in {made.seconds:.2f} s."
            return await self.console.then(session, "/snapshots", {"message": told})
        shown = await self.console.admin(request)
        if isinstance(shown, Response):
            return shown
        return await self._snapshots_page(request, shown[0])

    async def _snapshots_page(
        self, request: Request, session: Any, error: str = "", status: int = 200
    ) -> Response:
        flash = await self.console.take_flash(request, session) if not error else {}
        listing = await asyncio.to_thread(self.panel.snapshots.list)
        page = paged(listing, request.query_params, lambda s: (s.name,))
        response = self.console.page(
            session,
            "snapshots.html",
            status=status,
            snapshots=page,
            every=len(listing),
            error=error,
            message=flash.get("message", ""),
        )
        return self.console.forget_flash(request, response)

    async def restore(self, request: Request) -> Response:
        found = await self.console.admin_post(request)
        if isinstance(found, Response):
            return found
        session, _, _ = found
        name = request.path_params["name"]
        try:
            done = await asyncio.to_thread(self.panel.snapshots.restore, name)
            await asyncio.to_thread(self.console.keep_secret)
        except PanelkeyError as exc:
            return self.console.error(str(exc), 404, session)
        told = f"The store is back as snapshot {name!r} saved it ({done.seconds:.2f} s)."
        return await self.console.then(session, "/snapshots", {"message": told})

    async def delete_snapshot(self, request: Request) -> Response:
        found = await self.console.admin_post(request)
        if isinstance(found, Response):
            return found
        session, _, _ = found
        name = request.path_params["name"]
        gone = await asyncio.to_thread(self.panel.snapshots.delete, name)
        told = f"Snapshot {name!r} deleted." if gone else f"No snapshot {name!r}."
        return await self.console.then(session, "/snapshots", {"message": told})
