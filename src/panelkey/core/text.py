"""Text a client sets and panelkey keeps (a name, a contact, a password before its hash,
an external id): one bound for it, the store's for names (`string(name, 255)`,
store/tables/), and one test of it. Each caller adds its own rules (not empty, no NUL,
a pattern) and words its own refusal."""

from __future__ import annotations

from typing import TypeGuard

MAX_TEXT = 255


def fits(value: object, limit: int = MAX_TEXT) -> TypeGuard[str]:
    """Whether `value` is a str of at most `limit` characters."""
    return isinstance(value, str) and len(value) <= limit
