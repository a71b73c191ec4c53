"""The PHP handlers the server offers (core/server/catalogue.py), which of them are
enabled, and who uses each.

A handler is enabled until the admin disables it; the state is kept in
`panel.properties` (core/server/states.py, kind `php_handler`). As in Plesk, a disabled
handler cannot be chosen: a webspace or site naming it as `php_handler_id` is refused
(`refuse_disabled`, run by Subscriptions.writer in the write's own transaction), and a
handler that domains or plans still use cannot be disabled. panelkey runs no PHP: only
the state is kept.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.plans.plans import Plan, Plans
from panelkey.core.server import states
from panelkey.core.server.catalogue import PHP_HANDLERS
from panelkey.core.server.properties import Properties
from panelkey.store.database import Database

if TYPE_CHECKING:  # subscriptions runs `refuse_disabled`: no import at run time
    from panelkey.core.plans.subscriptions import Subscriptions

KIND = "php_handler"
NOT_FOUND = "Php handler does not exists"  # sic: Plesk's text, which clients match on
SETTING = "php_handler_id"  # the hosting setting that chooses a handler


@dataclass(frozen=True, slots=True)
class PhpHandler:
    id: str
    display_name: str
    full_version: str
    version: str
    type: str
    path: str
    clipath: str
    phpini: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class Usage:
    """Who chose a handler: domains (their effective hosting) and plans (their own)."""

    domains: builtins.list[Domain]
    plans: builtins.list[Plan]


def refuse_disabled(conn: sa.Connection, handler_id: str | None) -> None:
    """Raise InvalidValue (1019) when `handler_id` names a disabled handler."""
    if handler_id is not None and states.is_disabled(conn, KIND, handler_id.strip()):
        raise InvalidValue(f"The PHP handler {handler_id.strip()} is disabled")


class PhpHandlers:
    def __init__(
        self,
        db: Database,
        properties: Properties,
        domains: Domains,
        subscriptions: Subscriptions,
        plans: Plans,
    ) -> None:
        self._db = db
        self._properties = properties
        self._domains = domains
        self._subscriptions = subscriptions
        self._plans = plans

    def list(self) -> builtins.list[PhpHandler]:
        """Every handler of the catalogue, in its order, with its state."""
        off = states.disabled(self._properties, KIND)
        return [PhpHandler(*h, enabled=h[0] not in off) for h in PHP_HANDLERS]

    def find(self, handler_id: str) -> PhpHandler | None:
        found = [h for h in self.list() if h.id == handler_id.strip()]
        return found[0] if found else None

    def usage(self, actor: Identity, handler_id: str) -> Usage:
        """Domains whose effective hosting names the handler, and service plans and
        add-ons whose own hosting does. Raises PermissionDenied (the admin's), NotFound."""
        handler = self._known(actor, handler_id)
        domains = [
            d
            for d in self._domains.list(actor)
            if self._subscriptions.effective(d)["hosting"].get(SETTING) == handler.id
        ]
        plans = [
            p
            for kind in ("service", "addon")
            for p in self._plans.list(actor, kind)
            if self._plans.settings(p).get("hosting", {}).get(SETTING) == handler.id
        ]
        return Usage(domains, plans)

    def switch(self, actor: Identity, handler_id: str, on: bool) -> PhpHandler:
        """Enable or disable a handler (doing what is done already is no change).
        Raises PermissionDenied (the admin's), NotFound, and PanelkeyError (1023) for
        disabling a handler in use."""
        handler = self._known(actor, handler_id)
        if handler.enabled == on:
            return handler
        if not on:
            used = self.usage(actor, handler.id)
            if used.domains or used.plans:
                raise PanelkeyError(
                    f"The PHP handler {handler.id} is used by {len(used.domains)} domains "
                    f"and {len(used.plans)} plans and cannot be disabled"
                )
        states.switch(self._db, self._properties, KIND, handler.id, on, actor)
        found = self.find(handler.id)
        assert found is not None
        return found

    def _known(self, actor: Identity, handler_id: str) -> PhpHandler:
        if not actor.is_admin:
            raise PermissionDenied()
        found = self.find(handler_id)
        if found is None:
            raise NotFound(NOT_FOUND)
        return found
