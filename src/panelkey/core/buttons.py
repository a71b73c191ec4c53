"""Custom buttons (XML ui/create-custombutton and friends), kept as given.

A button belongs to an account: the admin's, a reseller's or a customer's. The
admin reaches every button, others those of accounts they manage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts import Account, Accounts
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database

BUTTON_NOT_FOUND = "Custom button does not exist"
# Properties a button keeps, in Plesk's order; values are text.
PROPERTIES = (
    "file",
    "internal",
    "noframe",
    "place",
    "sort_key",
    "text",
    "url",
    "conhelp",
    "public",
)
PLACES = ("admin", "reseller", "client", "domain", "navigation", "")


@dataclass(frozen=True, slots=True)
class Button:
    id: int
    owner_id: int
    properties: dict[str, str]


class Buttons:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._accounts = accounts

    def create(self, actor: Identity, owner: Account, properties: dict[str, str]) -> Button:
        """A new button of `owner`. Raises PermissionDenied (owner not managed by the
        actor), InvalidValue (no text, unknown place or property)."""
        if not self._accounts.can_manage(actor, owner):
            raise PermissionDenied("Permission denied.")
        unknown = set(properties) - set(PROPERTIES)
        if unknown:
            raise InvalidValue(f"Unknown button property: {sorted(unknown)[0]}")
        if not properties.get("text", "").strip():
            raise InvalidValue("A custom button needs a text")
        if properties.get("place", "") not in PLACES:
            raise InvalidValue(f"Invalid place: {properties['place']!r}")
        kept = {k: properties[k] for k in PROPERTIES if k in properties}
        with self._db.begin() as conn:
            new_id = conn.execute(
                tables.custom_buttons.insert().values(
                    owner_id=owner.id, properties=json.dumps(kept), created=iso()
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            events.record(
                conn,
                "custom_button",
                events.CREATE,
                obj_id=int(new_id),
                obj_name=kept["text"],
                actor=actor,
                new=kept,
            )
        return Button(int(new_id), owner.id, kept)

    def list(self, actor: Identity, owner_id: int | None = None) -> list[Button]:
        """Buttons the actor reaches, oldest first, of one owner when given."""
        b = tables.custom_buttons
        q = sa.select(b.c.id, b.c.owner_id, b.c.properties).order_by(b.c.id)
        if owner_id is not None:
            q = q.where(b.c.owner_id == owner_id)
        with self._db.read() as conn:
            rows = conn.execute(q).all()
        reachable = {a.id for a in self._accounts.visible(actor, self._accounts.list())}
        return [
            Button(r.id, r.owner_id, json.loads(r.properties))
            for r in rows
            if r.owner_id in reachable
        ]

    def get(self, actor: Identity, button_id: int) -> Button | None:
        return next((b for b in self.list(actor) if b.id == button_id), None)

    def delete(self, actor: Identity, button_id: int) -> None:
        """Raises NotFound ("Custom button does not exist") for one the actor cannot reach."""
        found = self.get(actor, button_id)
        if found is None:
            raise NotFound(BUTTON_NOT_FOUND)
        with self._db.begin() as conn:
            conn.execute(
                tables.custom_buttons.delete().where(tables.custom_buttons.c.id == found.id)
            )
            events.record(
                conn,
                "custom_button",
                events.DELETE,
                obj_id=found.id,
                obj_name=found.properties.get("text", ""),
                actor=actor,
                old=found.properties,
            )
