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

from panelkey.console.listing import paged
from panelkey.console.session import Session
from panelkey.core.errors import PanelkeyError
from panelkey.core.identity import Identity

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

    # -- faults -----------------------------------------------------------------------

    async def faults(self, request: Request, session: Session, admin: Identity) -> Response:
        return await self.console.form_page(request, session, "faults.html", self._faults)

    async def add_fault(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        try:
            options = fault_options(form)
            rule = await asyncio.to_thread(
                lambda: self.panel.faults.add(form.get("operation", ""), **options)
            )
        except (PanelkeyError, ValueError) as exc:
            return await self.console.form_page(
                request, session, "faults.html", self._faults, str(exc), form
            )
        told = f"Rule {rule.id} added: {rule.operation} answers {rule.describe()}."
        return await self.console.then(session, "/faults", {"message": told})

    def _faults(self, request: Request) -> dict[str, Any]:
        """What the faults page shows: a page of rules (searched) and the add form."""
        rules = self.panel.faults.list()
        page = paged(
            rules,
            request.query_params,
            lambda r: (r.id, r.operation, r.login or "", r.key_id or "", r.describe()),
        )
        return {"rules": page, "every": len(rules), "fields": FAULT_FIELDS}

    async def clear_fault(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        rule_id = int(request.path_params["rule_id"])
        gone = await asyncio.to_thread(self.panel.faults.clear, rule_id)
        told = f"Rule {rule_id} cleared." if gone else f"Rule {rule_id} was gone already."
        return await self.console.then(session, "/faults", {"message": told})

    async def clear_faults(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        gone = await asyncio.to_thread(self.panel.faults.clear)
        told = f"Every rule cleared ({gone}): every operation runs as usual."
        return await self.console.then(session, "/faults", {"message": told})

    # -- snapshots --------------------------------------------------------------------

    async def snapshots(self, request: Request, session: Session, admin: Identity) -> Response:
        return await self.console.form_page(request, session, "snapshots.html", self._snapshots)

    async def save_snapshot(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        name = form.get("name", "").strip()
        try:
            made = await asyncio.to_thread(self.panel.snapshots.save, name)
        except PanelkeyError as exc:
            return await self.console.form_page(
                request, session, "snapshots.html", self._snapshots, str(exc), form
            )
        told = f"Snapshot {made.name!r} saved: {made.rows} rows in {made.seconds:.2f} s."
        return await self.console.then(session, "/snapshots", {"message": told})

    def _snapshots(self, request: Request) -> dict[str, Any]:
        """What the snapshots page shows: a page of snapshots (searched)."""
        listing = self.panel.snapshots.list()
        page = paged(listing, request.query_params, lambda s: (s.name,))
        return {"snapshots": page, "every": len(listing)}

    async def restore(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        name = request.path_params["name"]
        try:
            done = await asyncio.to_thread(self.panel.snapshots.restore, name)
            await asyncio.to_thread(self.console.keep_secret)
        except PanelkeyError as exc:
            return self.console.error(str(exc), 404, session)
        told = f"The store is back as snapshot {name!r} saved it ({done.seconds:.2f} s)."
        return await self.console.then(session, "/snapshots", {"message": told})

    async def delete_snapshot(
        self, request: Request, session: Session, admin: Identity, form: dict[str, str]
    ) -> Response:
        name = request.path_params["name"]
        gone = await asyncio.to_thread(self.panel.snapshots.delete, name)
        told = f"Snapshot {name!r} deleted." if gone else f"No snapshot {name!r}."
        return await self.console.then(session, "/snapshots", {"message": told})
