"""The one filter engine: a request's ``<filter>`` -> the objects it names, in request order.

Each operator declares its filter as a `Filter`: a table of which filter element maps
to which core lookup (`by`), what an empty filter names (`everything`), what a miss
says (`missing`, or a kind's own text in `misses`) and what it echoes. The engine reads
every filter the same way, Plesk's:

- A filter holds children of one kind (the schema sees to that). An empty filter, or
  one holding only ``all``, names everything in reach, each object answered with its
  own id as ``filter-id`` (`ident`); a family without `everything` names nothing then.
- A child naming one object (``id``, ``name``, ``guid``, ``login``...) is that object,
  or a miss.
- A child naming a parent (``site-id``, ``webspace-name``, ``owner-login``...) is each
  object of that parent, or a miss when the parent is out of reach; a parent with
  nothing in it answers nothing, or one bare hit (``filter-id`` only) in the families
  that answer it so (`empty_parents`).
- A miss answers 1013 with the family's text, echoing what was asked: ``filter-id``
  (or the family's `echo` element) and, for an ``id`` child, ``id`` (`echo_id`).

Lookups take the request and the filter's child (its text stripped is `text(item)`);
`one`, `under` and `by_id` make them from the core's finders. A family may also say
what identifies an object for an empty filter (`ident`, its id by default) and which
children of the filter name nothing (`beside`: ``all``, or mail's ``site-id``).

Answering: `read` (a ``get``: `fields` per object, written as text), `change` (a
``set``/``del``: `act` per object, then `answer`; a core error answers in that object's
result, through render.outcome) and `report` (a ``get`` answered as a change is, written
as text). A lookup's core error answers the whole operation,
from the dispatcher. `values` reads a list of values for what is not a lookup (types,
names handed to the core as they are).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, NamedTuple, TypeVar

from lxml import etree

from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Request
from panelkey.xmlapi.values import id_of

T = TypeVar("T")
P = TypeVar("P")

# The objects a filter's child names (one for a child naming one object), or None for
# a miss. A lookup may raise a core error: the whole operation then answers it.
Lookup = Callable[[Request, etree._Element], "Sequence[T] | None"]
# One object by a reference's value, or None when the caller does not reach it.
Find = Callable[[Request, str], "T | None"]


def text(item: etree._Element) -> str:
    """A filter child's value: its text, stripped."""
    return (item.text or "").strip()


def values(flt: etree._Element | None, tag: str | None = None) -> list[str]:
    """The values a filter (or any list element) asks for, in order: its children's
    texts, stripped (only those named `tag` when given)."""
    if flt is None:
        return []
    return [text(c) for c in render.children(flt) if tag is None or c.tag == tag]


def by_id(get: Callable[[Request, int], T | None]) -> Find[T]:
    """A finder by id from a core getter: an id the schema's ``Id`` would not spell
    finds nothing."""

    def find(req: Request, value: str) -> T | None:
        found = id_of(value)
        return None if found is None else get(req, found)

    return find


def required(found: T | None, missing: str) -> T:
    """`found`, or NotFound (1013, `missing`) for a reference that names nothing in reach."""
    if found is None:
        raise NotFound(missing)
    return found


def one(find: Find[T]) -> Lookup[T]:
    """A lookup for a child naming one object."""

    def lookup(req: Request, item: etree._Element) -> list[T] | None:
        found = find(req, text(item))
        return None if found is None else [found]

    return lookup


def under(parent: Find[P], children: Callable[[Request, P], Sequence[T]]) -> Lookup[T]:
    """A lookup for a child naming a parent: the parent's objects, None when the parent
    is out of reach."""

    def lookup(req: Request, item: etree._Element) -> Sequence[T] | None:
        found = parent(req, text(item))
        return None if found is None else children(req, found)

    return lookup


class Hit(NamedTuple, Generic[T]):
    """One answer of a filter: an object, an empty parent (`obj` None) or a miss
    (`missing` says its 1013 text). `filter_id` is the value asked (an object's own id
    for an empty filter), `kind` the filter child's name ('' for an empty filter). A
    tuple: one is made per object answered, in a third of a frozen dataclass's time."""

    filter_id: str
    obj: T | None = None
    kind: str = ""
    missing: str | None = None


def _own_id(obj: Any) -> str:
    return str(obj.id)


