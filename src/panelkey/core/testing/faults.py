"""Faults injected on purpose: rules that make an operation answer a Plesk error, an HTTP
status, a delay or a dropped connection, so an integration's tests can see how it copes.

A rule names one operation (`webspace/add` of the XML API, or `POST /api/v2/clients` of
REST), optionally one key or one login, and what to answer: `errcode`/`errtext`, an
`http_status`, `disconnect`, and/or a `delay` before the answer (a rule with a delay and
nothing else delays, then the operation runs). It answers the next `remaining` matching
calls (None: every one), or a `ratio` share of them.

Rules live in the store, so every worker and every server of a shared store sees them;
each process keeps them in memory, dropped when the change feed says the store changed
(`invalidate`). `armed` is what the faces check on every call: one attribute read when
no rule exists. A rule fires before its operation runs, so the operation writes nothing;
the count goes down in the store (`UPDATE ... WHERE remaining > 0`), so N calls across
all workers fire it exactly N times, and a spent rule is deleted.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.errors import InvalidValue
from panelkey.core.identity import Identity, note
from panelkey.store import tables
from panelkey.store.database import Database, utc_now

XML_OPERATION = re.compile(r"^[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*$")
REST_OPERATION = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9_{}./-]*)$")
REST_PREFIX = "/api/v2"
LONGEST_DELAY = 600.0  # seconds: a rule is a test's tool, not a way to hold a worker forever
CHANGE_KIND = "faults"


@dataclass(frozen=True, slots=True)
class Rule:
    """One fault rule, as stored."""

    id: int
    face: str  # "xml" or "rest"
    operation: str  # "webspace/add" or "POST /api/v2/clients"
    key_id: int | None
    login: str | None
    errcode: int | None
    errtext: str
    http_status: int | None
    delay: float  # seconds
    disconnect: bool
    remaining: int | None
    ratio: float
    hits: int
    created: str

    def matches(self, face: str, operations: tuple[str, ...], identity: Identity) -> bool:
        if face != self.face or self.operation not in operations:
            return False
        if self.key_id is not None and identity.key_id != self.key_id:
            return False
        return self.login is None or identity.login == self.login

    def describe(self) -> str:
        """What the rule answers, in a few words: for `fault list` and the journal."""
        parts = []
        if self.delay:
            parts.append(f"delay {self.delay:g}s")
        if self.disconnect:
            parts.append("drop")
        if self.http_status is not None:
            parts.append(f"http {self.http_status}")
        if self.errcode is not None:
            parts.append(f"errcode {self.errcode}")
        elif self.errtext:
            parts.append("error")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "key": self.key_id,
            "login": self.login,
            "errcode": self.errcode,
            "errtext": self.errtext,
            "http_status": self.http_status,
            "delay": self.delay,
            "drop": self.disconnect,
            "remaining": self.remaining,
            "ratio": self.ratio,
            "hits": self.hits,
        }


class Interrupt(BaseException):  # noqa: N818 - a signal, like KeyboardInterrupt
    """Raised by a face where a rule answers with an HTTP status or a dropped connection
    instead of the operation; caught by the ASGI layer (panelkey/injected.py), which
    answers or closes. A BaseException, as CancelledError is: no face's catch-all for
    failed operations may turn it into an ordinary answer."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(f"injected fault {rule.id}")
        self.rule = rule


def rest_operation(method: str, path: str) -> str:
    """The rule name of a REST call: `POST /api/v2/clients`."""
    return f"{method.upper()} {REST_PREFIX}{path}"


def parse_operation(text: str) -> tuple[str, str]:
    """(face, operation) of what a user wrote: `webspace/add` or `post /api/v2/clients`
    (`/clients` alone means the same). Raises InvalidValue for anything else."""
    text = " ".join(text.split())
    if XML_OPERATION.match(text):
        return "xml", text
    method, _, path = text.partition(" ")
    if not path.startswith(REST_PREFIX + "/"):
        path = REST_PREFIX + path if path.startswith("/") else path
    path = path.rstrip("/") or path
    candidate = f"{method.upper()} {path}"
    if REST_OPERATION.match(candidate) and path.startswith(REST_PREFIX + "/"):
        return "rest", candidate
    raise InvalidValue(
        f"operation {text!r}: expected operator/operation (webspace/add) or a REST method "
        "and path (POST /api/v2/clients)"
    )


