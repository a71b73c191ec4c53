"""Wrong passwords and wrong keys, counted per source and per login, and the lockouts
they earn; shared by every worker and server on one store (core/access/ledger.py).

Passwords. `failures` wrong passwords from one source (or `login_failures` for one login)
within `window` seconds lock that source (or login) out for `lockout` seconds; each
further lockout doubles the time, up to `max_lockout`, until it has stayed clean for
`max_lockout`. A login's count is kept apart for its familiar sources (those it has
logged in from before: smart lockout, as Azure AD's and Okta's): a spray from elsewhere
locks the login out of unfamiliar sources only, never out of the owner's usual one.

Keys. Wrong keys from one source are throttled the same way, with limits of their own
([panelkey] keyThrottle*: by default ten times `failures` a minute); they are counted
here and added to the store in batches (at most a fifth of the limit, or once a second
at `flush`), so a flood costs next to nothing, and a throttled source is refused before
any hashing or lookup.

A lockout is decided before any check, cached or not. Each process keeps what it read
for `FRESH` seconds (a lockout until it ends); `lift` and every store change feed
(`forget`) make all of them read again at once.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlalchemy as sa

from panelkey.core.access.ledger import Entry, Ledger, part
from panelkey.core.clock import iso
from panelkey.store import tables
from panelkey.store.database import Database

_LIMIT = 100_000  # entries per local cache; past it the cache starts again


@functools.lru_cache(maxsize=4096)
def _v6_bucket(address: str) -> str:
    try:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        return address


def source_bucket(address: str) -> str:
    """What is counted as one source: an IPv4 address, or an IPv6 /64 (which one host
    is commonly given whole)."""
    return part(_v6_bucket(address) if ":" in address else address)


@dataclass(frozen=True, slots=True)
class Lockout:
    """A refusal: which count is locked out, and for how many more seconds."""

    what: str  # "source 203.0.113.9", "login alice from unfamiliar sources", ...
    seconds: float

    @property
    def message(self) -> str:
        return f"locked out for {math.ceil(self.seconds)} more seconds ({self.what})"


def _what(name: str) -> str:
    if name.startswith("login ") and name.endswith(" familiar"):
        return name[: -len(" familiar")] + " from familiar sources"
    if name.startswith("login "):
        return name + " from unfamiliar sources"
    if name.startswith("keys "):
        return "source " + name[len("keys ") :] + " after repeated wrong keys"
    return name


@dataclass(frozen=True, slots=True)
class Limits:
    """When failures lock out: `failures` within `window` seconds lock out for `lockout`
    seconds, doubled for each earlier lockout up to `max_lockout` (never below `lockout`).
    `failures` 0: off."""

    failures: int = 5
    window: float = 600.0
    lockout: float = 600.0
    max_lockout: float = 86_400.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_lockout", max(self.max_lockout, self.lockout))

    def count(
        self, entry: Entry, failures: int, now: float, limit: int | None = None
    ) -> float | None:
        """Add `failures` to `entry` against `limit` (else `self.failures`); the seconds
        of the lockout this starts, or None."""
        limit = self.failures if limit is None else limit
        return entry.add_failures(failures, limit, now, self.window, self.lockout, self.max_lockout)


PASSWORD_LIMITS = Limits()
KEY_LIMITS = Limits(failures=50, window=60.0, lockout=60.0, max_lockout=3600.0)


class Throttle:
    FRESH = 1.0  # seconds a read that found no lockout is trusted

    def __init__(
        self,
        limits: Limits = PASSWORD_LIMITS,
        *,
        login_failures: int = 20,
        key_limits: Limits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`limits.failures` (per source) or `login_failures` of 0 turn that count off;
        wrong keys count against `key_limits`, by default KEY_LIMITS with ten times
        `limits.failures` (the [panelkey] keyThrottle* settings)."""
        self.limits = limits
        self.login_failures = login_failures
        self._clock = clock
        self.ledger = Ledger()
        self.familiar = Familiar()
        if key_limits is None:
            key_limits = replace(KEY_LIMITS, failures=10 * limits.failures)
        self.keys = KeyThrottle(self.ledger, key_limits, clock=clock)
        self._seen: dict[str, tuple[float, int, float]] = {}  # name: until, failures, read at

    def bind(self, db: Database) -> None:
        """Count in `db`, with every other process on it."""
        self.ledger.bind(db)
        self.familiar.bind(db)

    def forget(self) -> None:
        """Drop what this process read: the next check reads the store."""
        self._seen = {}
        self.keys.forget()
        self.familiar.forget()

    def _names(self, source: str, login: str, familiar: bool) -> list[tuple[str, int]]:
        account = f"login {part(login.lower())}" + (" familiar" if familiar else "")
        source_name = f"source {source_bucket(source)}"
        pairs = [(source_name, self.limits.failures), (account, self.login_failures)]
        return [(name, limit) for name, limit in pairs if limit > 0]

    def locked(
        self, source: str, login: str, familiar: bool = False, *, fresh: bool = False
    ) -> Lockout | None:
        """The lockout an attempt from `source` for `login` meets now, or None. `fresh`:
        read the store even when what this process read is recent."""
        now = self._clock()
        names = [name for name, _ in self._names(source, login, familiar)]
        stale = []
        for name in names:
            seen = self._seen.get(name)
            if seen is not None and seen[0] > now:
                return Lockout(_what(name), seen[0] - now)
            if fresh or seen is None or now - seen[2] > self.FRESH:
                stale.append(name)
        if not stale:
            return None
        found = self.ledger.read(stale)
        self._note({n: found.get(n) or Entry() for n in stale}, now)
        for name in stale:
            entry = found.get(name)
            if entry is not None and entry.until > now:
                return Lockout(_what(name), entry.until - now)
        return None

    def failed(self, source: str, login: str, familiar: bool = False) -> Lockout | None:
        """Count a wrong password; the lockout it starts, if it starts one."""
        now = self._clock()
        pairs = self._names(source, login, familiar)
        tried = part(login.lower())

        def judge(entries: dict[str, Entry]) -> Lockout | None:
            started = None
            for name, limit in pairs:
                entry = entries[name]
                entry.login = tried
                seconds = self.limits.count(entry, 1, now, limit)
                if seconds is not None and started is None:
                    started = Lockout(_what(name), seconds)
            self._note(entries, now)
            return started

        return self.ledger.change([name for name, _ in pairs], judge)

    def succeeded(self, source: str, login: str, familiar: bool = False) -> None:
        """A right password: the login's count starts again (the source's stays). Writes
        only when this process last saw failures there."""
        pairs = self._names(source, login, familiar)
        if not pairs or not pairs[-1][0].startswith("login "):
            return
        name = pairs[-1][0]
        seen = self._seen.get(name)
        if seen is None or seen[1] == 0:
            return
        now = self._clock()

        def judge(entries: dict[str, Entry]) -> None:
            if entries[name].until <= now:
                entries[name].failures = 0
            self._note(entries, now)

        self.ledger.change([name], judge)

    def lift(self, *, login: str | None = None, source: str | None = None) -> int:
        """Lift the lockouts of `login` (and of the sources last locked out trying it)
        and of `source`; with neither, every lockout. How many were running."""
        names: list[str] = []
        logins: list[str] = []
        if login is not None:
            tried = part(login.lower())
            names += [f"login {tried}", f"login {tried} familiar"]
            logins.append(tried)
        if source is not None:
            bucket = source_bucket(source)
            names += [f"source {bucket}", f"keys {bucket}"]
        held = self.ledger.lift(names=names, logins=logins)
        self.forget()
        return held

    def flush(self) -> None:
        """Add counted wrong keys to the store; forget entries long unused (hourly)."""
        self.keys.flush()
        now = self._clock()
        if now - self.keys.pruned_at >= 3600:
            self.keys.pruned_at = now
            limits = self.limits
            self.ledger.prune(now - limits.max_lockout - max(limits.window, 3600.0))

    def _note(self, entries: dict[str, Entry], now: float) -> None:
        if len(self._seen) >= _LIMIT:
            self._seen = {}
        for name, entry in entries.items():
            self._seen[name] = (entry.until, entry.failures, now)


