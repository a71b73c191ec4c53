"""On/off states of the server's catalogue entries (PHP handlers, locales), kept in
`panel.properties` under the server's object 0: `(kind, 0, name) -> "disabled"` for an
entry turned off; an entry without a row is on. A change is one `<kind>_update` event.
"""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.identity import Identity
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

SERVER = 0  # the object the server's own properties hang on
DISABLED, ENABLED = "disabled", "enabled"


def disabled(properties: Properties, kind: str) -> set[str]:
    """The names of `kind` turned off."""
    return {n for n, v in properties.get(kind, SERVER).items() if v == DISABLED}


def is_disabled(conn: sa.Connection, kind: str, name: str) -> bool:
    """Whether `name` of `kind` is off, read in `conn`'s transaction."""
    p = tables.properties
    q = sa.select(p.c.value).where(p.c.kind == kind, p.c.object_id == SERVER, p.c.name == name)
    return conn.execute(q).scalar() == DISABLED


def switch(
    db: Database, properties: Properties, kind: str, name: str, on: bool, actor: Identity
) -> None:
    """Turn `name` of `kind` on or off, with its event, in one transaction."""
    old, new = (DISABLED, ENABLED) if on else (ENABLED, DISABLED)
    with db.begin() as conn:
        properties.set(kind, SERVER, {name: new}, conn=conn)
        events.record(
            conn,
            kind,
            events.UPDATE,
            obj_name=name,
            actor=actor,
            old={"status": old},
            new={"status": new},
        )
