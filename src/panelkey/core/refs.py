"""References: how a request names one object for a finder (`find(actor, ref)`).

A reference is a (key, value) pair, the key a kind of reference perhaps after the
element's own prefix (`id`, `owner-login`, `webspace-name`, `parent-site-guid`,
`external_id`), or a mapping of kinds to values (REST's `{"login": "carol"}`), read in
the finder's order of kinds. Finders decide who may see what; this module only reads
the reference, so every face names objects alike.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

Ref = tuple[str, Any] | Mapping[str, Any]
_MAX_ID = 2**63 - 1  # what the store's ids can be at the most


def resolve(ref: Ref, kinds: Sequence[str]) -> tuple[str, Any] | None:
    """(kind, value) of `ref` among `kinds`, or None when it names nothing a finder could
    find: an unknown kind, an empty value, an id that is not a whole number. An id is an
    int (or its digits); any other value is text, without surrounding spaces."""
    if type(ref) is not tuple and isinstance(ref, Mapping):  # a tuple, the XML one, first
        for kind in kinds:
            for key in dict.fromkeys((kind, kind.replace("-", "_"))):
                if ref.get(key) not in (None, ""):
                    return _value(kind, ref[key])
        return None
    key, value = ref
    named = key.replace("_", "-")
    for kind in _longest_first(tuple(kinds)):  # `external-id` before `id`
        if named == kind or named.endswith("-" + kind):
            return _value(kind, value)
    return None


@functools.lru_cache(maxsize=64)
def _longest_first(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """A finder's kinds, each finder's few made once."""
    return tuple(sorted(kinds, key=len, reverse=True))


def _value(kind: str, value: Any) -> tuple[str, Any] | None:
    if kind == "id":
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_ID
        return (kind, value) if ok else None
    text = value.strip() if isinstance(value, str) else ""
    return (kind, text) if text else None
