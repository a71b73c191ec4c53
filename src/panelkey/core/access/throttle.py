"""Failed password attempts, counted per source address and per login, and the lockouts
they earn.

`failures` wrong passwords from one source (or `login_failures` for one login) within
`window` seconds lock that source (or login) out for `lockout` seconds; each further
lockout of the same source or login doubles the time, up to `max_lockout`, until it has
stayed clean for `max_lockout`. While locked out, an attempt is refused without looking
at the store or the password (no hashing), so a flood costs next to nothing.

Counts live in this process (each worker counts its own), bounded in number: past
`LIMIT` entries, the ones that hold no lockout are forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Entry:
    failures: int = 0
    since: float = 0.0  # the first failure of the current window
    lockouts: int = 0  # lockouts so far, for the growing time
    until: float = 0.0  # locked out until then
    last: float = 0.0  # the last failure


@dataclass(frozen=True, slots=True)
class Lockout:
    """A refusal: which of the two is locked out, and for how many more seconds."""

    what: str  # "source 203.0.113.9" or "login alice"
    seconds: float


class Throttle:
    LIMIT = 100_000

    def __init__(
        self,
        *,
        failures: int = 5,
        login_failures: int = 20,
        window: float = 600.0,
        lockout: float = 600.0,
        max_lockout: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`failures` or `login_failures` of 0 turn that count off."""
        self.failures = failures
        self.login_failures = login_failures
        self.window = window
        self.lockout = lockout
        self.max_lockout = max(max_lockout, lockout)
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(source: str, login: str) -> tuple[str, str]:
        return f"source {source}", f"login {login.lower()}"

    def locked(self, source: str, login: str) -> Lockout | None:
        """The lockout an attempt from `source` for `login` meets now, or None."""
        now = self._clock()
        for key in self._keys(source, login):
            entry = self._entries.get(key)
            if entry is not None and entry.until > now:
                return Lockout(key, entry.until - now)
        return None

    def failed(self, source: str, login: str) -> Lockout | None:
        """Count a wrong password; the lockout it starts, if it starts one."""
        now = self._clock()
        started: Lockout | None = None
        source_key, login_key = self._keys(source, login)
        with self._lock:
            if len(self._entries) >= self.LIMIT:
                self._prune(now)
            for key, limit in ((source_key, self.failures), (login_key, self.login_failures)):
                if limit <= 0:
                    continue
                entry = self._entries.get(key)
                if entry is None:
                    entry = self._entries[key] = _Entry()
                if entry.lockouts and now - max(entry.last, entry.until) > self.max_lockout:
                    entry.lockouts = 0  # clean long enough: start small again
                if now - entry.since > self.window:
                    entry.failures, entry.since = 0, now
                entry.failures += 1
                entry.last = now
                if entry.failures >= limit:
                    seconds = min(self.max_lockout, self.lockout * 2 ** min(entry.lockouts, 32))
                    entry.lockouts += 1
                    entry.failures = 0
                    entry.until = now + seconds
                    started = started or Lockout(key, seconds)
        return started

    def succeeded(self, source: str, login: str) -> None:
        """A right password: the login's count starts again (the source's stays)."""
        _, login_key = self._keys(source, login)
        with self._lock:
            entry = self._entries.get(login_key)
            if entry is not None and entry.until <= self._clock():
                entry.failures = 0

    def _prune(self, now: float) -> None:
        keep = {
            k: e
            for k, e in self._entries.items()
            if e.until > now or now - e.last <= min(self.window, 60.0)
        }
        if len(keep) >= self.LIMIT:
            keep = {k: e for k, e in keep.items() if e.until > now}
        self._entries = keep
