"""Custom buttons (XML ui/create-custombutton and friends), kept as given.

A button belongs to an account: the admin's, a reseller's or a customer's. The
admin reaches every button, others those of accounts they manage. Its properties are
Plesk's CBProps; its URL components (CBUrlComponents: which of the site's and the
clicker's details the button's URL carries) are kept beside them and answered back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.accounts.accounts import Account, Accounts
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database

BUTTON_NOT_FOUND = "Custom button does not exist"
# Properties a button keeps, in Plesk's order (CBProps: text last); values are text.
PROPERTIES = (
    "sort_key",
    "conhelp",
    "file",
    "public",
    "internal",
    "noframe",
    "place",
    "url",
    "text",
)
# CBUrlComponents, in Plesk's order: which details the button's URL carries.
URL_COMPONENTS = (
    "dom_id",
    "dom_name",
    "ftp_user",
    "ftp_pass",
    "cl_id",
    "cname",
    "pname",
    "email",
)
_URL_KEY = "url-components"  # where the components sit in the stored JSON
PLACES = ("admin", "reseller", "client", "domain", "navigation", "")


@dataclass(frozen=True, slots=True)
class Button:
    id: int
    owner_id: int
    properties: dict[str, str]
    url_components: dict[str, str] = field(default_factory=dict)


def _button(button_id: int, owner_id: int, stored: str) -> Button:
    data = json.loads(stored)
    components = data.pop(_URL_KEY, {})
    return Button(button_id, owner_id, data, components)


class Buttons:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._accounts = accounts

    def create(
        self,
        actor: Identity,
        owner: Account,
        properties: dict[str, str],
        url_components: dict[str, str] | None = None,
    ) -> Button:
        """A new button of `owner`. Raises PermissionDenied (owner not managed by the
        actor), InvalidValue (no text, unknown place, property or URL component)."""
        if not self._accounts.can_manage(actor, owner):
            raise PermissionDenied("Permission denied.")
        unknown = set(properties) - set(PROPERTIES)
        if unknown:
            raise InvalidValue(f"Unknown button property: {sorted(unknown)[0]}")
        if not properties.get("text", "").strip():
            raise InvalidValue("A custom button needs a text")
        if properties.get("place", "") not in PLACES:
            raise InvalidValue(f"Invalid place: {properties['place']!r}")
        components = url_components or {}
        strange = set(components) - set(URL_COMPONENTS)
        if strange:
            raise InvalidValue(f"Unknown URL component: {sorted(strange)[0]}")
        kept = {k: properties[k] for k in PROPERTIES if k in properties}
        parts = {k: components[k] for k in URL_COMPONENTS if k in components}
        stored = {**kept, _URL_KEY: parts} if parts else kept
        with self._db.begin() as conn:
            new_id = insert(
                conn, tables.custom_buttons, owner_id=owner.id, properties=json.dumps(stored)
            )
            events.record(
                conn, "custom_button", events.CREATE, new_id, kept["text"], actor, new=kept
            )
        return Button(new_id, owner.id, kept, parts)

    def list(self, actor: Identity, owner_id: int | None = None) -> list[Button]:
        """Buttons the actor reaches, oldest first, of one owner when given."""
        b = tables.custom_buttons
        q = sa.select(b.c.id, b.c.owner_id, b.c.properties).order_by(b.c.id)
        if owner_id is not None:
            q = q.where(b.c.owner_id == owner_id)
        with self._db.read() as conn:
            rows = conn.execute(q).all()
        reachable = {a.id for a in self._accounts.visible(actor, self._accounts.list())}
        return [_button(r.id, r.owner_id, r.properties) for r in rows if r.owner_id in reachable]

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
                conn, "custom_button", events.DELETE, found.id, found.properties.get("text", ""),
                actor,
                old=found.properties,
            )  # fmt: skip
