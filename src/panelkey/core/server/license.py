"""Plesk license keys: the main key, the main key it replaced, additional keys.

Every face reads and writes the same rows: REST `POST /server/license` and XML
`server/lic_install` install; XML `server/get` (section `key`), `get_additional_key` and
`lic_get_info` read. A key's text is never kept, only its SHA-256 digest and what
panelkey reads of a Plesk key file (its number and version, expiry date, product): a
key given by its activation code alone stands for the key the code activates, since
panelkey fetches nothing from Plesk's licensing server.

States: `current` (in use), `previous` (the main key the current one replaced: what
`rollback` brings back) and `removed` (an additional key taken off; it stays linked to
the main key it was installed under, and `retrieve` puts it back while that main key is
in use, as Plesk's licensing server would hand it out again).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.core.text import MAX_TEXT, fits
from panelkey.store import tables
from panelkey.store.database import Database

CURRENT, PREVIOUS, REMOVED = "current", "previous", "removed"
KEY_NOT_FOUND = "License key does not exist"
NO_PREVIOUS_KEY = "There is no previous license key to roll back to"
EVENT_CLASS = "license"
# What a Plesk key file says of itself, element by element (any namespace prefix).
_FIELD = r"<(?:[\w.-]+:)?{tag}\b[^>]*>\s*([^<]*?)\s*</(?:[\w.-]+:)?{tag}>"
_NUMBER = re.compile(_FIELD.format(tag="key-number"))
_VERSION = re.compile(_FIELD.format(tag="key-version"))
_EXPIRES = re.compile(_FIELD.format(tag="expiration-date"))
_PRODUCT = re.compile(_FIELD.format(tag="product"))
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_K = tables.license_keys


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """What panelkey reads of a key's text: never the text itself."""

    key_id: str
    name: str
    lim_date: str  # YYYYMMDD, or "" for no expiry
    digest: str


def read_key(text: bytes) -> KeyFacts:
    """The facts of a key: a Plesk key file (XML) gives its number (`PLSK.01234567.0001`),
    expiry date and product; any other text is named by its digest (`PK.` and its head).
    Raises InvalidValue for an empty key."""
    body = text.strip()
    if not body:
        raise InvalidValue("The license key is empty")
    digest = hashlib.sha256(body).hexdigest()
    shown = body.decode("utf-8", "replace")
    number = _NUMBER.search(shown)
    if number is None or not number.group(1):
        return KeyFacts("PK." + digest[:12], "", "", digest)
    version = _VERSION.search(shown)
    key_id = number.group(1) + (f".{version.group(1)}" if version and version.group(1) else "")
    expires = _EXPIRES.search(shown)
    date = _DATE.match(expires.group(1)) if expires else None
    product = _PRODUCT.search(shown)
    return KeyFacts(
        key_id[:64],
        (product.group(1) if product else "")[:MAX_TEXT],
        "".join(date.groups()) if date else "",
        digest,
    )


@dataclass(frozen=True, slots=True)
class InstalledKey:
    """One key as the store keeps it."""

    key_id: str
    digest: str
    code: str
    additional: bool
    name: str
    state: str
    linked_to: str
    instance_id: str
    lim_date: str
    installed: str
    updated: str

    @property
    def full_name(self) -> str:
        """Plesk's name of an additional key: `<key number>/<key name>`."""
        return f"{self.key_id}/{self.name or 'additional'}"

    def named(self, name: str) -> bool:
        """Whether `name` (`number/name`, or the number alone) names this key."""
        wanted = name.strip().lower()
        return wanted in (self.full_name.lower(), self.key_id.lower())


def _key(row: Any) -> InstalledKey:
    return InstalledKey(
        row.key_id,
        row.digest,
        row.code,
        bool(row.additional),
        row.name,
        row.state,
        row.linked_to,
        row.instance_id,
        row.lim_date,
        row.installed,
        row.updated,
    )


