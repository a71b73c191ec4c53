"""Console sessions and CSRF tokens, signed with a secret kept in the store.

A session cookie carries the admin's id, an expiry, a nonce and a fingerprint of the
admin's password hash, signed with HMAC-SHA256: changing the password ends every
session. A CSRF token is an HMAC of the session's nonce, so a form from another site
cannot carry one. Nothing is kept server-side; every worker and server agrees.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

SESSION_COOKIE = "pk_console"
LOGIN_COOKIE = "pk_console_login"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Session:
    account_id: int
    nonce: str
    expires: int
    fingerprint: str


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def session_cookie(self, account_id: int, password_hash: str) -> str:
        payload = {
            "a": account_id,
            "n": secrets.token_urlsafe(16),
            "e": int(time.time()) + SESSION_SECONDS,
            "f": fingerprint(password_hash),
        }
        text = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        return f"{text}.{self._mac('session:' + text)}"

    def read_session(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, or None when absent, forged or expired."""
        if not cookie or "." not in cookie:
            return None
        text, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac("session:" + text)):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(text.encode()))
            session = Session(int(payload["a"]), str(payload["n"]), int(payload["e"]), payload["f"])
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires > time.time() else None

    def csrf(self, nonce: str) -> str:
        return self._mac("csrf:" + nonce)

    def csrf_ok(self, nonce: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(nonce), token or "")
