"""Plesk's miscellaneous server parameters (server/set_misc, get_misc, del_misc): free
name/value pairs the admin keeps on the server (kind `misc`). Plesk keeps its own
internal settings in the same table; panelkey has only those a client set.
"""

from __future__ import annotations

from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database

KIND, OBJECT = "misc", 0
MISC_NOT_FOUND = "Parameter does not exist"
NAME_LIMIT = 128  # the properties table's
_P = tables.properties


def check_name(name: str) -> str:
    """A parameter's name, or InvalidValue (empty, too long, a control character)."""
    if not isinstance(name, str) or not name or len(name) > NAME_LIMIT:
        raise InvalidValue(f"Invalid parameter name: {name!r}")
    if any(ord(c) < 32 for c in name):
        raise InvalidValue(f"Invalid parameter name: {name!r}")
    return name


class Misc:
    def __init__(self, db: Database, properties: Properties) -> None:
        self._db = db
        self._properties = properties

    def get(self, actor: Identity, name: str) -> str:
        """A parameter's value. Raises PermissionDenied, NotFound (not set)."""
        require_admin(actor)
        value = self._properties.get(KIND, OBJECT).get(name)
        if value is None:
            raise NotFound(MISC_NOT_FOUND)
        return value

    def set(self, actor: Identity, values: list[tuple[str, str]]) -> None:
        """Set each (name, value), or none (every name is checked first). Raises
        PermissionDenied, InvalidValue."""
        require_admin(actor)
        checked = {check_name(n): v for n, v in values}
        self._properties.set(KIND, OBJECT, checked)

    def delete(self, actor: Identity, name: str) -> None:
        """Remove a parameter. Raises PermissionDenied, NotFound (not set)."""
        require_admin(actor)
        with self._db.begin() as conn:
            gone = conn.execute(
                _P.delete().where(_P.c.kind == KIND, _P.c.object_id == OBJECT, _P.c.name == name)
            ).rowcount
        if not gone:
            raise NotFound(MISC_NOT_FOUND)