class Faults:
    """The fault rules of one store, cached in this process."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._rules: tuple[Rule, ...] = ()
        self._stale = True
        self._random = random.Random()  # noqa: S311 - a share of calls, not a secret

    # -- the faces' side ----------------------------------------------------------------

    @property
    def armed(self) -> bool:
        """True when any rule exists: the faces' cheap check before asking `take`."""
        if self._stale:
            self._load()
        return bool(self._rules)

    def invalidate(self, *_: object) -> None:
        """The store may have changed: read the rules again before the next check. Takes
        (and ignores) the change feed's argument, so the feed can call it directly."""
        self._stale = True

    def take(self, face: str, operations: tuple[str, ...], identity: Identity) -> Rule | None:
        """The rule that answers this call, counted down in the store; or None, and the
        operation runs as usual. `operations` are the names the call goes by (a REST call:
        its concrete path and its route's template). Notes the rule for the journal."""
        if not self.armed:
            return None
        for rule in self._rules:
            if not rule.matches(face, operations, identity):
                continue
            if rule.ratio < 1.0 and self._random.random() >= rule.ratio:
                continue
            if self._fire(rule):
                note("reason", f"injected: fault {rule.id} ({rule.describe()})")
                return rule
        return None

    def before(self, face: str, operations: tuple[str, ...], identity: Identity) -> Rule | None:
        """`take`, applied in a worker thread: waits the rule's delay, raises Interrupt for
        an HTTP status or a drop, and returns the rule when it answers a Plesk error.
        None when no rule fires, or when one only delayed: the operation runs."""
        rule = self.take(face, operations, identity)
        if rule is None:
            return None
        if rule.delay:
            time.sleep(rule.delay)
        if rule.disconnect or rule.http_status is not None:
            raise Interrupt(rule)
        return rule if rule.errcode is not None else None

    def _fire(self, rule: Rule) -> bool:
        """Count one call against the rule, atomically across every process; False when
        another call took its last one first."""
        t = tables.faults
        where = t.c.id == rule.id
        if rule.remaining is not None:
            where = where & (t.c.remaining > 0)
        with self._db.begin() as conn:
            done = conn.execute(
                t.update()
                .where(where)
                .values(
                    hits=t.c.hits + 1,
                    remaining=None if rule.remaining is None else t.c.remaining - 1,
                )
            )
            fired = done.rowcount == 1
            spent = 0
            if rule.remaining is not None:
                spent = conn.execute(
                    t.delete().where((t.c.id == rule.id) & (t.c.remaining <= 0))
                ).rowcount
                if spent:
                    self._db.record_change(conn, CHANGE_KIND)  # every worker forgets it
        if not fired or spent:
            self.invalidate()
        return fired

    def _load(self) -> None:
        with self._lock:
            self._stale = False
            try:
                self._rules = tuple(self.list())
            except Exception:
                self._stale = True
                raise

    # -- the tools' side ----------------------------------------------------------------

    def add(
        self,
        operation: str,
        *,
        errcode: int | None = None,
        errtext: str = "",
        http_status: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        times: int | None = None,
        ratio: float = 1.0,
        key_id: int | None = None,
        login: str | None = None,
    ) -> Rule:
        """A new rule, seen at once by every worker. Raises InvalidValue for an operation
        that names nothing, an answer that makes no sense (a REST errcode, a status
        outside 100..599, nothing to answer at all), or counts out of range."""
        face, name = parse_operation(operation)
        if face == "rest" and errcode is not None:
            raise InvalidValue(
                "a REST rule answers --http-status with --errtext as its message; "
                "--errcode is the XML API's"
            )
        if http_status is not None and not 100 <= http_status <= 599:
            raise InvalidValue(f"http status {http_status}: expected 100 to 599")
        if not 0 <= delay <= LONGEST_DELAY:
            raise InvalidValue(f"delay {delay:g}s: expected 0 to {LONGEST_DELAY:g} seconds")
        if times is not None and times < 1:
            raise InvalidValue(f"times {times}: expected 1 or more")
        if not 0 < ratio <= 1:
            raise InvalidValue(f"ratio {ratio:g}: expected more than 0, at most 1")
        if errcode is None and errtext and face == "xml":
            errcode = 1023  # Plesk's "operation failed" for a text with no code
        if errcode is None and not errtext and http_status is None and not drop and not delay:
            raise InvalidValue("a rule needs an errcode, an http status, a delay or a drop")
        values = {
            "face": face,
            "operation": name,
            "key_id": key_id,
            "login": login,
            "errcode": errcode,
            "errtext": errtext or ("Operation failed" if errcode is not None else ""),
            "http_status": http_status,
            "delay_ms": round(delay * 1000),
            "disconnect": drop,
            "remaining": times,
            "ratio": ratio,
            "created": utc_now(),
        }
        with self._db.begin() as conn:
            made = conn.execute(tables.faults.insert().values(**values)).inserted_primary_key
            assert made is not None
            self._db.record_change(conn, CHANGE_KIND)
        self.invalidate()
        found = next((r for r in self.list() if r.id == made[0]), None)
        assert found is not None
        return found

    def list(self) -> list[Rule]:
        """Every rule not yet spent, oldest first."""
        t = tables.faults
        with self._db.read() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.id)).mappings().all()
        return [
            Rule(
                id=r["id"],
                face=r["face"],
                operation=r["operation"],
                key_id=r["key_id"],
                login=r["login"],
                errcode=r["errcode"],
                errtext=r["errtext"],
                http_status=r["http_status"],
                delay=r["delay_ms"] / 1000,
                disconnect=bool(r["disconnect"]),
                remaining=r["remaining"],
                ratio=float(r["ratio"]),
                hits=r["hits"],
                created=r["created"],
            )
            for r in rows
        ]

    def clear(self, rule_id: int | None = None) -> int:
        """Delete one rule, or every rule; returns how many went."""
        t = tables.faults
        query = t.delete() if rule_id is None else t.delete().where(t.c.id == rule_id)
        with self._db.begin() as conn:
            gone = conn.execute(query).rowcount
            self._db.record_change(conn, CHANGE_KIND)
        self.invalidate()
        return int(gone)
