"""The one base for what lives in a site or subscription: subdomains, site aliases, FTP
users and protected directories (core/content/), mail names, databases, certificates.

An owned object is reached through its parent domain: whoever may see the domain
(`Domains.get`: the admin every one, a reseller its own and its customers', a customer
its own) may see and change what lives in it, and any other object is as if it did not
exist. The base holds that rule and the skeleton around it, once:

- reach through the parent (`_parent`); reads by id, by name, of one parent, or all in
  the actor's reach, each compiled once (store/prepared.py);
- writes with their events in the write's own transaction: `<event>_create` with the
  new values, `<event>_update` with only what changed (`changes`), `<event>_delete`;
- delete, and purge with the parent (registered with `Domains.on_delete`), the
  object's `properties` rows and its children included.

The writes and reads by id stand on `Stored`, a base of its own for the server's objects
that live in no domain (administrator aliases, APS packages).

A family names its table, its record (the dataclass a row becomes: its fields are the
columns read, unless the family names them; `_row` only where a row needs decoding),
event class and texts, and keeps only its own rules: names, values, who may do what
beyond seeing the parent. `Findable` adds the public finders of families whose objects are found
server-wide by id or name; mail (found by name within a site) and certificates (by
name within a repository) keep their own.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.core.identity import Identity
from panelkey.core.rows import insert
from panelkey.core.server.properties import Properties
from panelkey.store.database import Database
from panelkey.store.prepared import built

Row = tuple[Any, ...]
Ids = builtins.list[int] | sa.Select[Any]


def exists(conn: sa.Connection, table: sa.Table, *where: Any) -> bool:
    """Whether `table` has a row where all of `where` hold: the one clash check."""
    q = sa.select(sa.literal(1)).select_from(table).where(*where).limit(1)
    return conn.execute(q).first() is not None


class Item(Protocol):
    """What an owned object has: an id, and the values its events may show."""

    @property
    def id(self) -> int: ...

    def event_values(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=Item)


@dataclass(frozen=True, slots=True)
class Named:
    """The fields a family's object starts with when it keeps `Owned`'s defaults: its
    id, its domain's (`parent_column`) and its name (`name_column`)."""

    id: int
    domain_id: int
    name: str


