"""Key rates (`-rate 60/m`) held across every worker and server on one store.

Fixed windows counted in the store (core/access/ledger.py, as Kong's `cluster` policy):
a process takes admissions from the store's count in batches and spends them itself,
so the store is written once per batch, not per request. A batch is one admission
under 100 a window, a hundredth of the rate above, so the rate is never exceeded; a key
used through several processes at once may be refused up to a batch early in a window.
Once the store says a window is spent, the process refuses until it ends without asking.
"""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa

from panelkey.core.access.keypolicy import Rate
from panelkey.core.access.ledger import Entry, Ledger
from panelkey.store.database import Database

log = logging.getLogger("panelkey.auth")
_LIMIT = 100_000
_SPENT = -1


class RateLimiter:
    def __init__(self) -> None:
        self.ledger = Ledger()
        self._leases: dict[int, tuple[int, int]] = {}  # key id: window, admissions left
        self._lock = threading.Lock()

    def bind(self, db: Database) -> None:
        """Count in `db`, with every other process on it."""
        self.ledger.bind(db)

    def wait(self, key_id: int, rate: Rate, now: float | None = None) -> int:
        """0 when this request is within the key's rate (and counts it), else the
        whole seconds until the key's window ends."""
        now = time.time() if now is None else now
        window = int(now // rate.seconds)
        wait = max(1, int((window + 1) * rate.seconds - now + 0.999))
        with self._lock:
            lease = self._leases.get(key_id)
            if lease is not None and lease[0] == window:
                if lease[1] > 0:
                    self._leases[key_id] = (window, lease[1] - 1)
                    return 0
                if lease[1] == _SPENT:
                    return wait
        batch = max(1, rate.count // 100)

        def take(entries: dict[str, Entry]) -> int:
            entry = entries[f"rate key {key_id}"]
            if int(entry.since) != window:
                entry.since, entry.failures = float(window), 0
            granted = max(0, min(batch, rate.count - entry.failures))
            entry.failures += granted
            entry.last = now
            return granted

        try:
            granted = self.ledger.change([f"rate key {key_id}"], take)
        except sa.exc.SQLAlchemyError:
            # The store is away: the request is not refused for that; nor is it counted.
            log.warning("rate of key %s not counted: the store did not answer", key_id)
            return 0
        with self._lock:
            if len(self._leases) >= _LIMIT:
                self._leases = {}
            self._leases[key_id] = (window, granted - 1 if granted else _SPENT)
        return 0 if granted else wait
