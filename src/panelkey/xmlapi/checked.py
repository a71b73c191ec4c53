"""Bodies known to pass the packet's checks (steps 4 and 5 of app.py: version, budgets,
schema), by a digest of their exact bytes.

Those checks read nothing but the body's bytes and the server's budgets, fixed for the
life of the face, so the same bytes pass them again: a client sending one packet over
and over (a monitor's `server/get_protos`, a poll of one `get`) has it parsed and
planned each time, but not checked each time. What a caller names stays out of memory:
only a digest is kept, and never for a packet that sets a password. A refusal is not
kept (it is rare, and paced).
"""

from __future__ import annotations

import hashlib

# Bodies past this size are not kept: clients repeat small packets, and a digest of a
# big one would cost a fair part of what it spares.
MAX_BODY = 4 * 1024
# Digests kept: between this many and twice as many, the last seen.
KEPT = 1024


class Checked:
    """The digests of bodies that passed, in two generations: the newest fills up to
    `kept`, then becomes the older one and the one before is forgotten (each step O(1),
    where evicting the oldest of one dict one at a time can scan its deleted slots).
    Used by the event loop only (the bodies it takes are small; bigger ones are checked
    in threads, never kept)."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._new: set[bytes] = set()
        self._old: set[bytes] = set()

    @staticmethod
    def digest(body: bytes) -> bytes | None:
        """The key of `body`, or None for a body too big to keep."""
        # BLAKE2s: Python's own, cheaper for a small body than OpenSSL's SHA-256.
        return hashlib.blake2s(body).digest() if len(body) <= MAX_BODY else None

    def passed(self, key: bytes | None) -> bool:
        return key is not None and (key in self._new or key in self._old)

    def add(self, key: bytes | None) -> None:
        if key is None or key in self._new:
            return
        if len(self._new) >= self._kept:
            self._old, self._new = self._new, set()
        self._new.add(key)