def changes(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(old, new) of only what differs: what an update event shows."""
    return (
        {k: v for k, v in old.items() if new.get(k) != v},
        {k: v for k, v in new.items() if old.get(k) != v},
    )


class Stored(Generic[T]):
    """A family of objects kept in one table, with their events: read by id or all, by
    the columns `_row` takes; written with `_insert`, `_update`, `_remove`. The server's
    own (admin aliases, APS packages) stand on it; what lives in a domain on `Owned`."""

    table: ClassVar[sa.Table]
    # The family's object (a dataclass), made by `_row` from a row of `columns`.
    record: ClassVar[type[Any]]
    # The columns read, in the order `_row` takes them (never a password hash); unless a
    # family names them, its record's fields.
    columns: ClassVar[tuple[str, ...]]
    event: ClassVar[str]  # Plesk's event class: `<event>_<create|update|delete>`
    not_found: ClassVar[str]  # NotFound's text for an object gone or out of reach
    name_column: ClassVar[str] = "name"  # what `by_name` reads and events are named by
    kind: ClassVar[str | None] = None  # `properties` rows kept per object, purged with it

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "record" in vars(cls) and "columns" not in vars(cls):
            cls.columns = tuple(f.name for f in fields(cls.record))

    def __init__(self, db: Database) -> None:
        self._db = db
        self._properties = Properties(db)
        self._select, by_id, every = built((type(self), "stored"), self._stored_reads)
        self._by_id = db.prepare(by_id)
        self._all = db.prepare(every)

    @classmethod
    def _stored_reads(cls) -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
        """The family's columns; its reads by id and of all (built once per process)."""
        t = cls.table
        v: sa.BindParameter[Any] = sa.bindparam("v")
        select = sa.select(*(t.c[c] for c in cls.columns))
        return select, select.where(t.c.id == v), select.order_by(t.c.id)

    # -- rows -----------------------------------------------------------------------

    def _row(self, values: Row) -> T:
        """The object of one row of `columns`, its values in the record's field order (the
        store answers flags as bools); a family whose row needs decoding says how."""
        return cast(T, self.record(*values))

    def _rows(self, rows: Iterable[Row], conn: sa.Connection | None = None) -> builtins.list[T]:
        """The objects of rows; a family that reads more per object reads it here."""
        return [self._row(r) for r in rows]

    def _name_of(self, obj: T) -> str:
        return str(getattr(obj, self.name_column))

    def _fresh(self, conn: sa.Connection, obj_id: int) -> T:
        """An object as its write left it, read in the write's transaction."""
        return self._rows([self._by_id.first(conn, v=obj_id) or ()], conn)[0]

    # -- writes ---------------------------------------------------------------------

    def _record(
        self,
        conn: sa.Connection,
        what: str,
        obj: T,
        actor: Identity | None,
        *,
        name: str | None = None,
        **values: Mapping[str, Any] | None,
    ) -> None:
        """The object's event (`old`, `new` in `values`), in `conn`'s transaction."""
        obj_name = self._name_of(obj) if name is None else name
        events.record(
            conn, self.event, what, obj_id=obj.id, obj_name=obj_name, actor=actor, **values
        )

    def _insert(
        self,
        conn: sa.Connection,
        actor: Identity,
        row: Mapping[str, Any],
        *,
        name: str | None = None,
        new: Mapping[str, Any] | None = None,
        within: Callable[[sa.Connection, int], None] | None = None,
    ) -> T:
        """Insert a row (stamped `created`), run `within` with its id (what is written
        beside it), read it back, record its create event (its `event_values`, unless
        `new` says otherwise)."""
        new_id = insert(conn, self.table, **row)
        if within is not None:
            within(conn, new_id)
        made = self._fresh(conn, new_id)
        told = made.event_values() if new is None else new
        self._record(conn, events.CREATE, made, actor, name=name, new=told)
        return made

    def _update(
        self,
        conn: sa.Connection,
        actor: Identity,
        obj: T,
        row: Mapping[str, Any],
        *,
        name: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> T:
        """Write `row` over the object, read it back, record what changed (and `extra`,
        such as a password shown as changed, never as a value)."""
        if row:
            conn.execute(self.table.update().where(self.table.c.id == obj.id).values(**row))
        out = self._fresh(conn, obj.id)
        old, new = changes(obj.event_values(), out.event_values())
        self._record(
            conn, events.UPDATE, out, actor, name=name, old=old, new={**new, **(extra or {})}
        )
        return out

    def _children(self, conn: sa.Connection, actor: Identity | None, ids: Ids) -> None:
        """Delete what belongs to these objects (their users, lists...) before they go."""

    def _remove(
        self,
        conn: sa.Connection,
        actor: Identity,
        obj: T,
        *,
        name: str | None = None,
        old: Mapping[str, Any] | None = None,
    ) -> None:
        """Delete one object with its children and properties, and record it; NotFound
        when it is already gone."""
        t = self.table
        self._children(conn, actor, [obj.id])
        if not conn.execute(t.delete().where(t.c.id == obj.id)).rowcount:
            raise NotFound(self.not_found)
        if self.kind is not None:
            self._properties.purge(self.kind, [obj.id], conn)
        self._record(conn, events.DELETE, obj, actor, name=name, old=old)


class Owned(Stored[T]):
    """The skeleton of a family of objects that live in a domain."""

    parent_column: ClassVar[str] = "domain_id"
    purge_events: ClassVar[bool] = True  # a delete event per object its parent takes along

    def __init__(self, db: Database, domains: Domains) -> None:
        super().__init__(db)
        self._domains = domains
        domains.on_delete(self.purge)
        self._parent_at = self.columns.index(self.parent_column)
        by_name, of_parent = built((type(self), "owned"), self._owned_reads)
        self._by_name = db.prepare(by_name)
        self._of_parent = db.prepare(of_parent)

    @classmethod
    def _owned_reads(cls) -> tuple[sa.Select[Any], sa.Select[Any]]:
        """The family's reads by name and of a parent (built once per process)."""
        t = cls.table
        v: sa.BindParameter[Any] = sa.bindparam("v")
        select = built((cls, "stored"), cls._stored_reads)[0]
        by_name = select.where(t.c[cls.name_column] == v).order_by(t.c.id)
        return by_name, select.where(t.c[cls.parent_column] == v).order_by(t.c.id)

    def _parent_id(self, domain: Domain) -> int:
        """The id rows of `domain` are kept under (a subscription's, for some families)."""
        return domain.id

    # -- reach ----------------------------------------------------------------------

    def _parent(self, actor: Identity, domain: Domain | int | None, error: PanelkeyError) -> Domain:
        """The domain (or domain id) as the actor may see it; `error` when there is none
        or the actor may not see it."""
        if isinstance(domain, Domain):
            domain = domain.id
        found = None if domain is None else self._domains.get(actor, domain)
        if found is None:
            raise error
        return found

    def _one(self, actor: Identity, row: Row | None) -> T | None:
        """The object of `row` when the actor may see its parent, else None."""
        if row is None or self._domains.get(actor, row[self._parent_at]) is None:
            return None
        return self._rows([row])[0]

    def _in_reach(self, actor: Identity, rows: Iterable[Row]) -> builtins.list[T]:
        if actor.is_admin:
            return self._rows(rows)
        seen = {d.id for d in self._domains.list(actor)}
        return self._rows(r for r in rows if r[self._parent_at] in seen)

    def _purged(self, domain_ids: builtins.list[int]) -> Any:
        """Which rows go with these domains."""
        return self.table.c[self.parent_column].in_(domain_ids)

    def purge(self, conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete what lives in these domains, in the domains' delete transaction
        (`Domains.on_delete`)."""
        t = self.table
        where = self._purged(domain_ids)
        going = sa.select(t.c.id).where(where)
        named = sa.select(t.c.id, t.c[self.name_column]).where(where)
        gone = conn.execute(named).all() if self.purge_events else []
        self._children(conn, None, going)
        if self.kind is not None:
            self._properties.purge(self.kind, going, conn)
        conn.execute(t.delete().where(where))
        for obj_id, name in gone:
            events.record(conn, self.event, events.DELETE, obj_id, name)


class Findable(Owned[T]):
    """Owned objects found server-wide, by id or by name, as far as the actor sees."""

    def _key(self, name: str) -> str | None:
        """What `name_column` holds for a name asked for; None: no object has it."""
        return name.strip()

    def list(self, actor: Identity, parent: Domain | None = None) -> builtins.list[T]:
        """The objects of domains the actor may see (of `parent` only, when given), by
        id. One parent costs one indexed read for the right to see it."""
        if parent is None:
            return self._in_reach(actor, self._all.all())
        if self._domains.get(actor, parent.id) is None:
            return []
        return self._rows(self._of_parent.all(v=self._parent_id(parent)))

    def get(self, actor: Identity, obj_id: int) -> T | None:
        """An object of a domain the actor may see, else None."""
        return self._one(actor, self._by_id.first(v=obj_id))

    def by_name(self, actor: Identity, name: str) -> T | None:
        key = self._key(name)
        return None if key is None else self._one(actor, self._by_name.first(v=key))

    def delete(self, actor: Identity, obj: T) -> T:
        """Raises NotFound for an object the actor may not see or that is gone."""
        if self.get(actor, obj.id) is None:
            raise NotFound(self.not_found)
        with self._db.begin() as conn:
            self._remove(conn, actor, obj)
        return obj
