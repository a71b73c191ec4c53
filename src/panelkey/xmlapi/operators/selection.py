"""Filters and flags the tier-2 operators share (subdomain, site-alias, ftp-user,
protected-dir): one `select` turns a Plesk filter into hits, one `flag` reads a boolean.

A filter holds children of one kind (the schema sees to that). An empty filter means
every object in reach, each answered with its own id as ``filter-id``. A child naming
one object (``id``, ``name``) is one hit, or a miss; a child naming a parent
(``site-id``, ``webspace-name``, ...) is every object of that parent, or one empty hit
(``status`` and ``filter-id`` only, as Plesk answers a parent with nothing in it), or a
miss when the parent is out of reach.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from lxml import etree

from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.xmlapi import render


class HasId(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=HasId)
# kind -> value -> the objects it names (one for `id`/`name`), or None for a miss.
Resolvers = Mapping[str, Callable[[str], Sequence[T] | None]]

_TRUE, _FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no"}


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """One answer of a filter: an object, an empty parent (`obj` None, `miss` False) or
    a miss. `asked_id` is the id asked by an `id` child (Plesk echoes it in errors)."""

    filter_id: str
    obj: T | None
    miss: bool = False
    asked_id: str | None = None


def select(
    flt: etree._Element | None, everything: Callable[[], Sequence[T]], by: Resolvers[T]
) -> list[Hit[T]]:
    """The hits of a filter, in request order."""
    items = [] if flt is None else render.children(flt)
    if not items:
        return [Hit(str(o.id), o) for o in everything()]
    hits: list[Hit[T]] = []
    for item in items:
        kind, value = str(item.tag), (item.text or "").strip()
        found = by[kind](value)
        asked = value if kind == "id" else None
        if found is None:
            hits.append(Hit(value, None, miss=True, asked_id=asked))
        elif not found:
            hits.append(Hit(value, None))
        else:
            hits += [Hit(value, o, asked_id=asked) for o in found]
    return hits


def one(obj: T | None) -> list[T] | None:
    """A resolver's answer for a child naming one object."""
    return None if obj is None else [obj]


def miss(hit: Hit[T], text: str) -> etree._Element:
    """The 1013 result of a miss, with ``filter-id`` (and ``id`` when one was asked)."""
    return render.error(NotFound(text), [("filter-id", hit.filter_id), ("id", hit.asked_id)])


def answer_get(
    hits: Sequence[Hit[T]], not_found: str, fields: Callable[[T], list[render.Field]]
) -> list[etree._Element]:
    """`get`'s results: per object ``filter-id`` then `fields(obj)`; an empty parent
    ``filter-id`` only; a miss 1013 `not_found`; nothing in reach, one bare ok."""
    results: list[etree._Element] = []
    for hit in hits:
        if hit.miss:
            results.append(miss(hit, not_found))
        elif hit.obj is None:
            results.append(render.ok([("filter-id", hit.filter_id)]))
        else:
            results.append(render.ok([("filter-id", hit.filter_id), *fields(hit.obj)]))
    return results or [render.ok()]


def answer_each(
    hits: Sequence[Hit[T]], not_found: str, act: Callable[[T], object]
) -> list[etree._Element]:
    """`set`/`del` results: `act(obj)` per object, answered ``filter-id`` and ``id``,
    ok or the error it raised; an empty parent answers nothing; a miss 1013
    `not_found`; nothing answered at all, one bare ok."""
    results: list[etree._Element] = []
    for hit in hits:
        if hit.miss:
            results.append(miss(hit, not_found))
            continue
        if hit.obj is None:
            continue
        head: list[render.Field] = [("filter-id", hit.filter_id), ("id", hit.obj.id)]
        try:
            act(hit.obj)
        except PanelkeyError as exc:
            results.append(render.error(exc, head))
            continue
        results.append(render.ok(head))
    return results or [render.ok()]


def flag(text: str | None, name: str) -> bool | None:
    """A Plesk boolean (`true`/`false`, `1`/`0`); None when absent. Raises InvalidValue."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidValue(f"Invalid value for '{name}' specified")


def boolean(value: bool) -> str:
    return "true" if value else "false"


def pairs(parent: etree._Element | None, item: str = "property") -> list[tuple[str, str]]:
    """The name/value pairs `item` under `parent`, in order."""
    if parent is None:
        return []
    return [
        ((p.findtext("name") or "").strip(), p.findtext("value") or "")
        for p in parent.findall(item)
    ]
