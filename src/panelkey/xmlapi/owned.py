"""The filter of a family that lives in a site or subscription (core/owned.py's
`Findable`: subdomains, site aliases, FTP users, protected directories), declared once.

Each object by ``id`` (and ``name`` for the families found by name server-wide), or
every object of a parent the caller reaches (``site-id``, ``webspace-name``...); an
empty filter names every object in reach, and a parent with nothing in it answers one
bare hit (select.py's `empty_parents`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from panelkey.core.domains.domains import Domain
from panelkey.core.owned import Findable, Item
from panelkey.xmlapi.request import Request
from panelkey.xmlapi.select import Filter, Find, Lookup, by_id, one, under

T = TypeVar("T", bound=Item)


def in_site(
    service: Callable[[Request], Findable[T]],
    missing: str,
    parents: Mapping[str, Find[Domain]],
    *,
    named: bool = True,
) -> Filter[T]:
    """The filter of `service`'s objects (`missing`, its 1013 text): by ``id``, by
    ``name`` when `named`, and under each of `parents` (a filter element and the finder
    of the domain it names)."""

    def of(req: Request, parent: Domain) -> list[T]:
        return service(req).list(req.identity, parent)

    by: dict[str, Lookup[T]] = {"id": one(by_id(lambda req, i: service(req).get(req.identity, i)))}
    if named:
        by["name"] = one(lambda req, v: service(req).by_name(req.identity, v))
    by.update({tag: under(find, of) for tag, find in parents.items()})
    return Filter(missing, by, lambda req: service(req).list(req.identity), empty_parents=True)
