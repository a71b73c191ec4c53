"""Limits that count in their holder's store: an attribute that binds each value assigned
to it (a `Throttle`, a `RateLimiter`) to the store of the object holding it.

Limits are handed in after the holder is made (the settings' throttle, a server's shared
limiter); binding at assignment means no caller can hand one in and forget to bind it, so
every worker and server on one store counts together (ledger.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from panelkey.store.database import Database


class Bindable(Protocol):
    def bind(self, db: Database) -> None: ...


class HasStore(Protocol):
    @property
    def store(self) -> Database: ...


_H = TypeVar("_H", bound=HasStore)
_B = TypeVar("_B", bound=Bindable)


class BoundLimit(Generic[_H, _B]):
    """A holder's attribute, kept as `_<name>` and bound to `holder.store` whenever
    assigned; `then` is told of each new value."""

    def __init__(self, doc: str, then: Callable[[_H, _B], None] | None = None) -> None:
        self.__doc__ = doc
        self._then = then

    def __set_name__(self, owner: type[_H], name: str) -> None:
        self._name = "_" + name

    def __get__(self, holder: _H, owner: type[_H] | None = None) -> _B:
        value: _B = getattr(holder, self._name)
        return value

    def __set__(self, holder: _H, value: _B) -> None:
        value.bind(holder.store)
        setattr(holder, self._name, value)
        if self._then is not None:
            self._then(holder, value)
