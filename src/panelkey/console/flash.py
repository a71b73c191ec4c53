"""A message for the next page only (POST-redirect-GET), bound to one console session.

The key value a form made must survive exactly one redirect and never sit in a URL or in
clear anywhere. So the message is sealed with AES-GCM under a fresh random key: the store
keeps the sealed text (in `meta`, so every worker and every server on the store finds it),
a cookie keeps the key and the row's name. Either half alone yields nothing; the session's
nonce is the seal's associated data, so another session's cookie opens nothing; reading
deletes the row, so a reload shows nothing; unread rows die after `FLASH_SECONDS`.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from panelkey.store import tables
from panelkey.store.database import Database

FLASH_COOKIE = "pk_console_flash"
FLASH_SECONDS = 120
_PREFIX = "console_flash:"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Flashes:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._meta = tables.meta

    def put(self, nonce: str, message: dict[str, Any], now: float | None = None) -> str:
        """Keep `message` sealed for the session of `nonce`; returns the cookie's value."""
        moment = int(time.time() if now is None else now)
        name = f"{_PREFIX}{moment + FLASH_SECONDS:010d}:{secrets.token_urlsafe(12)}"
        key, iv = AESGCM.generate_key(bit_length=256), secrets.token_bytes(12)
        sealed = AESGCM(key).encrypt(iv, json.dumps(message).encode(), nonce.encode())
        m = self._meta
        with self._db.begin() as conn:
            # Unread flashes of closed tabs go here, on the next write, not in a sweeper.
            stale = f"{_PREFIX}{moment:010d}"
            conn.execute(m.delete().where(m.c.name.like(_PREFIX + "%"), m.c.name < stale))
            conn.execute(m.insert().values(name=name, value=_b64(iv + sealed)))
        return f"{name[len(_PREFIX) :]}.{_b64(key)}"

    def take(self, nonce: str, cookie: str | None, now: float | None = None) -> dict[str, Any]:
        """The message the cookie opens, once; {} when absent, expired, taken or foreign."""
        if not cookie or "." not in cookie:
            return {}
        handle, _, key_text = cookie.rpartition(".")
        name = _PREFIX + handle
        expires = handle.partition(":")[0]
        if not expires.isdigit() or int(expires) < int(time.time() if now is None else now):
            return {}
        m = self._meta
        with self._db.begin() as conn:
            sealed = conn.execute(sa.select(m.c.value).where(m.c.name == name)).scalar()
            if sealed is None:
                return {}
            conn.execute(m.delete().where(m.c.name == name))
        try:
            data = _unb64(str(sealed))
            text = AESGCM(_unb64(key_text)).decrypt(data[:12], data[12:], nonce.encode())
            found = json.loads(text)
        except (InvalidTag, ValueError):
            return {}
        return found if isinstance(found, dict) else {}