@dataclass(frozen=True)
class Filter(Generic[T]):
    """One family's filter, declared: see the module's docstring."""

    missing: str
    by: Mapping[str, Lookup[T]]
    everything: Callable[[Request], Sequence[T]] | None = None
    misses: Mapping[str, str] = field(default_factory=dict)
    # The element echoing what a miss asked (None: nothing; or the fields it answers).
    echo: str | Callable[[str], render.Fields] | None = "filter-id"
    echo_id: bool = True
    empty_parents: bool = False
    ident: Callable[[Any], str] = _own_id
    # Children of the filter element that name no objects (`all` says "everything").
    beside: frozenset[str] = frozenset({"all"})

    def select(
        self,
        req: Request,
        flt: etree._Element | None,
        everything: Callable[[Request], Sequence[T]] | None = None,
    ) -> list[Hit[T]]:
        """The hits of `flt`, in request order; `everything` stands in for the family's
        for an empty filter."""
        items = [] if flt is None else [c for c in render.children(flt) if c.tag not in self.beside]
        if not items:
            every = everything or self.everything
            return [Hit(self.ident(o), o) for o in (every(req) if every is not None else [])]
        hits: list[Hit[T]] = []
        for item in items:
            kind, value = str(item.tag), text(item)
            found = self.by[kind](req, item)
            if found is None:
                hits.append(self.missed(Hit(value, None, kind)))
            elif found:
                hits += [Hit(value, o, kind) for o in found]
            elif self.empty_parents:
                hits.append(Hit(value, None, kind))
        return hits

    def missed(self, hit: Hit[T]) -> Hit[T]:
        """`hit` as a miss: what its child asked is out of reach (or out of the scope an
        operation names beside the filter)."""
        return Hit(hit.filter_id, None, hit.kind, self.misses.get(hit.kind, self.missing))

    def miss(self, hit: Hit[T]) -> etree._Element:
        """The 1013 result of a miss, echoing what was asked."""
        fields: list[render.Field] = []
        if isinstance(self.echo, str):
            fields.append((self.echo, hit.filter_id))
        elif self.echo is not None:
            fields += self.echo(hit.filter_id)
        if self.echo_id and hit.kind == "id":
            fields.append(("id", hit.filter_id))
        return render.error(NotFound(hit.missing), fields)

    def get(
        self, hits: Iterable[Hit[T]], fields: Callable[[T], render.Tree]
    ) -> list[etree._Element | bytes]:
        """A read's results: per object ``filter-id`` (when the family echoes it) then
        `fields(obj)`, written as text (render.ok_text); an empty parent ``filter-id``
        only; a miss its 1013; nothing named at all, one bare ok."""
        results: list[etree._Element | bytes] = []
        for hit in hits:
            head: list[render.Field] = (
                [("filter-id", hit.filter_id)] if self.echo == "filter-id" else []
            )
            if hit.missing is not None:
                results.append(self.miss(hit))
            else:
                obj = [] if hit.obj is None else fields(hit.obj)
                results.append(render.ok_text([*head, *obj]))
        return results or [render.ok()]

    def each(
        self,
        hits: Iterable[Hit[T]],
        act: Callable[[T], object] | None = None,
        answer: Callable[[T], render.Fields] | None = None,
    ) -> list[etree._Element]:
        """A change's results: `act(obj)` per object, answered ``filter-id``, ``id``,
        then `answer(obj)`, or the core error either raised; an empty parent answers
        nothing; a miss its 1013; nothing answered at all, one bare ok."""
        results: list[etree._Element] = []
        for hit in hits:
            if hit.missing is not None:
                results.append(self.miss(hit))
            elif hit.obj is not None:
                head = self._found(hit, hit.obj)
                results.append(render.outcome(partial(_done, hit.obj, act, answer), head))
        return results or [render.ok()]

    def _found(self, hit: Hit[T], obj: T) -> list[render.Field]:
        """The head of a found object's result in `each` and `report`."""
        return [("filter-id", hit.filter_id), ("id", self.ident(obj))]

    def report(
        self, hits: Iterable[Hit[T]], answer: Callable[[T], render.Tree]
    ) -> list[etree._Element | bytes]:
        """A read answered as `each` answers a change (``filter-id``, ``id``, then
        `answer(obj)`, or the core error it raised), written as text (render.ok_text)."""
        results: list[etree._Element | bytes] = []
        for hit in hits:
            if hit.missing is not None:
                results.append(self.miss(hit))
            elif hit.obj is not None:
                head = self._found(hit, hit.obj)
                try:
                    fields = answer(hit.obj)
                except PanelkeyError as exc:
                    results.append(render.error(exc, head))
                    continue
                results.append(render.ok_text([*head, *fields]))
        return results or [render.ok()]

    # The filter of the operation `op` (its ``filter`` child), read and answered.

    def read(
        self, req: Request, op: etree._Element, fields: Callable[[T], render.Tree]
    ) -> list[etree._Element | bytes]:
        """`get` of the hits of `op`'s filter."""
        return self.get(self.select(req, render.child(op, "filter")), fields)

    def change(
        self,
        req: Request,
        op: etree._Element,
        act: Callable[[T], object] | None = None,
        answer: Callable[[T], render.Fields] | None = None,
    ) -> list[etree._Element]:
        """`each` over the hits of `op`'s filter."""
        return self.each(self.select(req, render.child(op, "filter")), act, answer)


def _done(
    obj: T, act: Callable[[T], object] | None, answer: Callable[[T], render.Fields] | None
) -> render.Fields:
    if act is not None:
        act(obj)
    return answer(obj) if answer is not None else ()
