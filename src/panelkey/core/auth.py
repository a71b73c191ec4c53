"""Verification of keys and passwords, with caches that every write can empty.

A key check on the hot path is one SHA-256, one dict lookup and an address test.
What is cached is only ever derived from the store, and every write that could
change an answer (a key deleted, an account disabled, deleted or given a new
password) empties the caches: here at once, in other processes through the
store's change feed. A generation counter keeps a lookup that raced with such a
write from putting a stale answer back.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import threading
import time
from typing import Any

from panelkey.core.accounts import Accounts
from panelkey.core.addresses import AllowList
from panelkey.core.audit import AUTH_FAILED, Audit
from panelkey.core.clock import iso
from panelkey.core.identity import Identity, Reason, Refused, Verdict, Verified
from panelkey.core.keys import Keys, digest, split_addresses
from panelkey.core.passwords import check_password
from panelkey.store.database import ChangeWatcher

log = logging.getLogger("panelkey.auth")

# The key cache is keyed by the SHA-256 of the value exactly as presented (no trimming or
# lower-casing on the hot path); the store lookup normalises, so every form still works.
_sha256 = hashlib.sha256
_CACHE_LIMIT = 100_000  # entries per cache; past it the cache starts again, bounded memory


def _password_cache_key(login: str, password: str) -> bytes:
    return _sha256(f"{login.lower()}\0{password}".encode()).digest()


class SiblingCounter:
    """A counter in shared memory, made before a server forks its workers. A worker that
    writes bumps it; the others see the bump on their next request and drop their caches,
    so workers of one server agree at once whatever the store's own feed does."""

    def __init__(self) -> None:
        self._value = multiprocessing.RawValue("q", 0)
        self._lock = multiprocessing.Lock()
        self._seen = 0

    def bump(self) -> None:
        with self._lock:
            self._value.value += 1
            self._seen = self._value.value

    def changed(self) -> bool:
        value = self._value.value  # an aligned 64-bit read: atomic, no lock needed
        if value == self._seen:
            return False
        self._seen = value
        return True


class _KeyEntry:
    """A cached key: its allow list and its two possible answers, made once."""

    __slots__ = ("key_id", "allow", "verified", "refused_address")

    def __init__(self, key_id: int, allow: AllowList, identity: Identity, active: bool) -> None:
        self.key_id = key_id
        self.allow = allow
        self.verified: Verdict = (
            Verified(identity, key_id) if active else Refused(Reason.OWNER_DISABLED, key_id)
        )
        self.refused_address = Refused(Reason.ADDRESS_NOT_ALLOWED, key_id)