class Licenses:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ------------------------------------------------------------------------

    def _rows(self, conn: sa.Connection, *where: Any) -> list[InstalledKey]:
        return [_key(r) for r in conn.execute(sa.select(_K).where(*where).order_by(_K.c.id))]

    def keys(self) -> list[InstalledKey]:
        """The keys in use: the main key first (none while panelkey's own stands), then
        the additional keys, oldest first."""
        with self._db.read() as conn:
            found = self._rows(conn, _K.c.state == CURRENT)
        return [k for k in found if not k.additional] + [k for k in found if k.additional]

    def main(self) -> InstalledKey | None:
        """The main key installed, or None while panelkey's own stands."""
        return next((k for k in self.keys() if not k.additional), None)

    def newest(self) -> InstalledKey | None:
        """The key in use installed last, main or additional, or None."""
        found = self.keys()
        return max(found, key=lambda k: (k.installed, k.key_id)) if found else None

    def additional(
        self, actor: Identity, names: list[str] | None = None
    ) -> list[tuple[str, InstalledKey | None]]:
        """(name, key) for each of `names` (None where no additional key in use has it),
        or every additional key in use when `names` is empty or None. Raises
        PermissionDenied (not the admin)."""
        require_admin(actor)
        return self._additional(names)

    def _additional(self, names: list[str] | None) -> list[tuple[str, InstalledKey | None]]:
        found = [k for k in self.keys() if k.additional]
        if not names:
            return [(k.full_name, k) for k in found]
        return [(n, next((k for k in found if k.named(n)), None)) for n in names]

    def describe(self, actor: Identity, text: bytes) -> tuple[KeyFacts, InstalledKey | None]:
        """What a key's text is, and the key in use with that text if any (nothing is
        installed). Raises PermissionDenied (not the admin), InvalidValue (empty)."""
        require_admin(actor)
        facts = read_key(text)
        same = next((k for k in self.keys() if k.digest == facts.digest), None)
        return facts, same

    # -- writing ------------------------------------------------------------------------

    def install(
        self,
        actor: Identity,
        text: bytes,
        *,
        code: str = "",
        additional: bool = False,
        instance_id: str = "",
    ) -> InstalledKey:
        """Install a key (its text, or its activation code standing for it). A new main
        key replaces the one in use, which is kept as the previous key; an additional key
        replaces the one of the same number. Raises PermissionDenied (not the admin),
        InvalidValue (empty key, code or instance id too long)."""
        require_admin(actor)
        if not fits(code) or not fits(instance_id):
            raise InvalidValue("Invalid license code")
        facts = read_key(text)
        now = iso()
        with self._db.begin() as conn:
            main = self._rows(conn, _K.c.state == CURRENT, _K.c.additional.is_(False))
            if additional:
                conn.execute(
                    _K.delete().where(_K.c.additional.is_(True), _K.c.key_id == facts.key_id)
                )
                linked = main[0].key_id if main else ""
            else:
                conn.execute(_K.delete().where(_K.c.state == PREVIOUS))
                conn.execute(
                    _K.update()
                    .where(_K.c.state == CURRENT, _K.c.additional.is_(False))
                    .values(state=PREVIOUS)
                )
                linked = ""
            conn.execute(
                _K.insert().values(
                    key_id=facts.key_id,
                    digest=facts.digest,
                    code=code,
                    additional=additional,
                    name=(facts.name or "additional") if additional else facts.name,
                    state=CURRENT,
                    linked_to=linked,
                    instance_id=instance_id,
                    lim_date=facts.lim_date,
                    installed=now,
                    updated="",
                )
            )
            (made,) = self._rows(conn, _K.c.state == CURRENT, _K.c.key_id == facts.key_id)[-1:]
            self._event(conn, actor, made.key_id, {"key_id": made.key_id, "code": code})
        return made

    def update(self, actor: Identity, key_id: str) -> InstalledKey:
        """Take the newest version of a key in use (Plesk asks its licensing server;
        panelkey marks the key updated today). Raises PermissionDenied, NotFound."""
        require_admin(actor)
        with self._db.begin() as conn:
            found = self._rows(conn, _K.c.state == CURRENT, _K.c.key_id == key_id.strip())
            if not found:
                raise NotFound(KEY_NOT_FOUND)
            conn.execute(
                _K.update()
                .where(_K.c.state == CURRENT, _K.c.key_id == found[0].key_id)
                .values(updated=iso())
            )
            self._event(conn, actor, found[0].key_id, {"updated": "true"})
        return found[0]

    def renew_additional(
        self, actor: Identity, names: list[str] | None
    ) -> list[tuple[str, InstalledKey | None]]:
        """Renew the additional keys named (all of them when none is): each found is
        marked updated now. (name, key or None when unknown) for each."""
        require_admin(actor)
        picked = self._additional(names)
        with self._db.begin() as conn:
            for _, key in picked:
                if key is not None:
                    conn.execute(
                        _K.update()
                        .where(_K.c.state == CURRENT, _K.c.key_id == key.key_id)
                        .values(updated=iso())
                    )
                    self._event(conn, actor, key.key_id, {"updated": "true"})
        return picked

    def remove_additional(self, actor: Identity, names: list[str] | None) -> list[InstalledKey]:
        """Take additional keys off (all of them when no name is given); they stay
        linked to their main key. Raises PermissionDenied, NotFound when a name is
        unknown (nothing is removed then)."""
        require_admin(actor)
        picked = self._additional(names)
        missing = next((n for n, k in picked if k is None), None)
        if missing is not None:
            raise NotFound(KEY_NOT_FOUND)
        keys = [k for _, k in picked if k is not None]
        with self._db.begin() as conn:
            for key in keys:
                conn.execute(
                    _K.update()
                    .where(_K.c.state == CURRENT, _K.c.key_id == key.key_id)
                    .values(state=REMOVED)
                )
                self._event(conn, actor, key.key_id, {"state": REMOVED}, events.DELETE)
        return keys

    def retrieve(self, actor: Identity) -> list[InstalledKey]:
        """Put back the additional keys linked to the main key in use that were removed
        (what Plesk's licensing server would hand out again). Raises PermissionDenied."""
        require_admin(actor)
        with self._db.begin() as conn:
            main = self._rows(conn, _K.c.state == CURRENT, _K.c.additional.is_(False))
            linked = main[0].key_id if main else ""
            back = self._rows(conn, _K.c.state == REMOVED, _K.c.linked_to == linked)
            for key in back:
                conn.execute(
                    _K.update()
                    .where(_K.c.state == REMOVED, _K.c.key_id == key.key_id)
                    .values(state=CURRENT)
                )
                self._event(conn, actor, key.key_id, {"state": CURRENT})
        return back

    def rollback(self, actor: Identity) -> InstalledKey | None:
        """Swap the main key in use and the previous one: the key in use afterwards, or
        None when that is panelkey's own (the first key installed was rolled back).
        Raises PermissionDenied, NotFound when no key was ever replaced."""
        require_admin(actor)
        with self._db.begin() as conn:
            main = self._rows(conn, _K.c.state == CURRENT, _K.c.additional.is_(False))
            previous = self._rows(conn, _K.c.state == PREVIOUS)
            if not main and not previous:
                raise NotFound(NO_PREVIOUS_KEY)
            conn.execute(
                _K.update()
                .where(_K.c.state == CURRENT, _K.c.additional.is_(False))
                .values(state="swapping")
            )
            conn.execute(_K.update().where(_K.c.state == PREVIOUS).values(state=CURRENT))
            conn.execute(_K.update().where(_K.c.state == "swapping").values(state=PREVIOUS))
            back = previous[0] if previous else None
            self._event(conn, actor, back.key_id if back else "", {"rollback": "true"})
        return back

    @staticmethod
    def _event(
        conn: sa.Connection,
        actor: Identity,
        key_id: str,
        new: dict[str, str],
        what: str = events.UPDATE,
    ) -> None:
        events.record(conn, EVENT_CLASS, what, obj_name=key_id, actor=actor, new=new)
