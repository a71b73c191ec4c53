"""Verification of keys and passwords, with caches that every write can empty.

A key check on the hot path is one BLAKE2s digest, one dict lookup and an address test.
What is cached is only ever derived from the store, and every write that could
change an answer (a key deleted, an account disabled, deleted or given a new
password) empties the caches: here at once, in other processes through the
store's change feed. A generation counter keeps a lookup that raced with such a
write from putting a stale answer back.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from panelkey.core.access import passwords
from panelkey.core.access.addresses import AllowList
from panelkey.core.access.audit import AUTH_FAILED, SCOPE_DENIED, Audit
from panelkey.core.access.bound_limits import BoundLimit
from panelkey.core.access.hash_turns import HashTurns
from panelkey.core.access.keypolicy import Rate, Scope, expires_epoch
from panelkey.core.access.keys import KeyRecord, Keys, digest, split_addresses
from panelkey.core.access.passwords import check_nothing, check_password
from panelkey.core.access.rates import RateLimiter as RateLimiter
from panelkey.core.access.throttle import Lockout, Throttle
from panelkey.core.accounts.accounts import Accounts
from panelkey.core.clock import iso
from panelkey.core.errors import PermissionDenied, RateLimited
from panelkey.core.identity import Identity, Reason, Refused, Verdict, Verified, note
from panelkey.store.database import ChangeWatcher, Database

log = logging.getLogger("panelkey.auth")

# The key cache is keyed by a digest of the value exactly as presented (no trimming or
# lower-casing on the hot path); the store lookup normalises, so every form still works.
# BLAKE2s: kept in memory only, and for a short value Python's own BLAKE2s costs two
# thirds of OpenSSL's SHA-256 (its context made and freed through the EVP layer).
_digest = hashlib.blake2s
_CACHE_LIMIT = 100_000
_KEY_REASONS = frozenset(
    {Reason.UNKNOWN_KEY, Reason.ADDRESS_NOT_ALLOWED, Reason.OWNER_DISABLED, Reason.EXPIRED}
)  # entries per cache; past it the cache starts again, bounded memory


def _password_cache_key(login: str, password: str) -> bytes:
    return _digest(f"{login.lower()}\0{password}".encode()).digest()


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
    """A cached key: its allow list, expiry and possible answers, made once."""

    __slots__ = (
        "key_id", "label", "allow", "expires_at", "verified", "refused_address",
        "refused_expired",
    )  # fmt: skip

    def __init__(self, record: KeyRecord) -> None:
        key_id = record.id
        self.key_id = key_id
        self.label = f"key {key_id}"  # what the request journal shows, never the value
        self.allow = AllowList.compile(split_addresses(record.addresses))
        self.expires_at = expires_epoch(record.expires)
        owner = record.owner
        scope = Scope.stored(record.scope)
        identity = Identity(
            owner.account_id,
            owner.login,
            owner.type,
            owner.owner_id,
            key_id=key_id,
            scope=scope or None,
            rate=Rate.parse(record.rate),
        )
        self.verified: Verdict = (
            Verified(identity, key_id) if record.active else Refused(Reason.OWNER_DISABLED, key_id)
        )
        self.refused_address = Refused(Reason.ADDRESS_NOT_ALLOWED, key_id)
        self.refused_expired = Refused(Reason.EXPIRED, key_id)


_LOCKED = Refused(Reason.LOCKED_OUT)
_THROTTLED = Refused(Reason.LOCKED_OUT)  # the same reason, told apart by its detail


def _nothing(*_args: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class AuthCounters:
    """Whom the authenticator tells of what it decided: nobody by default; the server
    wires its metrics in (the core knows no metrics library)."""

    verified: Callable[[], None] = _nothing
    refused: Callable[[str, bool], None] = _nothing
    lockout: Callable[[], None] = _nothing


def _watch_blocked(auth: Authenticator, throttle: Throttle) -> None:
    # The key path holds the throttle's own dict (changed in place): follow a new one.
    auth._blocked = throttle.keys.blocked


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
        self._requests: dict[int, int] = {}
        self._refusals: dict[int, int] = {}
        self.store: Database = keys.db  # where the limits below count
        self._blocked: dict[str, float] = {}  # the key path's one look at the throttle
        self.limiter = RateLimiter()
        self.throttle = Throttle()
        self.lockout_delay = 0.2  # seconds before a locked-out attempt is answered
        self.hashing = HashTurns()  # the faces' password checks, a hash at a time
        self.watcher: ChangeWatcher | None = None
        self.siblings: SiblingCounter | None = None
        self._poll_at = 0.0
        self.counters = AuthCounters()

    # -- limits shared through the store (bound_limits.py, ledger.py) ------------------

    _throttle: Throttle  # what the two below hold
    _limiter: RateLimiter
    throttle = BoundLimit["Authenticator", Throttle](
        "The lockouts and the wrong-key throttle, counted in this core's store.",
        then=_watch_blocked,
    )
    limiter = BoundLimit["Authenticator", RateLimiter]("Key rates, counted in this core's store.")

    # -- caches ---------------------------------------------------------------------

    def invalidate(self, passwords: bool = True) -> None:
        """Forget what is cached; called on every relevant write, local or remote. A write
        of keys alone (`passwords` False) leaves the verified passwords: no key write
        changes an account, and a full password check costs a hundred milliseconds."""
        with self._lock:
            self._generation += 1
            self._key_cache = {}
            if passwords:
                self._password_cache = {}
        # A lockout lifted anywhere (`panelkey unlock`) reaches here through the feed.
        self._throttle.forget()

    def written(self, passwords: bool = True) -> None:
        """This process changed who may authenticate: forget, and tell sibling workers
        (which forget everything: the counter says that, not what)."""
        self.invalidate(passwords)
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
        """The fast path: an answer from the cache, or None when the store must be asked.
        A source throttled for wrong keys is refused before any hashing."""
        self._poll()
        blocked = self._blocked
        # An IPv4 address is its own bucket: others' keys pay one dict lookup.
        if (
            blocked
            and (address in blocked or ":" in address or len(address) > 15)
            and self._throttle.keys.throttled(address) is not None
        ):
            return _THROTTLED
        entry = self._key_cache.get(_digest(value.encode()).digest())
        if entry is None:
            return None
        return self._judge(entry, address)

    def _judge(self, entry: _KeyEntry, address: str) -> Verdict:
        allow = entry.allow
        if address not in allow.exact and not allow.allows(address):
            return entry.refused_address
        now = time.time()
        if entry.expires_at is not None and now >= entry.expires_at:
            return entry.refused_expired
        verdict = entry.verified
        if verdict.__class__ is Verified:
            key_id = entry.key_id
            self._usage[key_id] = (now, address)
            self._requests[key_id] = self._requests.get(key_id, 0) + 1
            note("credential", entry.label)
            self.counters.verified()
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
        entry = _KeyEntry(found)
        cache_key = _digest(value.encode()).digest()
        self._remember(self._key_cache, generation, cache_key, entry)
        return self._judge(entry, address)

    def verify_key(self, value: str, address: str, face: str) -> Verdict:
        """`check_key` behind the wrong-key throttle, counting unknown keys towards it,
        and a refusal written to the audit log with its real reason."""
        throttled = self._throttle.keys.locked(address)
        if throttled is not None:
            self.refused(_THROTTLED, face=face, address=address, detail=throttled.message)
            return _THROTTLED
        verdict = self.check_key(value, address)
        if isinstance(verdict, Refused):
            if verdict.reason is Reason.UNKNOWN_KEY:
                started = self._throttle.keys.failed(address)
                if started is not None:
                    log.warning(
                        "throttled: %s for %.0f s (face=%s)", started.what, started.seconds, face
                    )
            self.refused(verdict, face=face, address=address, detail=f"key {digest(value)[:12]}")
        return verdict

    async def key_verdict(self, value: str, address: str, face: str) -> Verdict:
        """The faces' key check after a cache miss: a throttled source is answered after
        `lockout_delay` (no CPU meanwhile, no lookup), anything else in a thread."""
        throttled = self._throttle.keys.throttled(address)
        if throttled is None:
            verdict = await asyncio.to_thread(self.verify_key, value, address, face)
            if verdict is not _THROTTLED:
                return verdict
        else:
            await self.refusal(_THROTTLED, face=face, address=address, detail=throttled.message)
        if self.lockout_delay > 0:
            await asyncio.sleep(self.lockout_delay)
        return _THROTTLED

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
            # The same argon2 work as a known login, so timing tells no login apart.
            check_nothing(password)
            return Refused(Reason.UNKNOWN_LOGIN)
        stored = self._accounts.password_hash(account.id)
        if stored is None:
            check_nothing(password)
            return Refused(Reason.WRONG_PASSWORD)
        if not check_password(stored, password):
            return Refused(Reason.WRONG_PASSWORD)
        if not account.active:
            return Refused(Reason.ACCOUNT_DISABLED)
        identity = account.identity()
        self._remember(self._password_cache, generation, cache_key, identity)
        return Verified(identity)

    def locked_out(self, login: str, address: str, *, fresh: bool = False) -> Lockout | None:
        """The lockout a password attempt for `login` from `address` meets, or None: the
        source's count, and the login's for sources it has (or has not) logged in from
        before. Neither the password nor any cache of it is looked at."""
        familiar = self._throttle.familiar.known(login, address)
        return self._throttle.locked(address, login, familiar, fresh=fresh)

    def locked_for(self, login: str, address: str) -> int:
        """Whole seconds `address` stays locked out for `login`; 0 when it is not."""
        found = self.locked_out(login, address)
        return 0 if found is None else math.ceil(found.seconds)

    def verify_password(self, login: str, password: str, address: str, face: str) -> Verdict:
        """`check_password` behind the lockout (read fresh from the store), counting wrong
        passwords towards it, with a refusal written to the audit log (repeats counted,
        see Audit.refusal). A right password makes `address` familiar for `login`."""
        familiar = self._throttle.familiar.known(login, address)
        locked = self._throttle.locked(address, login, familiar, fresh=True)
        if locked is not None:
            self.refused(_LOCKED, face=face, address=address, actor=login, detail=locked.message)
            return _LOCKED
        verdict = self.check_password(login, password)
        if isinstance(verdict, Verified):
            self._throttle.succeeded(address, login, familiar)
            self._throttle.familiar.seen(login, address)
        elif verdict.reason in (Reason.WRONG_PASSWORD, Reason.UNKNOWN_LOGIN):
            started = self._throttle.failed(address, login, familiar)
            if started is not None:
                self.counters.lockout()
                log.warning(
                    "locked out: %s for %.0f s after repeated wrong passwords (face=%s)",
                    started.what,
                    started.seconds,
                    face,
                )
        if isinstance(verdict, Refused):
            self.refused(verdict, face=face, address=address, actor=login)
        return verdict

    def submit_password(
        self, login: str, password: str, address: str, face: str
    ) -> Future[Verdict]:
        """`verify_password` in the hashing pool (core/access/passwords.py), never on the caller's
        thread: a flood of password checks waits there, not in front of key traffic.
        It runs in the caller's context, so that a refusal's reason reaches the journal."""
        context = contextvars.copy_context()
        return passwords.submit(context.run, self.verify_password, login, password, address, face)

    async def password_verdict(self, login: str, password: str, address: str, face: str) -> Verdict:
        """The faces' password check: the lockout first (answered after `lockout_delay`,
        which costs no CPU and holds a flood to the pace of its connections), then the
        cache of verified passwords, then the hashing pool at this worker's turn
        (hash_turns.py: familiar sources first, a bounded share while it is busy)."""
        self._poll()  # a lockout lifted elsewhere counts from this very request
        familiar = self._throttle.familiar.known(login, address)
        locked = self._throttle.locked(address, login, familiar)
        if locked is not None:
            if self.lockout_delay > 0:
                await asyncio.sleep(self.lockout_delay)
            await self.refusal(
                _LOCKED, face=face, address=address, actor=login, detail=locked.message
            )
            return _LOCKED
        cached = self.check_password_cached(login, password)
        if cached is not None:
            if not familiar:
                await asyncio.to_thread(self._throttle.familiar.seen, login, address)
            return cached
        async with self.hashing.turn(familiar):
            return await asyncio.wrap_future(self.submit_password(login, password, address, face))

    # -- refusals and usage -----------------------------------------------------------

    def refused(
        self, verdict: Refused, *, face: str, address: str, actor: str = "", detail: str = ""
    ) -> None:
        self._counted(verdict)
        written = self._audit.refusal(
            AUTH_FAILED,
            face=face,
            actor=actor.replace("\x00", "?"),
            source_ip=address,
            key_id=verdict.key_id,
            reason=verdict.reason.value,
            detail=detail,
        )
        if not written:
            note("repeat", "1")  # counted into the interval's entry: no log line of its own
            return
        log.warning(
            "refused: reason=%s face=%s ip=%s key_id=%s %s",
            verdict.reason.value, face, address, verdict.key_id, detail,
        )  # fmt: skip

    def repeated(self, verdict: Refused, *, face: str, address: str) -> bool:
        """`refused` for a repeat this interval's audit entry already stands for: counted
        in memory, on the event loop (no thread); False when the audit must write."""
        reason = verdict.reason.value
        if not self._audit.repeat(AUTH_FAILED, face=face, source_ip=address, reason=reason):
            return False
        self._counted(verdict)
        note("repeat", "1")
        return True

    def _counted(self, verdict: Refused) -> None:
        """A refusal's note for the journal and its counts, however the audit takes it."""
        note("reason", verdict.reason.value)
        self.counters.refused(verdict.reason.value, verdict.reason in _KEY_REASONS)
        if verdict.key_id is not None:
            note("credential", f"key {verdict.key_id}")
            self._refusals[verdict.key_id] = self._refusals.get(verdict.key_id, 0) + 1

    async def refusal(
        self, verdict: Refused, *, face: str, address: str, actor: str = "", detail: str = ""
    ) -> None:
        """`refused` from the event loop: a repeat counted there, a first in a thread."""
        if not self.repeated(verdict, face=face, address=address):
            await asyncio.to_thread(
                self.refused, verdict, face=face, address=address, actor=actor, detail=detail
            )

    def flush_usage(self) -> None:
        """Write the last-used time and address of keys used since the last flush, and
        the wrong keys counted since (the throttle's batch)."""
        self._throttle.flush()
        usage, self._usage = self._usage, {}
        requests, self._requests = self._requests, {}
        refusals, self._refusals = self._refusals, {}
        counts = {k: (requests.get(k, 0), refusals.get(k, 0)) for k in {*requests, *refusals}}
        if usage or counts:
            self._keys.record_usage({k: (iso(at), ip) for k, (at, ip) in usage.items()}, counts)
        self._audit.flush()

    # -- panelkey's limits on keys ------------------------------------------------------

    def admit(self, identity: Identity) -> None:
        """Count a request of a rate-limited key; raises RateLimited past its rate. The
        refusal is counted for the key (no audit row: a flood must not grow the store)."""
        rate, key_id = identity.rate, identity.key_id
        if rate is None or key_id is None:
            return
        wait = self.limiter.wait(key_id, rate)
        if wait:
            self._refusals[key_id] = self._refusals.get(key_id, 0) + 1
            note("reason", "rate limited")
            self.counters.refused("rate limited", True)
            raise RateLimited(
                f"Rate limit of key {key_id} exceeded ({rate.text}): retry in {wait} s",
                retry_after=wait,
            )

    def scope_denied(
        self, identity: Identity, operator: str, operation: str, *, face: str, address: str
    ) -> PermissionDenied:
        """The refusal of an operation outside the key's scope, written to the audit."""
        scope = identity.scope.text if identity.scope else ""
        if identity.key_id is not None:
            self._refusals[identity.key_id] = self._refusals.get(identity.key_id, 0) + 1
        self.counters.refused("scope denied", True)
        self._audit.refusal(
            SCOPE_DENIED,
            face=face,
            actor=identity.login,
            source_ip=address,
            key_id=identity.key_id,
            reason=f"scope {scope} does not allow {operator}/{operation}",
        )
        return PermissionDenied(f"The key's scope ({scope}) does not allow {operator}/{operation}.")
