"""What a key may do beyond Plesk's: expiry, scope and rate, parsed and judged.

A plain key (made the Plesk way) has none of them and behaves exactly as Plesk's.

- Expiry: an ISO 8601 UTC time (`2027-01-31T12:00:00Z`, a date alone means midnight
  UTC) or a duration from now (`90s`, `15m`, `12h`, `30d`).
- Scope: `read` (operations that change nothing, on both faces) and/or patterns of the
  XML API's names, `operator/operation` with `*` (`dns/*`, `site/get`, `*/get`).
  Another face names each of its operations so (its own table, docs/keys.md); the
  core knows the names only.
- Rate: `N/s`, `N/m` or `N/h`: at most N requests per fixed window of that length,
  counted per key across the workers of one server.
"""

from __future__ import annotations

import calendar
import fnmatch
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from panelkey.core.errors import InvalidValue

_DURATION = re.compile(r"^\s*(\d{1,9})\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|\+00:?00)?$")
_PATTERN = re.compile(r"^[a-z0-9_*-]+/[a-z0-9_*-]+$")
_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*([smh])\s*$")


def duration_seconds(text: str) -> int:
    """`90s`, `15m`, `12h`, `30d` -> seconds; raises InvalidValue."""
    found = _DURATION.match(text or "")
    if not found:
        raise InvalidValue(f"Invalid duration {text!r}: use a number and s, m, h or d (15m)")
    return int(found.group(1)) * _UNITS[found.group(2)]


def parse_expires(text: str, now: float | None = None) -> str:
    """The expiry as stored (ISO 8601 UTC, whole seconds); raises InvalidValue. A time in
    the past is refused: such a key could never be used."""
    now = time.time() if now is None else now
    text = (text or "").strip()
    if _DURATION.match(text):
        at = now + duration_seconds(text)
    else:
        found = _ISO.match(text)
        if not found:
            raise InvalidValue(
                f"Invalid expiry {text!r}: an ISO 8601 UTC time (2027-01-31T12:00:00Z) "
                "or a duration (90s, 15m, 12h, 30d)"
            )
        year, month, day, hour, minute, second = (int(g or 0) for g in found.groups()[:6])
        try:
            at = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
            time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
        except (ValueError, OverflowError):
            raise InvalidValue(f"Invalid expiry {text!r}: no such date") from None
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidValue(f"Invalid expiry {text!r}: no such time")
    if at <= now:
        raise InvalidValue(f"Invalid expiry {text!r}: it is in the past")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


def expires_epoch(stored: str | None) -> float | None:
    if not stored:
        return None
    return float(calendar.timegm(time.strptime(stored, "%Y-%m-%dT%H:%M:%SZ")))


# Operations whose names start with `get` read; these, despite their names, write.
READ_PREFIX = "get"
WRITES_NAMED_GET: frozenset[str] = frozenset()


def is_read(operator: str, operation: str) -> bool:
    """Whether an operation, by its XML name, changes nothing."""
    name = f"{operator}/{operation}"
    return operation.startswith(READ_PREFIX) and name not in WRITES_NAMED_GET


@dataclass(frozen=True, slots=True)
class Scope:
    """The operations a key may run; an empty scope is no limit (a plain key)."""

    patterns: tuple[str, ...]

    @classmethod
    def parse(cls, given: str | Iterable[str] | None) -> Scope:
        """From a comma list or a list of items; raises InvalidValue naming a bad item."""
        if given is None:
            return cls(())
        items = given.split(",") if isinstance(given, str) else list(given)
        out: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise InvalidValue("A scope item is a string")
            text = item.strip().lower()
            if not text:
                continue
            if text != "read" and not _PATTERN.match(text):
                raise InvalidValue(
                    f"Invalid scope item {item!r}: use read, or operator/operation with * "
                    "(dns/*, site/get)"
                )
            if text not in out:
                out.append(text)
        return cls(tuple(out))

    @classmethod
    def stored(cls, text: str) -> Scope:
        return cls(tuple(p for p in text.split(",") if p))

    @property
    def text(self) -> str:
        return ",".join(self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def allows(self, operator: str, operation: str) -> bool:
        if not self.patterns:
            return True
        name = f"{operator}/{operation}"
        for pattern in self.patterns:
            if pattern == "read":
                if is_read(operator, operation):
                    return True
            elif fnmatch.fnmatchcase(name, pattern):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `count` requests per `seconds`-long window."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str | None) -> Rate | None:
        if text is None or not str(text).strip():
            return None
        found = _RATE.match(str(text))
        if not found or int(found.group(1)) < 1:
            raise InvalidValue(f"Invalid rate {text!r}: use N/s, N/m or N/h with N at least 1")
        return cls(int(found.group(1)), _UNITS[found.group(2)])

    @property
    def text(self) -> str:
        unit = {1: "s", 60: "m", 3600: "h"}[self.seconds]
        return f"{self.count}/{unit}"
