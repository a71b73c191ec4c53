"""Counters by name that every worker and server on one store share: wrong passwords,
wrong keys and the lockouts they earned, and the admissions of rate-limited keys.

A `Ledger` keeps them in the store once bound to it (`bind`), in this process until
then (a core used without a store, and unit tests). Every change is one transaction that
reads the rows, lets the caller judge, and writes them back; the row lock (PostgreSQL's
`FOR UPDATE`, SQLite's write lock taken at BEGIN) makes two servers' changes queue.
Callers keep a short cache of what they read, so that the hot path rarely comes here.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import TypeVar

import sqlalchemy as sa

from panelkey.store import tables
from panelkey.store.database import Database

_T = TypeVar("_T")
_NAME_PART = 64  # a login or source longer than this is named by its digest


@dataclass(slots=True)
class Entry:
    failures: int = 0  # failures, or admissions of a rate, in the current window
    since: float = 0.0  # when the current window started (a rate: its window number)
    lockouts: int = 0  # lockouts so far, for the growing time
    until: float = 0.0  # locked out until then
    last: float = 0.0  # the last change
    login: str = ""  # the login last tried

    def add_failures(
        self, count: int, limit: int, now: float, window: float, first: float, longest: float
    ) -> float | None:
        """Count `count` failures against `limit` per `window` seconds; the seconds of the
        lockout this starts (`first`, doubled for each earlier one, at most `longest`), or
        None. A lockout clean for `longest` is forgotten."""
        if self.lockouts and now - max(self.last, self.until) > longest:
            self.lockouts = 0
        if now - self.since > window:
            self.failures, self.since = 0, now
        self.failures += count
        self.last = now
        if limit <= 0 or self.failures < limit or self.until > now:
            return None
        seconds = float(min(longest, first * 2 ** min(self.lockouts, 32)))
        self.lockouts += 1
        self.failures = 0
        self.until = now + seconds
        return seconds


_COLUMNS = tuple(f.name for f in fields(Entry))


def part(text: str) -> str:
    """A login or address as a part of a name: itself (logins lower-cased) when short
    and plain, else a digest, so that any input makes a name the store can hold."""
    if len(text) <= _NAME_PART and text.isprintable():
        return text
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


class Ledger:
    def __init__(self) -> None:
        self._db: Database | None = None
        self._memory: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def bind(self, db: Database) -> None:
        """Keep the counts in `db` from now on, shared with every process on it."""
        self._db = db

    @property
    def shared(self) -> bool:
        return self._db is not None

    def read(self, names: Iterable[str]) -> dict[str, Entry]:
        """The entries of `names` that exist."""
        wanted = list(names)
        db = self._db
        if db is None:
            with self._lock:
                return {n: _copy(self._memory[n]) for n in wanted if n in self._memory}
        t = tables.access_limits
        with db.read() as conn:
            rows = conn.execute(sa.select(t).where(t.c.name.in_(wanted))).all()
        return {row.name: _entry(row) for row in rows}

    def change(self, names: Iterable[str], judge: Callable[[dict[str, Entry]], _T]) -> _T:
        """`judge` the entries of `names` (new ones where missing) and keep what it made
        of them, in one transaction; what `judge` returns."""
        wanted = list(dict.fromkeys(names))
        db = self._db
        if not wanted:  # every count is off: nothing to keep
            return judge({})
        if db is None:
            with self._lock:
                entries = {n: _copy(self._memory.get(n) or Entry()) for n in wanted}
                result = judge(entries)
                self._memory.update(entries)
                return result
        t = tables.access_limits
        insert = db.upsert(t)
        with db.begin() as conn:
            conn.execute(
                insert.on_conflict_do_nothing(index_elements=["name"]),
                [{"name": n} for n in wanted],
            )
            query = sa.select(t).where(t.c.name.in_(wanted)).order_by(t.c.name)
            rows = conn.execute(query.with_for_update()).all()
            entries = {row.name: _entry(row) for row in rows}
            result = judge(entries)
            for name, entry in entries.items():
                values = {c: getattr(entry, c) for c in _COLUMNS}
                conn.execute(t.update().where(t.c.name == name).values(**values))
        return result

    def lift(
        self, *, names: Iterable[str] = (), prefixes: Iterable[str] = (), logins: Iterable[str] = ()
    ) -> int:
        """Forget the entries named, those whose name starts with one of `prefixes`, and
        those whose last tried login is one of `logins`: their counts and lockouts go.
        With nothing given, every lockout goes. How many entries held a lockout."""
        names, prefixes, logins = list(names), list(prefixes), list(logins)
        everything = not (names or prefixes or logins)
        now = time.time()

        def chosen(name: str, entry: Entry) -> bool:
            if everything:
                return entry.lockouts > 0 or entry.until > now
            return name in names or entry.login in logins or name.startswith(tuple(prefixes))

        db = self._db
        if db is None:
            with self._lock:
                gone = [n for n, e in self._memory.items() if chosen(n, e)]
                held = sum(1 for n in gone if self._memory[n].until > now)
                for name in gone:
                    del self._memory[name]
                return held
        t = tables.access_limits
        if everything:
            where = sa.or_(t.c.lockouts > 0, t.c.until > now)
        else:
            where = sa.or_(
                t.c.name.in_(names),
                t.c.login.in_(logins),
                *(t.c.name.startswith(p, autoescape=True) for p in prefixes),
            )
        with db.begin() as conn:
            held = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(where, t.c.until > now)
            ).scalar_one()
            conn.execute(t.delete().where(where))
            # Every server drops what it cached of the lockouts at once (its change feed).
            db.record_change(conn, "lockout")
        return int(held)

    def prune(self, older_than: float) -> None:
        """Forget entries unchanged and unlocked since `older_than` (epoch seconds)."""
        db = self._db
        if db is None:
            with self._lock:
                self._memory = {
                    n: e for n, e in self._memory.items() if max(e.last, e.until) >= older_than
                }
            return
        t = tables.access_limits
        with db.begin() as conn:
            conn.execute(t.delete().where(t.c.last < older_than, t.c.until < older_than))


def _entry(row: sa.Row[tuple[object, ...]]) -> Entry:
    m = row._mapping
    return Entry(
        int(m["failures"]),
        float(m["since"]),
        int(m["lockouts"]),
        float(m["until"]),
        float(m["last"]),
        str(m["login"]),
    )


def _copy(entry: Entry) -> Entry:
    return Entry(entry.failures, entry.since, entry.lockouts, entry.until, entry.last, entry.login)
