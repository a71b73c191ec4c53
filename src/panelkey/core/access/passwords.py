"""Passwords: argon2id hashes at rest, verified slowly, never kept in clear.

Every argon2 call runs in one small pool of threads of its own (`configure` sets its
size), so that however many password checks arrive at once, hashing takes at most that
many cores and never a thread the event loop or the key path waits for. A caller outside
the pool waits for its turn; a caller inside it (a password check submitted whole with
`submit`) hashes at once.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's own parameter sets; `cheapest` is the one it makes for test suites.
PROFILES = {
    "default": profiles.RFC_9106_LOW_MEMORY,
    "cheapest": profiles.CHEAPEST,
}
_hasher = PasswordHasher.from_parameters(PROFILES["default"])
_T = TypeVar("_T")

DEFAULT_THREADS = max(1, (os.cpu_count() or 2) // 2)
_threads = DEFAULT_THREADS
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_inside = threading.local()
_dummy: list[str] = []  # the hash an unknown login is checked against, made once
_verifications = [0]  # argon2 verifications done by this process


def configure(threads: int) -> None:
    """Size of the hashing pool, from the next pool made (at most one per process)."""
    global _threads, _pool
    with _pool_lock:
        if max(1, threads) == _threads:
            return
        _threads = max(1, threads)
        old, _pool = _pool, None
    if old is not None:
        old.shutdown(wait=False)


def use_profile(name: str) -> None:
    """Hash new passwords with the argon2 parameters `name` (a key of PROFILES). Hashes
    carry their parameters, so those made under another profile still verify."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(PROFILES[name])
    _dummy.clear()


def _mark_inside() -> None:
    _inside.yes = True


def _the_pool() -> ThreadPoolExecutor:
    global _pool
    pool = _pool
    if pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(
                    _threads, thread_name_prefix="argon2", initializer=_mark_inside
                )
            pool = _pool
    return pool


def _forget_pool_after_fork() -> None:
    # A forked worker inherits the pool object but none of its threads.
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def submit(work: Callable[..., _T], *args: object) -> Future[_T]:
    """Run `work(*args)` in the hashing pool; its argon2 calls then run at once."""
    return _the_pool().submit(work, *args)


def _in_pool(work: Callable[..., _T], *args: object) -> _T:
    if getattr(_inside, "yes", False):
        return work(*args)
    return _the_pool().submit(work, *args).result()


def hash_password(password: str) -> str:
    return _in_pool(_hasher.hash, password)


def _verify(stored_hash: str, password: str) -> bool:
    with _pool_lock:
        _verifications[0] += 1
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(stored_hash: str, password: str) -> bool:
    return _in_pool(_verify, stored_hash, password)


def check_nothing(password: str) -> bool:
    """What a check of a login that does not exist costs: the same argon2 work as a
    real one, against a hash of a random value. Always False."""
    if not _dummy:
        _dummy.append(_in_pool(_hasher.hash, secrets.token_urlsafe(16)))
    check_password(_dummy[0], password)
    return False


def verifications() -> int:
    """How many argon2 verifications this process has run (real and dummy alike)."""
    return _verifications[0]


def generate_password() -> str:
    return secrets.token_urlsafe(15)