class KeyThrottle:
    """Wrong keys per source (see the module docstring). `blocked` is what the key path
    looks at: sources (their bucket) throttled until then, as far as this process knows."""

    FRESH = 1.0

    def __init__(
        self,
        ledger: Ledger,
        limits: Limits = KEY_LIMITS,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limits = limits  # failures 0: off
        self._clock = clock
        self._ledger = ledger
        self.blocked: dict[str, float] = {}  # changed in place: the key path holds it
        self._pending: dict[str, int] = {}
        self._seen: dict[str, tuple[int, float]] = {}  # bucket: failures in store, read at
        self._failing: dict[str, float] = {}  # bucket: its last wrong key here
        self._lock = threading.Lock()
        self.pruned_at = 0.0

    def forget(self) -> None:
        with self._lock:
            self.blocked.clear()
            self._seen = {}

    def throttled(self, address: str) -> Lockout | None:
        """What this process knows, without the store: for the hot path."""
        if not self.blocked:
            return None
        until = self.blocked.get(source_bucket(address))
        now = self._clock()
        if until is None or until <= now:
            return None
        return Lockout(_what("keys " + source_bucket(address)), until - now)

    def locked(self, address: str) -> Lockout | None:
        """The throttle `address` meets now, reading the store when this process has not
        for `FRESH` seconds."""
        if self.limits.failures <= 0:
            return None
        known = self.throttled(address)
        if known is not None:
            return known
        bucket = source_bucket(address)
        now = self._clock()
        seen = self._seen.get(bucket)
        if seen is not None and now - seen[1] <= self.FRESH:
            return None
        entry = self._ledger.read([f"keys {bucket}"]).get(f"keys {bucket}") or Entry()
        self._remember(bucket, entry, now)
        if entry.until > now:
            return Lockout(_what("keys " + bucket), entry.until - now)
        return None

    def failed(self, address: str) -> Lockout | None:
        """Count a wrong key; the throttle it starts, if it starts one."""
        if self.limits.failures <= 0:
            return None
        bucket = source_bucket(address)
        with self._lock:
            if len(self._pending) >= _LIMIT:
                self._pending = {}
            pending = self._pending[bucket] = self._pending.get(bucket, 0) + 1
            if len(self._failing) >= _LIMIT:
                self._failing = {}
            self._failing[bucket] = self._clock()
            in_store = self._seen.get(bucket, (0, 0.0))[0]
        failures = self.limits.failures
        if in_store + pending < failures and pending < max(1, failures // 5):
            return None
        return self._push([bucket]).get(bucket)

    def flush(self) -> None:
        """Add the wrong keys counted here to the store, and learn the throttles other
        processes started on the sources failing here lately (so that this process's
        cached keys are refused to them too). Once a second, from the server."""
        if self._pending:
            self._push(list(self._pending))
        now = self._clock()
        with self._lock:
            for bucket, until in list(self.blocked.items()):
                if until <= now:
                    del self.blocked[bucket]
            for bucket, at in list(self._failing.items()):
                if now - at > self.limits.window:
                    del self._failing[bucket]
            recent = [b for b in self._failing if b not in self.blocked][:1000]
        if recent:
            found = self._ledger.read([f"keys {b}" for b in recent])
            for bucket in recent:
                self._remember(bucket, found.get(f"keys {bucket}") or Entry(), now)

    def _push(self, buckets: list[str]) -> dict[str, Lockout]:
        with self._lock:
            counts = {b: self._pending.pop(b, 0) for b in buckets}
        counts = {b: n for b, n in counts.items() if n}
        if not counts:
            return {}
        now = self._clock()

        def judge(entries: dict[str, Entry]) -> dict[str, Lockout]:
            started = {}
            for bucket, count in counts.items():
                entry = entries[f"keys {bucket}"]
                seconds = self.limits.count(entry, count, now)
                if seconds is not None:
                    started[bucket] = Lockout(_what("keys " + bucket), seconds)
                self._remember(bucket, entry, now)
            return started

        return self._ledger.change([f"keys {b}" for b in counts], judge)

    def _remember(self, bucket: str, entry: Entry, now: float) -> None:
        with self._lock:
            if len(self._seen) >= _LIMIT:
                self._seen = {}
            self._seen[bucket] = (entry.failures, now)
            if entry.until > now:
                self.blocked[bucket] = entry.until


class Familiar:
    """The sources each login has logged in from with its password. What this process
    read is kept: a familiar source for good, an unfamiliar one for `FRESH` seconds."""

    FRESH = 5.0

    def __init__(self) -> None:
        self._db: Database | None = None
        self._known: dict[tuple[str, str], float] = {}  # math.inf: familiar; else read at

    def bind(self, db: Database) -> None:
        self._db = db

    def forget(self) -> None:
        self._known = {k: v for k, v in self._known.items() if v == math.inf}

    def known(self, login: str, source: str) -> bool:
        """Whether `login` has logged in from `source` before."""
        key = (part(login.lower()), part(source))
        at = self._known.get(key)
        now = time.monotonic()
        if at is not None and (at == math.inf or now - at <= self.FRESH):
            return at == math.inf
        db = self._db
        if db is None:
            return False
        t = tables.familiar_sources
        with db.read() as conn:
            found = conn.execute(
                sa.select(t.c.login).where(t.c.login == key[0], t.c.source == key[1])
            ).first()
        self._keep(key, math.inf if found is not None else now)
        return found is not None

    def seen(self, login: str, source: str) -> None:
        """`login` logged in from `source` with its password: familiar from now on."""
        key = (part(login.lower()), part(source))
        if self._known.get(key) == math.inf:
            return
        db = self._db
        if db is not None:
            t = tables.familiar_sources
            insert = db.upsert(t)
            row = {"login": key[0], "source": key[1], "last": iso()}
            with db.begin() as conn:
                conn.execute(
                    insert.values(**row).on_conflict_do_update(
                        index_elements=["login", "source"], set_={"last": row["last"]}
                    )
                )
        self._keep(key, math.inf)

    def _keep(self, key: tuple[str, str], value: float) -> None:
        if len(self._known) >= _LIMIT:
            self._known = {}
        self._known[key] = value