class Authenticator:
    def __init__(self, accounts: Accounts, keys: Keys, audit: Audit) -> None:
        self._accounts = accounts
        self._keys = keys
        self._audit = audit
        self._key_cache: dict[bytes, _KeyEntry] = {}
        self._password_cache: dict[bytes, Identity] = {}
        self._generation = 0
        self._lock = threading.Lock()
        self._usage: dict[int, tuple[float, str]] = {}
        self.watcher: ChangeWatcher | None = None
        self.siblings: SiblingCounter | None = None
        self._poll_at = 0.0

    # -- caches ---------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget everything cached; called on every relevant write, local or remote."""
        with self._lock:
            self._generation += 1
            self._key_cache = {}
            self._password_cache = {}

    def written(self) -> None:
        """This process changed who may authenticate: forget, and tell sibling workers."""
        self.invalidate()
        if self.siblings is not None:
            self.siblings.bump()

    def _poll(self) -> None:
        # Inlined checks first: this runs on every request, and the calls cost more than
        # the work when nothing changed.
        watcher = self.watcher
        if watcher is not None:
            now = time.monotonic()
            if now >= self._poll_at:
                self._poll_at = now + watcher.INTERVAL
                watcher.poll()
        siblings = self.siblings
        if siblings is not None and siblings.changed():
            self.invalidate()

    def _remember(
        self, cache: dict[Any, Any], generation: int, key: bytes | str, value: object
    ) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = value

    # -- keys -----------------------------------------------------------------------

    def check_key_cached(self, value: str, address: str) -> Verdict | None:
        """The fast path: an answer from the cache, or None when the store must be asked."""
        self._poll()
        entry = self._key_cache.get(_sha256(value.encode()).digest())
        if entry is None:
            return None
        return self._judge(entry, address)

    def _judge(self, entry: _KeyEntry, address: str) -> Verdict:
        allow = entry.allow
        if address not in allow.exact and not allow.allows(address):
            return entry.refused_address
        verdict = entry.verified
        if verdict.__class__ is Verified:
            self._usage[entry.key_id] = (time.time(), address)
        return verdict

    def check_key(self, value: str, address: str) -> Verdict:
        """The full check: the cache, else the store. Does no audit."""
        cached = self.check_key_cached(value, address)
        if cached is not None:
            return cached
        generation = self._generation
        found = self._keys.lookup(value)
        if found is None:
            return Refused(Reason.UNKNOWN_KEY)
        key_id, stored, owner, active = found
        entry = _KeyEntry(key_id, AllowList.compile(split_addresses(stored)), owner, active)
        cache_key = _sha256(value.encode()).digest()
        self._remember(self._key_cache, generation, cache_key, entry)
        return self._judge(entry, address)

    def verify_key(self, value: str, address: str, face: str) -> Verdict:
        """`check_key`, and a refusal written to the audit log with its real reason."""
        verdict = self.check_key(value, address)
        if isinstance(verdict, Refused):
            self.refused(verdict, face=face, address=address, detail=f"key {digest(value)[:12]}")
        return verdict

    # -- passwords ------------------------------------------------------------------

    def check_password_cached(self, login: str, password: str) -> Verdict | None:
        """The fast path for a login and password: a verified pair from the cache, or None
        when the store and the slow hash must be asked."""
        self._poll()
        identity = self._password_cache.get(_password_cache_key(login, password))
        return None if identity is None else Verified(identity)

    def check_password(self, login: str, password: str) -> Verdict:
        """A login and password. A verified pair is cached under a digest of both, so the
        slow hash runs once per pair until a change empties the cache."""
        cached = self.check_password_cached(login, password)
        if cached is not None:
            return cached
        if "\x00" in login or "\x00" in password:
            return Refused(Reason.UNKNOWN_LOGIN)  # no store can even look such a login up
        cache_key = _password_cache_key(login, password)
        generation = self._generation
        account = self._accounts.by_login(login)
        if account is None:
            return Refused(Reason.UNKNOWN_LOGIN)
        stored = self._accounts.password_hash(account.id)
        if stored is None or not check_password(stored, password):
            return Refused(Reason.WRONG_PASSWORD)
        if not account.active:
            return Refused(Reason.ACCOUNT_DISABLED)
        identity = account.identity()
        self._remember(self._password_cache, generation, cache_key, identity)
        return Verified(identity)

    def verify_password(self, login: str, password: str, address: str, face: str) -> Verdict:
        verdict = self.check_password(login, password)
        if isinstance(verdict, Refused):
            self.refused(verdict, face=face, address=address, actor=login)
        return verdict

    # -- refusals and usage -----------------------------------------------------------

    def refused(
        self, verdict: Refused, *, face: str, address: str, actor: str = "", detail: str = ""
    ) -> None:
        log.warning(
            "refused: reason=%s face=%s ip=%s key_id=%s %s",
            verdict.reason.value,
            face,
            address,
            verdict.key_id,
            detail,
        )
        self._audit.record(
            AUTH_FAILED,
            face=face,
            actor=actor.replace("\x00", "?"),
            source_ip=address,
            key_id=verdict.key_id,
            reason=verdict.reason.value,
            detail=detail,
        )

    def flush_usage(self) -> None:
        """Write the last-used time and address of keys used since the last flush."""
        usage, self._usage = self._usage, {}
        if usage:
            self._keys.record_usage({k: (iso(at), ip) for k, (at, ip) in usage.items()})
